"""The report as a PDF: QTextDocument laid out on A4 by QPdfWriter, charts drawn as vectors.

Only QtGui: no QtPrintSupport, no QtWebEngine. The page is the same template as the HTML export;
each chart's placeholder becomes a text object whose handler calls the chart's QPainter
function, so the chart is vector graphics in the PDF. Every page carries a header (token, DEMO
when it is one, as of) and a footer (digest, page N of M). The snapshot file, when given, is
attached to the PDF (PDF 1.6 embedded file), so the evidence travels with the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QObject, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPyTextObject,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
    QTextOption,
)

from backcheck.core.report import app_version
from backcheck.gui.charts import CHARTS, PALETTE, line_height

from . import page
from .content import shorten

RESOLUTION = 600  # dpi of the PDF's coordinates; everything in it is vector
BODY_PT = 8.5
CHART_PT = 7.5
CHART_OBJECT = QTextFormat.ObjectTypes.UserObject + 1
CHART_KEY = QTextFormat.Property.UserProperty + 1
CHART_SHARE = 0.56  # of the text width; the chart's data table takes the rest of the row


def marker(key: str) -> str:
    """The placeholder text the template puts where a chart goes."""
    return f"[[chart:{key}]]"


def pdf_bytes(document: Mapping[str, Any], family: str, attachment: tuple[str, bytes] | None = None) -> bytes:
    """Render a report document to a whole PDF file's bytes."""
    buffer = QBuffer()  # its own byte array: one passed in must outlive it
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPdfVersion(QPdfWriter.PdfVersion.PdfVersion_1_6)
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter)
    token = document.get("token", {})
    writer.setTitle(f"Backcheck report: {shorten(token.get('symbol') or '?')} on {token.get('chain') or '?'}")
    writer.setCreator(f"Backcheck {app_version()}")
    if attachment is not None:
        writer.addFileAttachment(attachment[0], QByteArray(attachment[1]), "application/zip")
    _paint(document, family, writer)
    buffer.close()
    return bytes(buffer.data().data())


class _ChartObject(QPyTextObject):  # QPyTextObject declares the interface to Qt; a mixin does not
    """Draws a chart where the text document holds its object character."""

    def __init__(self, document: Mapping[str, Any], family: str, width: float, parent: QObject) -> None:
        super().__init__(parent)  # owned by the text document, so it lives exactly as long
        self._data = {key: make(document) for key, (make, _draw) in CHARTS.items()}
        self._font = _font(family, CHART_PT)
        self._width = width

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:
        device = doc.documentLayout().paintDevice()
        data = self._data[str(fmt.property(CHART_KEY))]
        return QSizeF(self._width, data.lines * line_height(self._font, device))

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument, pos: int, fmt: QTextFormat) -> None:
        key = str(fmt.property(CHART_KEY))
        painter.save()
        painter.setFont(self._font)
        CHARTS[key][1](painter, rect, self._data[key])
        painter.restore()


def _paint(document: Mapping[str, Any], family: str, writer: QPdfWriter) -> None:
    """Lay the page out on the writer's pages and paint each with its header and footer."""
    furniture = _font(family, 7.5)
    band = QFontMetricsF(furniture, writer).height() * 2.2
    whole = QRectF(0, 0, writer.width(), writer.height())
    body = whole.adjusted(0, band, 0, -band)
    text = _layout(document, family, writer, body.size())
    pages = text.pageCount()
    painter = QPainter(writer)
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            painter.setFont(furniture)
            _header(painter, document, whole, band * 0.6)
            _footer(painter, document, whole, band * 0.6, number, pages)
            painter.save()
            painter.translate(0, body.top() - number * body.height())
            text.drawContents(painter, QRectF(0, number * body.height(), body.width(), body.height()))
            painter.restore()
    finally:
        painter.end()


def _layout(document: Mapping[str, Any], family: str, writer: QPdfWriter, size: QSizeF) -> QTextDocument:
    """The page as a QTextDocument measured in the writer's units, charts in place, paginated to ``size``."""
    text = QTextDocument()
    text.setUndoRedoEnabled(False)
    text.documentLayout().setPaintDevice(writer)
    handler = _ChartObject(document, family, size.width() * CHART_SHARE, parent=text)
    text.documentLayout().registerHandler(CHART_OBJECT, handler)
    text.setDefaultFont(_font(family, BODY_PT))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # long hex strings still wrap
    text.setDefaultTextOption(option)
    text.setDocumentMargin(0)
    text.setHtml(page.render(document, for_pdf=True, chart_markup={key: marker(key) for key in CHARTS}))
    for key in CHARTS:
        _place_chart(text, key)
    text.setPageSize(size)
    return text


def _place_chart(text: QTextDocument, key: str) -> None:
    """Swap the chart's placeholder text for the object character its handler draws."""
    cursor = text.find(marker(key))
    if cursor.isNull():
        raise RuntimeError(f"the export template has no place for the {key} chart")
    fmt = QTextCharFormat()
    fmt.setObjectType(CHART_OBJECT)
    fmt.setProperty(CHART_KEY, key)
    cursor.insertText("\ufffc", fmt)


def _header(painter: QPainter, document: Mapping[str, Any], page: QRectF, height: float) -> None:
    """DEMO (when it is one), the token and the time the facts describe; plain text, elided to fit."""
    fm = QFontMetricsF(painter.font(), painter.device())
    line = QRectF(page.left(), page.top(), page.width(), height)
    if document.get("kind") == "demo":
        tag = QRectF(line.left(), line.top(), fm.horizontalAdvance(" DEMO "), line.height())
        painter.fillRect(tag, QColor(PALETTE["yellow"]))
        painter.setPen(QColor("#000000"))
        painter.drawText(tag, int(Qt.AlignmentFlag.AlignCenter), "DEMO")
        line = line.adjusted(tag.width() + fm.horizontalAdvance(" "), 0, 0, 0)
    token = document.get("token", {})
    as_of = f"as of {document.get('as_of') or document.get('generated_at') or 'unknown'}"
    title = " · ".join(str(token.get(key) or "?") for key in ("symbol", "chain", "address"))
    room = line.width() - fm.horizontalAdvance(f"{as_of}    ")
    painter.setPen(QColor("#333333"))
    painter.drawText(
        line, int(_MIDDLE), fm.elidedText(f"Backcheck report · {title}", Qt.TextElideMode.ElideRight, room)
    )
    painter.drawText(line, int(_MIDDLE | Qt.AlignmentFlag.AlignRight), as_of)
    painter.setPen(QColor("#999999"))
    painter.drawLine(QPointF(page.left(), line.bottom()), QPointF(page.right(), line.bottom()))


def _footer(
    painter: QPainter, document: Mapping[str, Any], page: QRectF, height: float, number: int, pages: int
) -> None:
    """The snapshot's digest (what exactly was seen) and the page number."""
    line = QRectF(page.left(), page.bottom() - height, page.width(), height)
    snapshot = document.get("snapshot") or {}
    digest = f"snapshot sha256 {snapshot['digest']}" if snapshot.get("digest") else "not saved as a snapshot"
    painter.setPen(QColor("#999999"))
    painter.drawLine(line.topLeft(), line.topRight())
    painter.setPen(QColor("#333333"))
    painter.drawText(line, int(_MIDDLE), digest)
    painter.drawText(line, int(_MIDDLE | Qt.AlignmentFlag.AlignRight), f"page {number + 1} of {pages}")


_MIDDLE = Qt.AlignmentFlag.AlignVCenter


def _font(family: str, points: float) -> QFont:
    """The bundled family at ``points``, without ligatures: "float" must stay searchable and copyable as typed."""
    font = QFont(family)
    font.setPointSizeF(points)
    font.setFeature(QFont.Tag("liga"), 0)
    return font
