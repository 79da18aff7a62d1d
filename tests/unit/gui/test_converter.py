"""The converter tab: the core's parsing, every message escaped, no date that overflows."""

import pytest

from backcheck.gui.converter import ConverterPanel


@pytest.fixture
def panel(qtbot):
    widget = ConverterPanel()
    qtbot.addWidget(widget)
    widget.decimals.setText("8")
    widget.multiplier.setText("1.0017")
    return widget


def test_converts_as_you_type(panel):
    panel.amount.setText("10")
    assert "10.017 shares" in panel.result.text()


@pytest.mark.parametrize(
    ("field", "text", "sentence"),
    [
        ("amount", "<b>1</b>", "&lt;b&gt;1&lt;/b&gt;"),  # typed markup is shown, never rendered
        ("pending_at", "9999-12-31T23:59:59-01:00", "pending multiplier"),
        ("pending_at", "2026-12-01T14:30", "add Z for UTC or an offset"),
        ("multiplier", "1e39", "1000000"),
        ("decimals", "1_8", "Decimals must be a whole number from 0 to 36."),
        ("decimals", "٣", "Decimals must be a whole number from 0 to 36."),
    ],
)
def test_bad_input_is_one_escaped_sentence(panel, field, text, sentence):
    if field == "pending_at":
        panel.pending.setText("2")
    getattr(panel, field).setText(text)
    if field != "amount":
        panel.amount.setText("10")
    assert sentence in panel.result.text() and "<b>1" not in panel.result.text()


def test_the_origin_is_plain_text(panel):
    from backcheck.core.convert import TokenUnits

    panel.fill(TokenUnits.parse(8, "1.0017"), "EVM RPC (https://<b>evil</b>.example), block/slot 1")
    assert panel.origin.text() == "Filled from the inspection: EVM RPC (https://<b>evil</b>.example), block/slot 1."
    from PySide6.QtCore import Qt

    assert panel.origin.textFormat() == Qt.TextFormat.PlainText
