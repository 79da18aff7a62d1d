"""The Compare tab: every official token of the underlying, across issuers and chains, side by side (F15).

A comparison is one full live read per token, so it runs only when asked, on a bridge of its own:
it never cancels the token's read, and a new token (or search) cancels it, so an obsolete
comparison never lands. Rows are what a holder compares, columns are tokens; each cell's status is
icon + word + colour, and the worst cell of each row is bold and marked (not told by colour alone).
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backcheck.core.answers import ICONS, WORDS
from backcheck.core.chains import Chain
from backcheck.core.compare import MAX_COLUMNS, Comparison, compare, targets
from backcheck.core.errors import BadInput
from backcheck.core.registry import Registry
from backcheck.core.report import Report
from backcheck.core.rules import RuleConfig
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings

from .bridge import CoreBridge
from .models import Index
from .overview import STATUS_COLOURS
from .plain_text import printable, tip
from .widgets import WrapLabel, menu_text, named, one_line

WORST = "◀ worst"
WORST_BACKGROUND = QColor("#fff4e5")
CELL_CHARS = 140  # a cell shows this much of its text; the tooltip holds all of it
COLUMN_WIDTH = 230
OFFLINE = "Offline mode is on, and a comparison reads every token live: turn it off in File → Settings… to compare."
DEMO = (
    "This is a demo on Backcheck's test chain, and a comparison reads the real tokens live: "
    "search the ticker to compare them."
)
UNLISTED = "This address is on no issuer's list, so there is no official token to compare it with."


class CompareModel(QAbstractTableModel):
    """A comparison as a table: one row per aspect, one column per token."""

    def __init__(self) -> None:
        super().__init__()
        self.comparison: Comparison | None = None

    def set_comparison(self, comparison: Comparison | None) -> None:
        """Show a comparison (``None``: nothing)."""
        self.beginResetModel()
        self.comparison = comparison
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, D102 - Qt override
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, D102 - Qt override
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.columns)

    def headerData(  # noqa: D102 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        c = self.comparison
        if c is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return c.rows[section].label if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return printable(c.columns[section])  # the header elides it to the column's width
        if role == Qt.ItemDataRole.ToolTipRole:
            token = c.reports[section].document["token"]
            return tip(f"{c.columns[section]}\n{token['issuer'] or 'no issuer'} · {token['address']}")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102 - Qt override
        c = self.comparison
        if c is None or not index.isValid():
            return None
        row = c.rows[index.row()]
        cell = row.cells[index.column()]
        worst = row.worst == index.column()
        status = f"{ICONS[cell.status]} {WORDS[cell.status]}" + (f"   {WORST}" if worst else "")
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{status}\n{one_line(cell.text, CELL_CHARS)}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            whole = f"{row.label} of {c.columns[index.column()]}: {status}\n{cell.text}"
            return tip(whole) if role == Qt.ItemDataRole.ToolTipRole else printable(whole)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATUS_COLOURS[cell.status])
        if role == Qt.ItemDataRole.FontRole and worst:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and worst:
            return WORST_BACKGROUND
        return None


class CompareView(QWidget):
    """The Compare tab: what will be compared, the button that reads it, and the table.

    Attributes:
        bridge: Its own job slot on the core loop (never the token read's).
        report: The report on screen, whose underlying is compared.
        model: The comparison shown.
    """

    def __init__(self, core: CoreLoop, registry: Registry, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.registry, self.settings = registry, settings
        self.bridge = CoreBridge(core, self)
        self.bridge.succeeded.connect(self._on_compared)
        self.bridge.failed.connect(self._on_failed)
        self.report: Report | None = None
        self._asked_for: Report | None = None  # the report a running comparison belongs to
        self.intro = named(WrapLabel(plain=True), "compareIntro")
        self.scope = named(QComboBox(), "compareScope")
        self.scope.setAccessibleName("Which chains to compare")
        self.button = named(QPushButton("Compare"), "compareButton")
        self.button.clicked.connect(self.start)
        self.message = named(WrapLabel(plain=True), "compareMessage")
        self.model = CompareModel()
        self.view = named(QTableView(), "compareTable")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(COLUMN_WIDTH)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a token's name from a file or a chain can be long
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # fill the width; scroll past it
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        line = QHBoxLayout()
        line.addWidget(self.button)
        line.addWidget(self.scope)
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(line)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addStretch(0)  # takes the height while the table is hidden
        self.show_report(None)

    def show_report(self, report: Report | None) -> None:
        """Offer to compare the underlying of ``report``; an earlier comparison is dropped."""
        self.bridge.cancel()
        self.model.set_comparison(None)
        self.view.setVisible(False)  # until there is a comparison to show
        self.message.setText("")
        self.report = report
        self.scope.clear()
        token = report.inspection.target.token if report is not None else None
        self.button.setEnabled(token is not None)
        self.scope.setVisible(token is not None)
        if report is None or token is None:
            self.button.setText("Compare")
            self.intro.setText(UNLISTED if report is not None else "Read a token first.")
            return
        symbol = token.underlying.symbol
        self.button.setText(menu_text(f"Compare every official token of {symbol}", 60))
        self.intro.setText(
            f"Every official token of {symbol}, across issuers and chains, side by side: official or not, float, "
            "reserves, issuer powers, redemption, premium and the worst finding. Each column is a full live read, "
            "so it runs only when you ask."
        )
        items = cast(QStandardItemModel, self.scope.model())  # a combo box's own model
        usable = []
        for chain in (None, report.inspection.target.chain):
            label, count = self._scope(symbol, chain)
            self.scope.addItem(label, chain)
            if 0 < count <= MAX_COLUMNS:
                usable.append(self.scope.count() - 1)
            else:  # nothing to compare there, or too many columns at once
                items.item(self.scope.count() - 1).setEnabled(False)
        self.scope.setCurrentIndex(usable[0] if usable else 0)
        self.button.setEnabled(bool(usable))
        if report.document["kind"] == "demo":
            self.message.setText(DEMO)

    def _scope(self, symbol: str, chain: Chain | None) -> tuple[str, int]:
        where = f"on {chain.name} only" if chain else "on every chain"
        try:
            count = len(targets(self.registry, symbol, chain))
        except BadInput:
            return f"{where} (none listed)", 0
        if count > MAX_COLUMNS:
            return f"{where} ({count} tokens: too many at once)", count
        return f"{where} ({count} token{'' if count == 1 else 's'})", count

    def start(self) -> None:
        """Read every official token of the underlying live and lay them side by side."""
        report = self.report
        if report is None or report.inspection.target.token is None:
            return
        if self.settings.get("offline") == "on":
            self.message.setText(OFFLINE)
            return
        if report.document["kind"] == "demo":
            self.message.setText(DEMO)
            return
        chain: Chain | None = self.scope.currentData()
        symbol = report.inspection.target.token.underlying.symbol
        self.model.set_comparison(None)
        live = " (live now, not as of the snapshot on screen)" if report.document.get("snapshot") else ""
        self.message.setText(f"Reading every official token of {symbol} {self.scope.currentText()}{live} …")
        self._asked_for = report
        core = self.bridge.core
        config = RuleConfig.load(self.settings)
        self.bridge.run(compare(symbol, chain, self.settings, core.http, self.registry, config))

    def clear(self) -> None:
        """Nothing on screen to compare (a new search): drop the comparison, running or shown."""
        self.show_report(None)

    def _on_compared(self, job_id: int, comparison: Comparison) -> None:
        if job_id != self.bridge.current_id or self._asked_for is not self.report:
            return
        self.model.set_comparison(comparison)
        self.view.setVisible(True)
        n = len(comparison.columns)
        self.message.setText(
            f"{n} official token{'' if n == 1 else 's'} of {comparison.underlying} side by side, read live. "
            f"The worst cell of each row is in bold and marked {WORST}; point at a cell for its whole text."
        )

    def _on_failed(self, job_id: int, message: str) -> None:
        if job_id == self.bridge.current_id:
            self.message.setText(message)
