import json
from decimal import Decimal

from PySide6.QtCore import Qt

from backcheck.core.facts import Fact, utc_now
from backcheck.core.registry import Registry
from backcheck.gui.models import OFFICIAL, UNKNOWN_COLOR, CandidatesModel, FactsModel, RawRole, official_badge


def test_candidates_are_grouped_underlying_then_issuer_then_chain(qtmodeltester):
    model = CandidatesModel()
    model.set_candidates(Registry.load().search("AAPL"))
    qtmodeltester.check(model)
    headings = [model.data(model.index(r, 0)) for r in model.group_rows()]
    backed = "Backed Assets (JE) Limited — AAPLx (Apple xStock) on 8 chains · ✔ official"
    assert headings[0] == "Apple (AAPL)" and backed in headings
    assert "Ondo Global Markets — AAPLon (Apple (Ondo Tokenized)) on 3 chains · ✔ official" in headings
    # Under the issuer's heading, one row per chain, then the next heading.
    start = model.group_rows()[headings.index(backed)]
    assert [model.candidate(r).token.symbol for r in range(start + 1, start + 9)] == ["AAPLx"] * 8
    assert model.candidate(start + 9) is None
    row = start + 1
    first = model.candidate(row)
    assert model.data(model.index(row, model.COL_CHAIN)) == first.deployment.chain.name
    assert model.data(model.index(row, model.COL_OFFICIAL)) == "✔ official"
    assert model.data(model.index(row, model.COL_OFFICIAL), Qt.ItemDataRole.ForegroundRole) == OFFICIAL[True][1]
    assert model.data(model.index(row, 0), RawRole) is first
    # A heading is not a choice, and says so in bold on its own background.
    assert model.candidate(0) is None
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole).bold()


def test_a_token_listed_by_you_has_its_own_badge(tmp_path):
    overlay = tmp_path / "overlay.json"
    token = {"symbol": "MYTK", "name": "My token", "underlying": {"symbol": "AAPL"},
             "deployments": [{"chain": "ethereum", "address": "0x" + "ab" * 20, "decimals": 18}]}  # fmt: skip
    overlay.write_text(json.dumps({"tokens": [token]}), encoding="utf-8")
    model = CandidatesModel()
    model.set_candidates(Registry.load(overlay).search("MYTK"))
    assert [model.data(model.index(r, 0)) for r in model.group_rows()][1].endswith("on 1 chain · ? not confirmed")
    (row,) = model.candidate_rows()
    assert model.data(model.index(row, model.COL_OFFICIAL)) == "? not confirmed"
    assert "listed by you" in model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    assert official_badge(False) == "✖ not official"


def test_tooltips_show_untrusted_text_literally():
    model = FactsModel()
    model.set_facts({"token_name": Fact.unknown("<img src=x> said no", unit="text", source="RPC", method="eth_call")})
    shown = model.data(model.index(0, model.COL_VALUE), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x&gt; said no" in shown and "<img" not in shown  # Qt would render a bare tag


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


def test_holder_amounts_are_rounded_for_reading_and_exact_in_the_tooltip():
    from decimal import Decimal

    from backcheck.gui.models import HoldersModel, _amount

    assert _amount(Decimal("41.050000000000000000201815")) == "≈ 41.05"
    assert _amount(Decimal("1002.1")) == "1,002.1" and _amount(Decimal("1000")) == "1,000"
    model = HoldersModel()
    row = {"account": "0xa", "owner": "0xb", "amount": "41.050000000000000000201815", "share_of_float": "0.5"}
    assert model.cells(0, row)[3] == "≈ 41.05"
    assert "exactly 41.050000000000000000201815 tokens" in model.tooltip(row)
