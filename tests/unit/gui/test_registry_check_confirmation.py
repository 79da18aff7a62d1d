"""The window's registry check says how many third parties' rows the issuer's live list confirms."""

from backcheck.core.registry import THIRD_PARTY, Registry
from backcheck.core.settings import Settings
from backcheck.gui.main_window import MainWindow

REGISTRY = Registry.load()
XSTOCKS_ROWS = [
    d for t in REGISTRY.tokens if t.issuer_api == "xstocks" for d in t.deployments if d.basis == THIRD_PARTY
]


def test_registry_check_counts_confirmed_and_unlisted_third_party_rows(qtbot, core, xstocks_api):
    xstocks_api.assets.append(
        {"symbol": "ZZx", "name": "Z", "deployments": [{"network": "Solana", "address": XSTOCKS_ROWS[0].address}]}
    )
    settings = Settings.load()
    settings.override("api.xstocks", xstocks_api.url)
    w = MainWindow(REGISTRY, settings, core)
    qtbot.add_widget(w)
    w.check_registry_action.trigger()
    qtbot.wait_until(lambda: w.registry_check_box is not None, timeout=10_000)
    text = w.registry_check_box.text()
    assert (
        f"Rows listed by third parties: 1 confirmed by the issuer's live list, {len(XSTOCKS_ROWS) - 1} not in the "
        "issuer's list." in text
    )
    w.registry_check_box.close()
