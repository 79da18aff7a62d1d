"""Table models of the main window (Vorta's pattern: headers as data, a raw-object role)."""

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


class TableModel(QAbstractTableModel):
    """A read-only table over a list of row objects; subclasses give headers and cells."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        """Return the object behind a row."""
        return self._rows[row]

    def cells(self, row: int, item: Any) -> tuple[str, ...]:
        """Return the display text of each column of one row."""
        raise NotImplementedError

    def tooltip(self, item: Any) -> str | None:
        """Return a row's tooltip, if any."""
        return None

    def foreground(self, item: Any) -> QColor | None:
        """Return a row's text colour, if not the default."""
        return None

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
        item = self._rows[index.row()]
        if role == RawRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(index.row(), item)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(item)
        return None


class CandidatesModel(TableModel):
    """Search results: one row per token per chain."""

    COL_TOKEN, COL_ISSUER, COL_CHAIN, COL_ADDRESS, COL_STATUS = range(5)
    HEADERS = ("Token", "Issuer", "Chain", "Address", "Registry")

    def candidate(self, row: int) -> Candidate:
        """Return the candidate of a row."""
        return self.row_object(row)  # type: ignore[no-any-return]

    def cells(self, row: int, item: Candidate) -> tuple[str, ...]:
        """Token, issuer, chain, address, registry status."""
        status = "official" if item.token.official else "user-added"
        return (
            f"{item.token.symbol} — {item.token.name}",
            item.token.issuer_name,
            item.deployment.chain.name,
            item.deployment.address,
            f"{status} · as of {item.deployment.as_of}",
        )

    def tooltip(self, item: Candidate) -> str:
        """Why it matched and where the row comes from."""
        return f"Matched by {item.reason}. Source: {item.deployment.source}"


class FactsModel(TableModel):
    """Facts of one inspection with their provenance; unknown values stand out."""

    COL_FACT, COL_VALUE, COL_UNIT, COL_BLOCK, COL_FETCHED, COL_SOURCE, COL_METHOD = range(7)
    HEADERS = ("Fact", "Value", "Unit", "Block", "Fetched (UTC)", "Source", "Method (verify it yourself)")

    def set_facts(self, facts: dict[str, Fact]) -> None:
        """Replace every row, sorted by fact name."""
        self.set_rows(sorted(facts.items()))

    def cells(self, row: int, item: tuple[str, Fact]) -> tuple[str, ...]:
        """Name, value, unit, block, fetch time, source, method."""
        name, fact = item
        return (
            name.replace("_", " "),
            fact.display_value() if fact.known else f"unknown — {fact.error}",
            fact.unit,
            "" if fact.block is None else str(fact.block),
            iso(fact.fetched_at),
            fact.source,
            fact.method,
        )

    def tooltip(self, item: tuple[str, Fact]) -> str:
        """The reason a value is unknown, else the method."""
        return item[1].error or item[1].method

    def foreground(self, item: tuple[str, Fact]) -> QColor | None:
        """Unknown values in their own colour: never mistaken for a measured one."""
        return None if item[1].known else UNKNOWN_COLOR


class HoldersModel(TableModel):
    """The largest holders, with issuer wallets labelled (and excluded from the float)."""

    HEADERS = ("#", "Owner", "Label", "Amount (tokens)", "Share of float")

    def cells(self, row: int, item: dict[str, Any]) -> tuple[str, ...]:
        """Rank, owner, label, amount, share of the float."""
        share = item.get("share_of_float")
        if item.get("label"):
            shown = "excluded (labelled wallet)"
        else:
            shown = f"{Decimal(share) * 100:.2f} %" if share else "unknown"
        return (
            str(row + 1),
            item.get("owner") or "unknown",
            item.get("label") or "",
            f"{Decimal(item['amount']):,f}",
            shown,
        )

    def tooltip(self, item: dict[str, Any]) -> str:
        """The token account behind the row."""
        return f"Token account {item.get('account')}"


class PowersModel(TableModel):
    """The issuer-power map: each power, its state, the kind of holder, the holder, what it allows."""

    HEADERS = ("Power", "State", "Kind of holder", "Holder", "What it allows")

    def cells(self, row: int, item: dict[str, Any]) -> tuple[str, ...]:
        """Power, state, kind of holder, holder, what it allows."""
        return (
            item.get("power", "").replace("_", " "),
            item.get("state", ""),
            item.get("kind", ""),
            item.get("holder", ""),
            item.get("what", ""),
        )
