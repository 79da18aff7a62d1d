"""The answer-first overview: a verdict line, coverage, and five answer cards a holder reads in 30 s.

Everything shown comes from :mod:`backcheck.core.answers`; status is icon + word + colour (never
colour alone), and unknown, stale and pass look different. Text from chains and APIs is plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backcheck.core.answers import ICONS, WORDS, Answer, answers, verdict_line

from .chart_widget import ChartPanel
from .plain_text import printable, tip
from .widgets import WrapLabel

# Okabe-Ito based, readable with white text; the icon and the word carry the meaning on their own.
STATUS_COLOURS = {
    "pass": "#00704f",
    "info": "#0b5e8e",
    "caution": "#8a5a00",
    "warning": "#b34700",
    "critical": "#8e1b1b",
    "unknown": "#4a5568",
    "stale": "#5b3a96",
    "n/a": "#718096",
}


NAME_CHARS = 40  # a token's name in the verdict line is elided to about this many average characters


def plain(text: str) -> QLabel:
    """A word-wrapped label that never interprets its text as rich text (a long word elides)."""
    return WrapLabel(text, plain=True)


def scaled(font: QFont, factor: float, *, bold: bool = False) -> QFont:
    """``font`` enlarged by ``factor`` (so presentation scale, a bigger base font, carries through)."""
    out = QFont(font)
    out.setPointSizeF(font.pointSizeF() * factor)
    out.setBold(bold)
    return out


def badge(status: str) -> QLabel:
    """The status as icon + word on its colour."""
    label = QLabel(f"{ICONS[status]} {WORDS[status]}")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(f"badge-{status}")
    label.setStyleSheet(
        f"background:{STATUS_COLOURS[status]};color:white;font-weight:bold;padding:2px 8px;border-radius:3px"
    )
    label.setAccessibleName(WORDS[status])
    return label


class AnswerCard(QFrame):
    """One of the five questions: badge, one sentence, the figure that matters, and 'Why ›'."""

    why = Signal(str)  # the answer's key

    def __init__(self, item: Answer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card-{item.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        colour = STATUS_COLOURS[item.status]
        self.setStyleSheet(
            f"#card-{item.key} {{ border:1px solid #cbd5e0; border-left:6px solid {colour}; border-radius:4px }}"
        )
        title = plain(item.question)
        title.setFont(scaled(self.font(), 1.3, bold=True))
        head = QHBoxLayout()
        head.addWidget(title, 1)
        status = badge(item.status)
        status.setFont(scaled(self.font(), 1.0, bold=True))
        head.addWidget(status, 0, Qt.AlignmentFlag.AlignTop)
        self.sentence = plain(item.sentence)
        self.figure = plain(item.shown_figure)
        self.figure.setFont(scaled(self.font(), 1.1, bold=True))
        measured = plain(item.measured + (f" · as of {item.shown_as_of}" if item.as_of else ""))
        measured.setStyleSheet("color:palette(placeholder-text)")
        more = QPushButton("Why ›")
        more.setObjectName(f"why-{item.key}")
        more.setToolTip("Open the checks behind this answer: why, the evidence, the raw answers")
        more.clicked.connect(lambda: self.why.emit(item.key))
        foot = QHBoxLayout()
        foot.addWidget(measured, 1)
        foot.addWidget(more)
        for label in (self.sentence, measured, more):
            label.setFont(scaled(self.font(), 1.0))  # a styled frame does not pass its font on by itself
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.figure)
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        layout.addLayout(foot)
        self.answer = item


class AnswerOverview(QWidget):
    """Verdict line, coverage and the five cards, plus the way to the converter.

    Signals:
        why(str): a card's "Why ›" was clicked (its key: what, backed, control, holders, exit).
        convert(): "Convert my balance ›" was clicked.
    """

    why = Signal(str)
    convert = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerOverview")
        self.verdict = plain("")
        self.verdict.setObjectName("verdictLine")
        self.coverage = plain("")
        self.coverage.setObjectName("coverageLine")
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.cards: dict[str, AnswerCard] = {}
        # Below the cards: the reserves against the outstanding supply, with its figures beside it.
        self.reserves = ChartPanel("reserves", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.coverage)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.reserves)

    def minimumSizeHint(self) -> QSize:
        """At least the height the wrapped card text needs at this width (Qt's own hint guesses the width).

        Without it a scroll area gives the overview too little height at large fonts, and a card's
        last lines are cut off.
        """
        hint = QSize(super().minimumSizeHint())
        if self.width() > 0 and self.hasHeightForWidth():
            hint.setHeight(max(hint.height(), self.heightForWidth(self.width())))
        return hint

    def show_report(self, document: dict[str, Any]) -> None:
        """Show a report document's answers (any earlier cards are replaced)."""
        self.verdict.setFont(scaled(self.font(), 1.2))
        self._show_verdict(document)
        verdict = document["verdict"]
        counts = ", ".join(
            f"{ICONS['info' if status == 'info' else status]} {n} {status}"
            for status in ("critical", "warning", "caution", "unknown", "info", "pass")
            if (n := verdict["counts"].get(status, 0))
        )
        self.coverage.setText(f"{verdict['coverage']}. {counts}.")
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # gone from the screen now, deleted when the event loop gets to it
                widget.deleteLater()
        self.cards = {}
        for n, item in enumerate(answers(document)):
            card = AnswerCard(item, self)  # a child from the start: it inherits the overview's font
            card.why.connect(self.why)
            self.cards[item.key] = card
            self.grid.addWidget(card, n // 3, n % 3)
        self.grid.addWidget(self._balance_card(), 1, 2)
        for column in range(3):
            self.grid.setColumnStretch(column, 1)
        self.reserves.show_document(document)

    def _show_verdict(self, document: dict[str, Any]) -> None:
        """The verdict line, a long token name in it elided (the tooltip has the whole line)."""
        token = document["token"]
        name = printable(str(token["symbol"] or token["address"]))
        metrics = self.verdict.fontMetrics()
        short = metrics.elidedText(name, Qt.TextElideMode.ElideRight, metrics.averageCharWidth() * NAME_CHARS)
        if short == name:
            self.verdict.setText(verdict_line(document))
            self.verdict.setToolTip("")
            return
        self.verdict.setText(verdict_line({**document, "token": {**token, "symbol": short}}))
        self.verdict.setToolTip(tip(verdict_line(document)))

    def _balance_card(self) -> QFrame:
        card = QFrame(self)
        card.setObjectName("card-balance")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setStyleSheet("#card-balance { border:1px solid #cbd5e0; border-radius:4px }")
        title = plain("How many shares is my balance?")
        title.setFont(scaled(self.font(), 1.3, bold=True))
        button = QPushButton("Convert my balance ›")
        button.setObjectName("convertButton")
        button.clicked.connect(self.convert)
        text = plain("Tokens ⇄ shares with the multiplier read from the chain, including a change already scheduled.")
        for widget in (text, button):
            widget.setFont(scaled(self.font(), 1.0))
        layout = QVBoxLayout(card)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addStretch(1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
        return card
