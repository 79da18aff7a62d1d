"""Table models of the main window (Vorta's pattern: headers as data, a raw-object role).

Cells hold names and errors from chains and APIs: shown as plain text by the views, and every
tooltip goes through :func:`~backcheck.gui.plain_text.tip`, because Qt reads a tooltip that starts
like a tag as markup.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from itertools import groupby
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from backcheck.core.facts import Fact, iso
from backcheck.core.registry import Candidate, Token

from .plain_text import tip

Index = QModelIndex | QPersistentModelIndex
RawRole = Qt.ItemDataRole.UserRole + 1
UNKNOWN_COLOR = QColor("#8a5a00")
# Whether an issuer's list holds the token: icon + word (never colour alone), and the word's colour.
# ``None``: listed by you (an overlay) or by a third party, not confirmed by the issuer's own list.
OFFICIAL = {
    True: ("✔ official", QColor("#00704f")),
    None: ("? not confirmed", QColor("#4a5568")),
    False: ("✖ not official", QColor("#8e1b1b")),
}
OFFICIAL_MEANS = {
    True: "on the issuer's own list",
    None: "listed by you or by a third party; the issuer's own list does not confirm it",
    False: "on no issuer's list",
}


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
            text = self.tooltip(item)
            return tip(text) if text else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(item)
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class Group:
    """A heading row of the search results: an underlying (level 0) or one issuer's token (level 1)."""

    level: int
    text: str
    official: bool | None = None


def official_badge(official: bool | None) -> str:
    """``✔ official``, ``? not confirmed`` or ``✖ not official``."""
    return OFFICIAL[official][0]


def chains_text(n: int) -> str:
    """``1 chain``, ``8 chains``."""
    return f"{n} chain{'' if n == 1 else 's'}"


def grouped(found: list[Candidate]) -> list[Group | Candidate]:
    """Search results under their headings: underlying → issuer's token → one row per chain.

    ``found`` comes ordered by underlying, issuer and token (:meth:`Registry.search`).
    """
    rows: list[Group | Candidate] = []
    for _, of_underlying in groupby(found, key=lambda c: c.token.underlying.symbol):
        candidates = list(of_underlying)
        underlying = candidates[0].token.underlying
        isin = f" · ISIN {underlying.isin}" if underlying.isin else ""
        rows.append(Group(0, f"{underlying.name} ({underlying.symbol}){isin}"))
        for _, of_token in groupby(candidates, key=lambda c: id(c.token)):
            deployments = list(of_token)
            token: Token = deployments[0].token
            heading = (
                f"{token.issuer_name} — {token.symbol} ({token.name}) on {chains_text(len(deployments))}"
                f" · {official_badge(token.official)}"
            )
            rows.append(Group(1, heading, token.official))
            rows.extend(deployments)
    return rows


class CandidatesModel(TableModel):
    """Search results grouped underlying → issuer → chain: heading rows, then one row per token per chain."""

    COL_CHAIN, COL_TOKEN, COL_ADDRESS, COL_OFFICIAL, COL_LISTED = range(5)
    HEADERS = ("Chain", "Token", "Address", "Official?", "Listed in")

    def set_candidates(self, found: list[Candidate]) -> None:
        """Show ``found`` under their headings."""
        self.set_rows(grouped(found))

    def candidate(self, row: int) -> Candidate | None:
        """Return the candidate of a row, ``None`` for a heading."""
        item = self.row_object(row)
        return item if isinstance(item, Candidate) else None

    def candidate_rows(self) -> list[int]:
        """The rows that are tokens on a chain (not headings)."""
        return [n for n, item in enumerate(self._rows) if isinstance(item, Candidate)]

    def group_rows(self) -> list[int]:
        """The heading rows (a view spans them across every column)."""
        return [n for n, item in enumerate(self._rows) if isinstance(item, Group)]

    def cells(self, row: int, item: Group | Candidate) -> tuple[str, ...]:
        """A heading in the first column; else chain, token, address, official badge, registry row."""
        if isinstance(item, Group):
            return (item.text, "", "", "", "")
        return (
            item.deployment.chain.name,
            f"{item.token.symbol} — {item.token.name}",
            item.deployment.address,
            official_badge(item.token.official),
            f"{item.deployment.source}, as of {item.deployment.as_of}",
        )

    def tooltip(self, item: Group | Candidate) -> str:
        """The whole heading; or the token, why it matched and where the row comes from."""
        if isinstance(item, Group):
            return item.text
        token, deployment = item.token, item.deployment
        return (
            f"{token.symbol} — {token.name}\nby {token.issuer_name} on {deployment.chain.name}: {deployment.address}\n"
            f"{official_badge(token.official)}: {OFFICIAL_MEANS[token.official]}\n"
            f"Matched by {item.reason} · source: {deployment.source}, as of {deployment.as_of}"
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self.candidate(index.row()) is None:
            return Qt.ItemFlag.ItemIsEnabled  # a heading is not a choice
        return Qt.ItemFlag(super().flags(index))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        item = self._rows[index.row()]
        if isinstance(item, Group):
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor("#e2e8f0" if item.level == 0 else "#f1f5f9")
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#1a202c")  # on its own light background, whatever the palette
        elif role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_OFFICIAL:
            return OFFICIAL[item.token.official][1]
        return super().data(index, role)


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


def _amount(value: Decimal) -> str:
    """An amount a person reads: grouped, at most 6 decimals (rebased balances carry 18+), exact in the tooltip."""
    shown = f"{value.quantize(Decimal('0.000001')):,f}".rstrip("0").rstrip(".")
    return shown if value == Decimal(shown.replace(",", "")) else f"≈ {shown}"


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
            _amount(Decimal(item["amount"])),
            shown,
        )

    def tooltip(self, item: dict[str, Any]) -> str:
        """The token account behind the row, and the exact amount (the cell rounds it)."""
        return f"Token account {item.get('account')}; exactly {Decimal(item['amount']):,f} tokens"


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


class PairsModel(TableModel):
    """A two-column table of text (a chart's figures beside it); headers come with the rows."""

    def set_table(self, headers: tuple[str, ...], rows: list[tuple[str, str]]) -> None:
        """Replace the headers and every row."""
        self.beginResetModel()
        self.HEADERS = headers
        self._rows = list(rows)
        self.endResetModel()

    def cells(self, row: int, item: tuple[str, str]) -> tuple[str, ...]:
        """The row as it is."""
        return item

    def tooltip(self, item: tuple[str, str]) -> str:
        """Both cells whole (a long reason elides in the table)."""
        return f"{item[0]}: {item[1]}"
