"""The converter tab: shares ⇄ raw units ⇄ tokens ⇄ USD, filled from the token being inspected."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from backcheck.core.convert import UNITS, TokenUnits, convert, parse_amount
from backcheck.core.errors import BadInput


class ConverterPanel(QWidget):
    """Type an amount; every unit updates as you type.

    Attributes:
        amount, unit, multiplier, decimals, pending, pending_at, price: the inputs.
        result: The output (or the message for bad input).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("converterPanel")
        self.amount = QLineEdit(placeholderText="e.g. 10 or 2.5 (dot for decimals, no separators)")
        self.unit = QComboBox()
        self.unit.addItems(UNITS)
        self.unit.setCurrentText("tokens")
        self.multiplier = QLineEdit("1")
        self.decimals = QLineEdit("18")
        self.pending = QLineEdit(placeholderText="none")
        self.pending_at = QLineEdit(placeholderText="ISO time, e.g. 2026-12-01T14:30Z")
        self.price = QLineEdit(placeholderText="USD per share, if known")
        self.origin = QLabel("Multiplier and decimals: type them, or inspect a token to fill them in.", wordWrap=True)
        self.origin.setTextFormat(Qt.TextFormat.PlainText)  # it names a source's URL, from settings or a snapshot
        self.result = QLabel(wordWrap=True)
        self.result.setTextFormat(Qt.TextFormat.RichText)  # built here; anything typed is escaped
        self.result.setObjectName("converterResult")
        form = QFormLayout(self)
        for label, widget in (
            ("Amount", self.amount),
            ("Unit", self.unit),
            ("Multiplier (shares per token)", self.multiplier),
            ("Decimals", self.decimals),
            ("Scheduled multiplier", self.pending),
            ("Takes effect", self.pending_at),
            ("Share price (USD)", self.price),
        ):
            form.addRow(label, widget)
        form.addRow(self.origin)
        form.addRow(self.result)
        for edit in (self.amount, self.multiplier, self.decimals, self.pending, self.pending_at, self.price):
            edit.textChanged.connect(self.update_result)
        self.unit.currentTextChanged.connect(self.update_result)

    def fill(self, units: TokenUnits, origin: str) -> None:
        """Take a token's decimals, multipliers and price from an inspection."""
        self.multiplier.setText(format(units.multiplier, "f"))
        self.decimals.setText(str(units.decimals))
        self.pending.setText(format(units.pending, "f") if units.pending is not None else "")
        self.pending_at.setText(units.pending_at.isoformat() if units.pending_at else "")
        self.price.setText(format(units.price, "f") if units.price is not None else "")
        self.origin.setText(f"Filled from the inspection: {origin}.")
        self.update_result()

    def update_result(self) -> None:
        """Convert, or say plainly what is wrong with the input."""
        if not self.amount.text().strip():
            self.result.setText("")
            return
        try:
            result = convert(parse_amount(self.amount.text()), self.unit.currentText(), self._units())
        except BadInput as exc:
            self.result.setStyleSheet("color:#9b1c1c")
            self.result.setText(html.escape(str(exc)))
            return
        self.result.setStyleSheet("")
        usd = f"{result.usd:,f} USD" if result.usd is not None else "unknown (no share price)"
        lines = [
            f"<b>{result.shares_shown:,f} shares</b> (what Scaled-UI wallets show; exact {result.shares:f})",
            f"{result.tokens:,f} tokens (what raw-unit explorers show) = {result.raw} raw units",
            f"Value: {usd}",
            *(f"<i>{html.escape(note)}</i>" for note in result.notes),
        ]
        self.result.setText("<br>".join(lines))

    def _units(self) -> TokenUnits:
        text = self.decimals.text().strip()
        decimals = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else None
        return TokenUnits.parse(
            decimals, self.multiplier.text(), self.pending.text(), self.pending_at.text(), self.price.text()
        )
