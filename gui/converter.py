"""The converter tab: shares ⇄ raw units ⇄ tokens ⇄ USD, filled from the token being inspected."""

from __future__ import annotations

from datetime import UTC, datetime

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
        self.result = QLabel(wordWrap=True)
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
            self.result.setText(str(exc))
            return
        self.result.setStyleSheet("")
        usd = f"{result.usd:,f} USD" if result.usd is not None else "unknown (no share price)"
        lines = [
            f"<b>{result.shares_shown:,f} shares</b> (what Scaled-UI wallets show; exact {result.shares:f})",
            f"{result.tokens:,f} tokens (what raw-unit explorers show) = {result.raw} raw units",
            f"Value: {usd}",
            *(f"<i>{note}</i>" for note in result.notes),
        ]
        self.result.setText("<br>".join(lines))

    def _units(self) -> TokenUnits:
        text = self.decimals.text().strip()
        if not text.isdigit() or int(text) > 36:
            raise BadInput("Decimals must be a whole number from 0 to 36.")
        pending = parse_amount(self.pending.text()) if self.pending.text().strip() else None
        at = None
        if self.pending_at.text().strip():
            try:
                at = datetime.fromisoformat(self.pending_at.text().strip().replace("Z", "+00:00")).astimezone(UTC)
            except ValueError:
                raise BadInput("The time of the scheduled change must look like 2026-12-01T14:30Z.") from None
        if (pending is None) != (at is None):
            raise BadInput("Give both the scheduled multiplier and when it takes effect, or neither.")
        price = parse_amount(self.price.text()) if self.price.text().strip() else None
        return TokenUnits(int(text), parse_amount(self.multiplier.text()), pending, at, price)
