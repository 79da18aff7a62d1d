"""Table models of the main window (Vorta's pattern: column constants, a raw-object role)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from backcheck.core.facts import Fact, iso
from backcheck.core.registry import Candidate

Index = QModelIndex | QPersistentModelIndex
RawRole = Qt.ItemDataRole.UserRole + 1
UNKNOWN_COLOR = QColor("#8a5a00")


class CandidatesModel(QAbstractTableModel):
    """Search results: one row per token per chain."""

    COL_TOKEN, COL_ISSUER, COL_CHAIN, COL_ADDRESS, COL_STATUS = range(5)
    HEADERS = ("Token", "Issuer", "Chain", "Address", "Registry")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Candidate] = []

    def set_rows(self, rows: list[Candidate]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def candidate(self, row: int) -> Candidate:
        """Return the candidate of a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == RawRole:
            return c
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{c.token.symbol} — {c.token.name}",
                c.token.issuer_name,
                c.deployment.chain.name,
                c.deployment.address,
                f"{'official' if c.token.official else 'user-added'} · as of {c.deployment.as_of}",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Matched by {c.reason}. Source: {c.deployment.source}"
        return None


class FactsModel(QAbstractTableModel):
    """Facts of one inspection with their provenance; unknown values stand out."""

    COL_FACT, COL_VALUE, COL_UNIT, COL_BLOCK, COL_FETCHED, COL_SOURCE, COL_METHOD = range(7)
    HEADERS = ("Fact", "Value", "Unit", "Block", "Fetched (UTC)", "Source", "Method (verify it yourself)")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, Fact]] = []

    def set_facts(self, facts: dict[str, Fact]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = sorted(facts.items())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, fact = self._rows[index.row()]
        if role == RawRole:
            return fact
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                name.replace("_", " "),
                fact.display_value() if fact.known else f"unknown — {fact.error}",
                fact.unit,
                "" if fact.block is None else str(fact.block),
                iso(fact.fetched_at),
                fact.source,
                fact.method,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not fact.known:
            return UNKNOWN_COLOR
        if role == Qt.ItemDataRole.ToolTipRole:
            return fact.error or fact.method
        return None


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of dicts (a fact's list value); subclasses name the columns."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def cells(self, row: int, values: dict[str, Any]) -> tuple[str, ...]:
        """Return the display text of each column of one row."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == RawRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(index.row(), row)[index.column()]
        return None


class HoldersModel(RowsModel):
    """The largest holders, with issuer wallets labelled (and excluded from the float)."""

    HEADERS = ("#", "Owner", "Label", "Amount (tokens)", "Share of float")

    def cells(self, row: int, values: dict[str, Any]) -> tuple[str, ...]:
        """Rank, owner, label, amount, share of the float."""
        share = values.get("share_of_float")
        return (
            str(row + 1),
            values.get("owner") or "unknown",
            values.get("label") or "",
            f"{Decimal(values['amount']):,f}",
            "excluded (labelled wallet)"
            if values.get("label")
            else (f"{Decimal(share) * 100:.2f} %" if share else "unknown"),
        )


class PowersModel(RowsModel):
    """The issuer-power map: each power, who holds it, what kind of holder, and its state."""

    HEADERS = ("Power", "State", "Kind of holder", "Holder", "What it allows")

    def cells(self, row: int, values: dict[str, Any]) -> tuple[str, ...]:
        """Power, state, kind of holder, holder, what it allows."""
        return (
            values.get("power", "").replace("_", " "),
            values.get("state", ""),
            values.get("kind", ""),
            values.get("holder", ""),
            values.get("what", ""),
        )
