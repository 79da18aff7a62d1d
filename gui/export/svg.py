"""Charts as inline SVG for the HTML export, drawn by the same QPainter functions as the PDF's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import escape
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize
from PySide6.QtGui import QFont, QPainter
from PySide6.QtSvg import QSvgGenerator

from backcheck.gui.charts import CHARTS, line_height

WIDTH = 640  # SVG user units; the page scales the chart to its column
FONT_PX = 14
_ROOT = re.compile(r"<svg\b[^>]*>")


def chart_svg(key: str, document: Mapping[str, Any], family: str) -> str:
    """The chart ``key`` of a report as an ``<svg>`` element to put inline in HTML.

    The root element carries ``role="img"`` and an ``aria-label`` with the chart's summary, and
    Qt writes the title and summary as ``<title>``/``<desc>``; all text in it is XML-escaped.
    """
    make, draw = CHARTS[key]
    data = make(document)
    font = QFont(family)
    font.setPixelSize(FONT_PX)
    buffer = QBuffer()  # its own byte array: one passed in must outlive it
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    pad = FONT_PX // 2
    height = round(data.lines * line_height(font, generator)) + 2 * pad
    generator.setSize(QSize(WIDTH, height))
    generator.setViewBox(QRectF(0, 0, WIDTH, height))
    generator.setTitle(data.title)
    generator.setDescription(data.summary())
    painter = QPainter(generator)
    painter.setFont(font)
    draw(painter, QRectF(pad, pad, WIDTH - 2 * pad, height - 2 * pad), data)
    painter.end()
    text = bytes(buffer.data().data()).decode("utf-8")
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-label="{escape(data.summary())}">'
    )
    # Drop the XML prolog and Qt's fixed millimetre size: inline, the page sizes the chart.
    return _ROOT.sub(lambda _m: root, text[text.index("<svg") :], count=1)
