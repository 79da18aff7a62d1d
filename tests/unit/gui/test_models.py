from decimal import Decimal

from PySide6.QtCore import Qt

from backcheck.core.facts import Fact, utc_now
from backcheck.core.registry import Registry
from backcheck.gui.models import UNKNOWN_COLOR, CandidatesModel, FactsModel, RawRole


def test_candidates_model(qtmodeltester):
    model = CandidatesModel()
    model.set_rows(Registry.load().search("AAPL"))
    qtmodeltester.check(model)
    symbols = {model.data(model.index(r, model.COL_TOKEN)).split(" ")[0] for r in range(model.rowCount())}
    assert {"AAPLx", "AAPLon"} <= symbols
    assert model.data(model.index(0, 0), RawRole) is model.candidate(0)


def test_facts_model_shows_unknown_differently(qtmodeltester):
    model = FactsModel()
    model.set_facts(
        {
            "total_supply": Fact(Decimal("10021.5"), "tokens", "EVM RPC ethereum", "eth_call …", 25, utc_now()),
            "multiplier": Fact.unknown("node timed out", unit="ratio", source="EVM RPC", method="eth_call"),
        }
    )
    qtmodeltester.check(model)
    rows = {model.data(model.index(r, model.COL_FACT)): r for r in range(model.rowCount())}
    supply, mult = rows["total supply"], rows["multiplier"]
    assert model.data(model.index(supply, model.COL_VALUE)) == "10,021.5"
    assert model.data(model.index(supply, model.COL_BLOCK)) == "25"
    assert model.data(model.index(mult, model.COL_VALUE)) == "unknown — node timed out"
    assert model.data(model.index(mult, model.COL_VALUE), Qt.ItemDataRole.ForegroundRole) == UNKNOWN_COLOR
    assert model.data(model.index(supply, model.COL_VALUE), Qt.ItemDataRole.ForegroundRole) is None
