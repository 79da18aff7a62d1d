"""A report's chart on screen: the same QPainter drawing function as the PDF and the HTML (gui/charts.py).

The widget is as tall as the chart's text lines at its own font, so a larger font (presentation
mode) gives a larger chart, and it paints vectors and text, so it is crisp at any device pixel
ratio. What was not measured is drawn as the word "unknown" with its reason, never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QSizePolicy, QWidget

from .charts import CHARTS, GRID, line_height
from .models import PairsModel
from .plain_text import tip
from .widgets import table

PAD = 8  # pixels around the drawing
MIN_WIDTH = 320


class ChartWidget(QWidget):
    """Paints one chart of the report on screen (``key``: ``holders`` or ``reserves``).

    Attributes:
        key: Which chart of :data:`~backcheck.gui.charts.CHARTS`.
        data: The chart's data from the report shown, ``None`` before one is.
    """

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.data: Any = None
        self.setObjectName(f"{key}Chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.show_document(None)

    def show_document(self, document: Mapping[str, Any] | None) -> None:
        """Draw the chart of a report document (``None``: nothing, and the widget hides)."""
        make = CHARTS[self.key][0]
        self.data = None if document is None else make(document)
        summary = "" if self.data is None else self.data.summary()
        self.setAccessibleName(type(self.data).title if self.data is not None else "")
        self.setAccessibleDescription(summary)  # the chart's text alternative, for screen readers
        self.setToolTip(tip(summary))
        self.setVisible(self.data is not None)
        self.updateGeometry()
        self.update()

    def chart_height(self) -> int:
        """The height its lines need at the widget's font."""
        lines = self.data.lines if self.data is not None else 4
        return round(lines * line_height(self.font(), self)) + 2 * PAD + 1

    def sizeHint(self) -> QSize:  # noqa: D102 - Qt override
        return QSize(640, self.chart_height())

    def minimumSizeHint(self) -> QSize:  # noqa: D102 - Qt override
        return QSize(MIN_WIDTH, self.chart_height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: D102 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode: the chart grows with the text
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102 - Qt override
        if self.data is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))  # the charts' colours are chosen against white
        painter.setPen(GRID)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.setFont(self.font())
        area = QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD)
        CHARTS[self.key][1](painter, area, self.data)
        painter.end()


class ChartPanel(QWidget):
    """A chart with its figures as a table beside it (what a screen reader or a copy-paste reads)."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{key}ChartPanel")
        self.chart = ChartWidget(key, self)
        self.figures = PairsModel()
        self.table = table(self.figures, f"{key}ChartTable")
        # As tall as the chart beside it, which follows the font: the table scrolls if it needs more.
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.table.setWordWrap(True)  # a long reason wraps in its half of the table
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)  # both halves stretch alike: no sideways scrolling
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.table, 2)
        self.show_document(None)

    def show_document(self, document: Mapping[str, Any] | None) -> None:
        """Show a report document's chart and its figures (``None``: hide)."""
        self.chart.show_document(document)
        data = self.chart.data
        headers, rows = data.table() if data is not None else ((), [])
        self.figures.set_table(headers, rows)
        self.setVisible(data is not None)
