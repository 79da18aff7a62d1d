"""Small widgets and helpers the window's parts share."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from .models import TableModel

W = TypeVar("W", bound=QWidget)


class WrapLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs.

    QMainWindow's layout ignores height-for-width, so a plain word-wrapped QLabel is cut
    to one line; this one turns its height-for-width into a minimum height.
    """

    def __init__(self, text: str = "", *, plain: bool = False) -> None:
        super().__init__()
        self.setWordWrap(True)
        if plain:  # text from a file or a chain: never interpreted as markup
            self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: D102 - Qt override
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.setMinimumHeight(self.heightForWidth(self.width()) if self.text() else 0)


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
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def one_line(text: str, limit: int = 120) -> str:
    """Untrusted text on one line: control characters become spaces, and a long text is cut short."""
    clean = "".join(c if c.isprintable() else " " for c in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def menu_text(text: str, limit: int = 120) -> str:
    """Untrusted text for a menu entry or a button's label, where ``&`` would mark a shortcut."""
    return one_line(text, limit).replace("&", "&&")


def utc_time(iso_time: str) -> str:
    """An ISO-8601 UTC time of a report, as a person reads it."""
    return datetime.fromisoformat(iso_time).strftime("%Y-%m-%d %H:%M:%S UTC")
