"""The redemption and legal panel: every catalog term, and the caveat on a token the issuer does not confirm."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from backcheck.core.catalog import load_catalog, product_for
from backcheck.core.registry import Registry
from backcheck.gui.legal import TERMS, LegalPanel


def _panel(qtbot: QtBot) -> LegalPanel:
    panel = LegalPanel()
    qtbot.addWidget(panel)
    return panel


def test_every_term_the_catalog_holds_has_a_row() -> None:
    shown = {key for key, _ in TERMS}
    held = {name for _, product in load_catalog() for name in product.terms}
    assert held <= shown


def test_a_third_party_token_shows_the_issuers_terms_with_the_caveat(qtbot: QtBot) -> None:
    registry = Registry.load()
    token = next(t for t in registry.tokens if t.issuer_key == "backpack" and t.official is None)
    panel = _panel(qtbot)
    panel.show_product(product_for(token, load_catalog()))
    text = panel.toPlainText()
    assert "not confirmed by the issuer, so they may not apply to it" in text
    assert "Reserve evidence" in text


def test_an_official_token_has_no_caveat(qtbot: QtBot) -> None:
    registry = Registry.load()
    token = next(t for t in registry.tokens if t.issuer_key == "backed" and t.official)
    panel = _panel(qtbot)
    panel.show_product(product_for(token, load_catalog()))
    text = panel.toPlainText()
    assert "may not apply" not in text
    assert "Reserve source" in text
