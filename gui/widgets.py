"""Small widgets and helpers the window's parts share.

Labels here hold text from chains, APIs and files anyone can make: a 5,000-character name or one
long run of letters must not widen the window past the screen, so long text is shortened with
``QFontMetrics.elidedText`` and the whole of it goes to the tooltip.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from .models import TableModel
from .plain_text import printable, tip

W = TypeVar("W", bound=QWidget)
MAX_LINES = 8  # a wrapped label taller than this is cut short (the tooltip has all of it)
LONG_WORD = re.compile(r"\S{40,}")  # shorter runs always fit; only longer ones are measured
MIN_WIDTH = 160  # what a wrapped label asks for at least: a long word never sets the window's width
MAX_HINT_WIDTH = 900  # what a label asks for at most; it gets more when the window has it
MAX_COLUMN = 420  # a table column fitted to its contents is at most this wide (cells elide, tooltips hold all)


class WrapLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs, and never for a huge width.

    QMainWindow's layout ignores height-for-width, so a plain word-wrapped QLabel is cut to one
    line; this one turns its height-for-width into a minimum height. A plain-text one shows a word
    too long for its width elided, and at most :data:`MAX_LINES` lines; its tooltip then holds the
    whole text. :meth:`text` is always the whole text.
    """

    def __init__(self, text: str = "", *, plain: bool = False) -> None:
        super().__init__()
        self._full = ""
        self._tipped = False
        self.setWordWrap(True)
        if plain:  # text from a file or a chain: never interpreted as markup
            self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def text(self) -> str:  # noqa: D102 - the whole text, as set (the screen may show it shortened)
        return self._full

    def setText(self, text: str) -> None:  # noqa: D102 - Qt override
        self._full = text
        self._show()

    def sizeHint(self) -> QSize:  # noqa: D102 - Qt override
        hint = super().sizeHint()
        return QSize(min(hint.width(), MAX_HINT_WIDTH), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: D102 - Qt override
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), MIN_WIDTH), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102 - Qt override
        super().resizeEvent(event)
        self._show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: D102 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._show()

    def _show(self) -> None:
        shown = self._full
        if self.textFormat() == Qt.TextFormat.PlainText and shown:
            shown = shortened(shown, self.fontMetrics(), max(self.contentsRect().width(), MIN_WIDTH))
        if shown != super().text():
            super().setText(shown)
        if shown != self._full or self._tipped:  # a tooltip set by someone else is left alone
            self._tipped = shown != self._full
            self.setToolTip(tip(self._full) if self._tipped else "")
        self.setMinimumHeight(self.heightForWidth(self.width()) if shown else 0)


def shortened(text: str, metrics: QFontMetrics, width: int) -> str:
    """Untrusted plain text to wrap at ``width``: printable, each too-long word elided, at most MAX_LINES lines."""
    lines = [printable(line) for line in text.split("\n")]
    words = [
        LONG_WORD.sub(lambda m: metrics.elidedText(m[0], Qt.TextElideMode.ElideMiddle, width), line) for line in lines
    ]
    joined = "\n".join(words)
    budget = width * (MAX_LINES - 2)  # wrapping wastes the end of each line: keep a margin
    if len(words) > MAX_LINES or metrics.horizontalAdvance(joined.replace("\n", " ")) > budget:
        joined = metrics.elidedText(" ".join(words[:MAX_LINES]), Qt.TextElideMode.ElideRight, budget)
    return joined


class ElidedLabel(QLabel):
    """One line of untrusted text: plain, elided to the width it gets, the whole text in its tooltip.

    :meth:`text` is the whole text (control characters as spaces); the screen shows what fits.
    Screen readers get the whole text as the accessible name.
    """

    def __init__(self, text: str = "", *, mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self._mode = mode
        self.setText(text)

    def text(self) -> str:  # noqa: D102 - the whole text, as set (the screen may show it elided)
        return self._full

    def setText(self, text: str) -> None:  # noqa: D102 - Qt override
        self._full = printable(text)
        self.setAccessibleName(self._full)
        self._elide()
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: D102 - Qt override
        margins = self.contentsMargins()
        text = self.fontMetrics().horizontalAdvance(self._full) + 2  # elidedText measures in fractions: round up
        wanted = text + margins.left() + margins.right() + 2 * self.margin()
        return QSize(min(wanted, MAX_HINT_WIDTH), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: D102 - Qt override
        return QSize(self.fontMetrics().horizontalAdvance("W…W"), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102 - Qt override
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: D102 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._full, self._mode, max(width, 0))
        if shown != super().text():
            super().setText(shown)
        self.setToolTip(tip(self._full) if shown != self._full else "")


def named(widget: W, name: str) -> W:
    """Give a widget an object name (tests and style sheets find it by that name)."""
    widget.setObjectName(name)
    return widget


def table(model: TableModel, name: str) -> QTableView:
    """A read-only table of whole rows."""
    view = named(QTableView(), name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)  # one line per row: long cells elide, the tooltip holds the whole text
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fit_columns(view: QTableView, limit: int = MAX_COLUMN, rows: list[int] | None = None) -> None:
    """Size each column to its contents, but none wider than ``limit`` (a long name elides).

    Args:
        view: The table.
        limit: The widest a column gets, in pixels.
        rows: Only these rows are measured (not the headings that span the table), else every row.
    """
    header = view.horizontalHeader()
    if rows is None:
        view.resizeColumnsToContents()
    else:
        model = view.model()
        grid = 1 if view.showGrid() else 0
        for column in range(header.count()):
            cells = (view.sizeHintForIndex(model.index(row, column)).width() + grid for row in rows)
            header.resizeSection(column, max([header.sectionSizeHint(column), *cells]))
    for column in range(header.count()):
        if header.sectionSize(column) > limit:
            header.resizeSection(column, limit)
    if header.stretchLastSection() and header.count():  # the last one takes what is left, and no more
        header.resizeSection(header.count() - 1, header.minimumSectionSize())


def one_line(text: str, limit: int = 120) -> str:
    """Untrusted text on one line: control characters become spaces, and a long text is cut short."""
    clean = printable(text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def menu_text(text: str, limit: int = 120) -> str:
    """Untrusted text for a menu entry or a button's label, where ``&`` would mark a shortcut."""
    return one_line(text, limit).replace("&", "&&")


def utc_time(iso_time: str) -> str:
    """An ISO-8601 UTC time of a report, as a person reads it."""
    return datetime.fromisoformat(iso_time).strftime("%Y-%m-%d %H:%M:%S UTC")
