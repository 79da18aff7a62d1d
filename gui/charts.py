"""Charts of a report, each one QPainter drawing function: on screen, in the PDF (vector) and as SVG.

The data comes from the report document (``backcheck.report/1``), so every view draws the same
figures. A figure that was not measured is drawn as the word "unknown" with its reason, never as
a zero-length bar. Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies), and every bar carries its figure as text, so no colour has to be told apart.
Sizes follow the painter's font: a caller scales a chart by giving it a bigger font and rect.
"""

from __future__ import annotations

import contextlib
import dataclasses
import textwrap
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

# Okabe & Ito, "Color Universal Design" (2008).
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
INK, MUTED, GRID = QColor("#1a1a1a"), QColor("#555555"), QColor("#c8c8c8")
TOP_HOLDERS = 10
Table = tuple[tuple[str, str], list[tuple[str, str]]]  # column headers, rows
REASON_CHARS = 90


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a chart: its label, its value (``None`` when unknown) and why it is unknown."""

    label: str
    value: Decimal | None
    reason: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class HoldersData:
    """The largest holders on the float, and the labelled wallets shown apart from it.

    Attributes:
        holders: Unlabelled holders, largest first; ``value`` is the share of the float (0–1).
        apart: Labelled wallets (issuer, bridge, pool, burn), excluded from the float; ``value``
            is the amount in tokens.
        unknown: Why the holder list is unknown, or ``None`` when it was read.
    """

    title: ClassVar[str] = "Largest holders, share of the float"
    holders: tuple[Figure, ...]
    apart: tuple[Figure, ...]
    unknown: str | None

    @property
    def lines(self) -> int:
        """Text lines the chart needs (title, one per bar, the scale, the wallets shown apart)."""
        if self.unknown is not None:
            return 4
        return 3 + max(len(self.holders), 1) + (1 + len(self.apart) if self.apart else 0)

    def table(self) -> Table:
        """The chart's figures as a table: column headers and rows of text."""
        if self.unknown is not None:
            return ("Holder", "Share of the float"), [("unknown", self.unknown)]
        rows = [(h.label, _or_unknown(h, percent(h.value))) for h in self.holders]
        rows += [(f"{w.label} (shown apart)", f"not in the float: {amount(w.value)} tokens") for w in self.apart]
        return ("Holder", "Share of the float"), rows

    def summary(self) -> str:
        """The chart's text alternative, in one or two sentences."""
        if self.unknown is not None:
            return f"{self.title}: unknown ({self.unknown})."
        parts = ", ".join(f"{h.label} {percent(h.value)}" for h in self.holders[:3]) or "none listed"
        apart = f" {len(self.apart)} labelled wallet(s) shown apart, not in the float." if self.apart else ""
        return f"{self.title}: {parts}.{apart}"


@dataclasses.dataclass(frozen=True, slots=True)
class ReservesData:
    """Reserves against the outstanding supply, and the proof's age against its promised cadence.

    Attributes:
        basis: Where the reserves figure comes from (the issuer's proof, a reserve feed).
        amounts: Shares held first, then each outstanding figure, in shares.
        coverage: Reserves ÷ outstanding, as each source or measure computes it.
        age: The proof's age in hours.
        cadence: How often the proof is promised, in hours.
        unknown: Why there is nothing to draw at all (no proof of reserve read), else ``None``.
    """

    title: ClassVar[str] = "Reserves against the outstanding supply"
    basis: str
    amounts: tuple[Figure, ...]
    coverage: tuple[Figure, ...]
    age: Figure
    cadence: Figure
    unknown: str | None

    @property
    def lines(self) -> int:
        """Text lines the chart needs (title, two per amount, coverage, the age gauge)."""
        if self.unknown is not None:
            return 4
        return 1 + 2 * len(self.amounts) + len(self.coverage) + 4

    def table(self) -> Table:
        """The chart's figures as a table: column headers and rows of text."""
        if self.unknown is not None:
            return ("Figure", "Value"), [("Reserves", f"unknown: {self.unknown}")]
        rows = [(f.label, _or_unknown(f, amount(f.value) + " shares")) for f in self.amounts]
        rows += [(f.label, _or_unknown(f, percent(f.value))) for f in self.coverage]
        rows.append((self.age.label, _or_unknown(self.age, f"{amount(self.age.value)} h")))
        rows.append((self.cadence.label, _or_unknown(self.cadence, f"every {amount(self.cadence.value)} h")))
        return ("Figure", "Value"), rows

    def summary(self) -> str:
        """The chart's text alternative, in one or two sentences."""
        if self.unknown is not None:
            return f"{self.title}: unknown ({self.unknown})."
        parts = "; ".join(f"{f.label}: {_or_unknown(f, amount(f.value))}" for f in self.amounts)
        return f"From {self.basis}: {parts}. {self.age.label}: {_or_unknown(self.age, amount(self.age.value) + ' h')}."


def holders_data(document: Mapping[str, Any]) -> HoldersData:
    """The holders chart's data from a report document's ``holders`` fact."""
    fact = document.get("facts", {}).get("holders")
    if fact is None:
        return HoldersData((), (), "the holders were not read for this report")
    if not isinstance(fact.get("value"), list):
        return HoldersData((), (), str(fact.get("error") or "the holder list is unknown"))
    listed, apart = [], []
    for row in fact["value"]:
        name = str(row.get("label") or short_address(str(row.get("account") or "?")))
        if row.get("label"):
            apart.append(Figure(name, decimal(row.get("amount"))))
        else:
            share = decimal(row.get("share_of_float"))
            listed.append(Figure(name, share, None if share is not None else "the float is unknown"))
    listed.sort(key=lambda f: f.value if f.value is not None else Decimal(-1), reverse=True)
    return HoldersData(tuple(listed[:TOP_HOLDERS]), tuple(apart), None)


def reserves_data(document: Mapping[str, Any]) -> ReservesData:
    """The reserves chart's data: the issuer's proof of reserve, else a reserve feed, else unknown."""
    facts = document.get("facts", {})
    if "reserves_shares" in facts:
        amounts = [
            _figure(facts, "reserves_shares", "Shares held (issuer's proof of reserve)"),
            _figure(facts, "outstanding_all_chains", "Outstanding on every chain (issuer's figure)"),
        ]
        coverage = [_figure(facts, "reserves_coverage", "Coverage (issuer's figures)")]
        if "outstanding_measured_all_chains" in facts:
            amounts.append(
                _figure(facts, "outstanding_measured_all_chains", "Outstanding on every chain (measured by Backcheck)")
            )
            coverage.append(_figure(facts, "reserves_coverage_measured", "Coverage (measured by Backcheck)"))
        return ReservesData(
            "the issuer's proof of reserve",
            tuple(amounts),
            tuple(coverage),
            _figure(facts, "reserves_age_hours", "Age of the proof"),
            _figure(facts, "reserves_cadence_hours", "Promised cadence"),
            None,
        )
    if "reserves_feed_answer" in facts:
        return ReservesData(
            "the reserve feed",
            (
                _figure(facts, "reserves_feed_answer", "Shares held (reserve feed)"),
                _figure(facts, "float", "Float on this chain"),
            ),
            (_figure(facts, "reserves_feed_coverage", "Coverage of the float"),),
            _figure(facts, "reserves_feed_age_hours", "Age of the feed's answer"),
            _figure(facts, "reserves_feed_heartbeat_hours", "Feed heartbeat"),
            None,
        )
    none = Figure("", None, "not read")
    return ReservesData("", (), (), none, none, "no proof of reserve was read for this token")


@contextlib.contextmanager
def _frame(painter: QPainter, rect: QRectF, data: HoldersData | ReservesData) -> Iterator[_Metrics | None]:
    """Save the painter, draw the chart's title, and say "unknown" instead of drawing when the data is."""
    painter.save()
    try:
        m = _Metrics(painter, rect, data.lines)
        _title(painter, m, data.title)
        if data.unknown is not None:
            _unknown(painter, m, 1, data.unknown)
            yield None
        else:
            yield m
    finally:
        painter.restore()


def draw_holders(painter: QPainter, rect: QRectF, data: HoldersData) -> None:
    """Draw the largest holders' shares of the float as horizontal bars on a 0–100 % scale."""
    with _frame(painter, rect, data) as m:
        if m is not None:
            _draw_holders(painter, rect, data, m)


def _draw_holders(painter: QPainter, rect: QRectF, data: HoldersData, m: _Metrics) -> None:
    label_w = min(max((m.fm.horizontalAdvance(h.label) for h in data.holders), default=0), rect.width() * 0.32)
    value_w = m.fm.horizontalAdvance("100.00 %") + m.pad
    track = QRectF(rect.left() + label_w + m.pad, 0, rect.width() - label_w - value_w - 2 * m.pad, 0)
    if data.holders:
        _scale(painter, m, track, 1, 1 + len(data.holders))
    else:  # read, and nobody outside the labelled wallets holds any
        _unknown(painter, m, 1, "no unlabelled holder was listed", word="none")
    for i, holder in enumerate(data.holders, start=1):
        top = m.row(i)
        _text(painter, QRectF(rect.left(), top, label_w, m.lh), holder.label, INK, Qt.AlignmentFlag.AlignRight)
        if holder.value is None:
            _text(painter, QRectF(track.left(), top, rect.right() - track.left(), m.lh), _unknown_line(holder), MUTED)
            continue
        share = min(max(holder.value, Decimal(0)), Decimal(1))
        width = track.width() * float(share)
        painter.fillRect(QRectF(track.left(), top + m.lh * 0.15, width, m.lh * 0.7), QColor(PALETTE["blue"]))
        label = percent(holder.value)
        spot = QRectF(track.left() + width + m.pad / 4, top, m.fm.horizontalAdvance(label) + m.pad / 2, m.lh)
        painter.fillRect(spot, QColor("#ffffff"))  # the figure stays readable over the grid lines
        _text(painter, spot.adjusted(m.pad / 4, 0, 0, 0), label, INK)
    if data.apart:
        first = 3 + max(len(data.holders), 1)
        heading = QRectF(rect.left(), m.row(first - 1), rect.width(), m.lh)
        _text(painter, heading, "Shown apart, not in the float:", MUTED)
        for i, wallet in enumerate(data.apart):
            top = m.row(first + i)
            painter.fillRect(QRectF(rect.left(), top + m.lh * 0.2, m.lh * 0.6, m.lh * 0.6), QColor(PALETTE["orange"]))
            line = f"{wallet.label}: {amount(wallet.value)} tokens"
            _text(painter, QRectF(rect.left() + m.lh, top, rect.width() - m.lh, m.lh), line, INK)


def draw_reserves(painter: QPainter, rect: QRectF, data: ReservesData) -> None:
    """Draw shares held against the outstanding supply, then the proof's age against its cadence."""
    with _frame(painter, rect, data) as m:
        if m is not None:
            _draw_reserves(painter, rect, data, m)


def _draw_reserves(painter: QPainter, rect: QRectF, data: ReservesData, m: _Metrics) -> None:
    known = [f.value for f in data.amounts if f.value is not None and f.value > 0]
    top_value = max(known, default=Decimal(1))
    value_w = max(m.fm.horizontalAdvance(amount(v)) for v in [top_value, *known]) + m.pad
    track_w = rect.width() - value_w - m.pad
    colours = [PALETTE["bluish_green"], PALETTE["blue"], PALETTE["sky_blue"]]
    for i, figure in enumerate(data.amounts):
        label_top, bar_top = m.row(1 + 2 * i), m.row(2 + 2 * i)
        _text(painter, QRectF(rect.left(), label_top, rect.width(), m.lh), figure.label, INK)
        if figure.value is None:
            _text(painter, QRectF(rect.left(), bar_top, rect.width(), m.lh), _unknown_line(figure), MUTED)
            continue
        width = track_w * float(max(figure.value, Decimal(0)) / top_value)
        bar = QRectF(rect.left(), bar_top + m.lh * 0.1, width, m.lh * 0.8)
        painter.fillRect(bar, QColor(colours[i % len(colours)]))
        _text(painter, QRectF(bar.right() + m.pad / 2, bar_top, value_w, m.lh), amount(figure.value), INK)
    row = 1 + 2 * len(data.amounts)
    for j, figure in enumerate(data.coverage):
        line = f"{figure.label}: {_or_unknown(figure, percent(figure.value))}"
        _text(painter, QRectF(rect.left(), m.row(row + j), rect.width(), m.lh), line, INK)
    _age_gauge(painter, m, row + len(data.coverage) + 1, data)


# Each chart: its data from a report document, and its drawing function.
CHARTS: dict[str, tuple[Callable[[Mapping[str, Any]], Any], Callable[[QPainter, QRectF, Any], None]]] = {
    "holders": (holders_data, draw_holders),
    "reserves": (reserves_data, draw_reserves),
}


def _age_gauge(painter: QPainter, m: _Metrics, row: int, data: ReservesData) -> None:
    """The proof's age as a bar on a time track, with the promised cadence marked on it."""
    rect, age, cadence = m.rect, data.age, data.cadence
    if age.value is None:
        line = f"{age.label}: {_unknown_line(age)}"
    else:
        line = f"{age.label}: {amount(age.value)} h (as of the report)"
    _text(painter, QRectF(rect.left(), m.row(row), rect.width(), m.lh), line, INK)
    span = max(v for v in (age.value, cadence.value, Decimal(1)) if v is not None) * Decimal("1.25")
    track = QRectF(rect.left(), m.row(row + 1) + m.lh * 0.15, rect.width() - m.pad, m.lh * 0.7)
    painter.setPen(QPen(GRID, 0))
    painter.drawRect(track)
    if age.value is not None:
        width = track.width() * float(max(age.value, Decimal(0)) / span)
        painter.fillRect(QRectF(track.left(), track.top(), width, track.height()), QColor(PALETTE["reddish_purple"]))
    if cadence.value is None:
        note = f"{cadence.label}: {_unknown_line(cadence)}"
        _text(painter, QRectF(rect.left(), m.row(row + 2), rect.width(), m.lh), note, MUTED)
        return
    x = track.left() + track.width() * float(cadence.value / span)
    painter.setPen(QPen(INK, max(m.lh * 0.08, 1), Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(x, track.top() - m.lh * 0.15), QPointF(x, track.bottom() + m.lh * 0.15))
    note = f"{cadence.label}: every {amount(cadence.value)} h"
    y = m.row(row + 2)
    if x > rect.center().x():  # the note ends at the marker, or starts there, whichever side has room
        spot, align = QRectF(rect.left(), y, x - rect.left(), m.lh), Qt.AlignmentFlag.AlignRight
    else:
        spot, align = QRectF(x, y, rect.right() - x, m.lh), Qt.AlignmentFlag.AlignLeft
    _text(painter, spot, note, INK, align)


def line_height(font: QFont, device: QPaintDevice) -> float:
    """One text line of a chart drawn with ``font`` on ``device`` (a chart is ``lines`` of these high)."""
    return QFontMetricsF(font, device).height() * 1.35


class _Metrics:
    """Line height and rows of a chart, from the painter's font on its own device."""

    def __init__(self, painter: QPainter, rect: QRectF, lines: int) -> None:
        self.rect = rect
        self.fm = QFontMetricsF(painter.font(), painter.device())
        self.lh = min(line_height(painter.font(), painter.device()), rect.height() / max(lines, 1))
        self.pad = self.fm.horizontalAdvance("  ")

    def row(self, index: int) -> float:
        """The top of text line ``index`` (0 is the title)."""
        return self.rect.top() + index * self.lh


def _title(painter: QPainter, m: _Metrics, title: str) -> None:
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    _text(painter, QRectF(m.rect.left(), m.row(0), m.rect.width(), m.lh), title, INK)
    font.setBold(False)
    painter.setFont(font)


def _scale(painter: QPainter, m: _Metrics, track: QRectF, first: int, last: int) -> None:
    """Grid lines at 0, 25, 50, 75 and 100 % of the float, labelled under the bars."""
    top, bottom = m.row(first), m.row(last)
    for step in range(5):
        x = track.left() + track.width() * step / 4
        painter.setPen(QPen(GRID, 0))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        label = f"{step * 25} %"
        width = m.fm.horizontalAdvance(label)
        _text(painter, QRectF(x - width / 2, bottom, width + 1, m.lh), label, MUTED)


def _unknown(painter: QPainter, m: _Metrics, row: int, reason: str, word: str = "unknown") -> None:
    """The word in large type with the reason under it: never an empty chart that reads as zero."""
    plain = QFont(painter.font())
    big = _scaled(plain, 1.4)
    big.setBold(True)
    painter.setFont(big)
    _text(painter, QRectF(m.rect.left(), m.row(row), m.rect.width(), m.lh * 1.4), word, MUTED)
    painter.setFont(plain)
    _text(painter, QRectF(m.rect.left(), m.row(row) + m.lh * 1.5, m.rect.width(), m.lh * 2), reason, MUTED, wrap=True)


def _scaled(font: QFont, factor: float) -> QFont:
    """The font ``factor`` times larger, whether it was sized in points or in pixels."""
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    else:
        scaled.setPixelSize(round(font.pixelSize() * factor))
    return scaled


def _text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    colour: QColor,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    *,
    wrap: bool = False,
) -> None:
    """Plain text only (labels come from chains and APIs), elided to its rect unless wrapped."""
    painter.setPen(colour)
    flags = align | (Qt.AlignmentFlag.AlignTop if wrap else Qt.AlignmentFlag.AlignVCenter)
    if wrap:
        painter.drawText(rect, int(flags | Qt.TextFlag.TextWrapAnywhere), text)
    else:
        metrics = QFontMetricsF(painter.font(), painter.device())
        painter.drawText(rect, int(flags), metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))


def _figure(facts: Mapping[str, Any], key: str, label: str) -> Figure:
    fact = facts.get(key)
    if fact is None:
        return Figure(label, None, "not read")
    value = decimal(fact.get("value"))
    return Figure(label, value, None if value is not None else str(fact.get("error") or "not measured"))


def _unknown_line(figure: Figure) -> str:
    """``unknown (reason)``, a long reason shortened: the evidence table has it whole."""
    if not figure.reason:
        return "unknown"
    return f"unknown ({textwrap.shorten(figure.reason, REASON_CHARS, placeholder=' …')})"


def _or_unknown(figure: Figure, text: str) -> str:
    return text if figure.value is not None else _unknown_line(figure)


def decimal(value: object) -> Decimal | None:
    """A report's decimal string as a finite Decimal, else ``None`` (``"none"``, lists, booleans …)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def percent(value: Decimal | None) -> str:
    """A fraction as a percentage with two decimals (``"unknown"`` for ``None``)."""
    return "unknown" if value is None else f"{value * 100:.2f} %"


def amount(value: Decimal | None) -> str:
    """An amount grouped by thousands, at most four decimals, trailing zeros dropped."""
    if value is None:
        return "unknown"
    text = f"{value:,.4f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def short_address(account: str) -> str:
    """``0x9965…a0dc``: enough to tell holders apart; the full address is in the evidence."""
    return account if len(account) <= 14 else f"{account[:6]}…{account[-4:]}"
