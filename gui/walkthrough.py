"""The educator's walkthrough on the live window: a custom stepper (not QWizard) a presenter drives.

Next/Back buttons, the arrow keys, PgUp/PgDn and Space (what presenter clickers send); Esc leaves.
Everything shown is plain text from :mod:`backcheck.core.walkthrough`; the MK-1 step records the
presenter's answer through a signal, and the window judges the report again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backcheck.core.answers import ICONS, WORDS
from backcheck.core.walkthrough import MARKETING_ANSWERS, Step, steps, summary

from .overview import STATUS_COLOURS, plain, scaled

NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace}


def clear(layout: QVBoxLayout) -> None:
    """Remove every widget of a layout now (hidden at once; deleted when the event loop gets to it)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is not None and (widget := item.widget()) is not None:
            widget.hide()
            widget.deleteLater()


def _nav_button(text: str, description: str, slot: Any) -> QPushButton:
    """A button a mouse click does not take the focus to, so the clicker's keys still reach the stepper."""
    button = QPushButton(text)
    button.setAccessibleDescription(description)
    button.setToolTip(description)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.clicked.connect(slot)
    return button


class Walkthrough(QFrame):
    """Step N of M through one report.

    Signals:
        left(): the presenter pressed Esc or "Leave".
        marketing_answered(str): the MK-1 answer, one of ``yes``, ``no``, ``unsure``.
    """

    left = Signal()
    marketing_answered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkthrough")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Walkthrough")
        # The frame itself takes the clicker's keys: its border says when it has the focus.
        self.setStyleSheet(
            "#walkthrough { border:3px solid #a0aec0; border-radius:6px }"
            " #walkthrough:focus { border:3px solid #00367a }"
        )
        self.steps: list[Step] = []
        self.index = 0
        self.closing = ""
        self.header = QLabel()
        self.header.setObjectName("walkthroughHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.figure = plain("")
        self.figure.setObjectName("walkthroughFigure")
        self.provenance = plain("")
        self.teach = plain("")
        self.red_flag = plain("")
        self.question = plain("")
        self.findings = QVBoxLayout()
        self.answer_row = QHBoxLayout()
        self.answer_buttons: dict[str, QPushButton] = {}
        for answer, text in zip(MARKETING_ANSWERS, ("Yes, it promises that", "No", "Not sure"), strict=True):
            button = QPushButton(text)
            button.setObjectName(f"marketing-{answer}")
            button.setAccessibleDescription("Record the class's answer to MK-1 in the report")
            button.clicked.connect(lambda _=False, a=answer: self.marketing_answered.emit(a))
            self.answer_buttons[answer] = button
            self.answer_row.addWidget(button)
        self.answer_row.addStretch(1)
        self.leave = _nav_button("Leave (Esc)", "Leave the walkthrough", self.left)
        self.back = _nav_button("◀ Back", "Previous step (Left, Page Up)", self.previous_step)
        self.next = _nav_button("Next ▶", "Next step (Right, Page Down, Space)", self.next_step)
        self.next.setObjectName("walkthroughNext")
        # Back and Next sit by the title, where they stay on screen however long the step is.
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        for button in (self.back, self.next, self.leave):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget in (self.figure, self.provenance, self.teach, self.red_flag, self.question):
            layout.addWidget(widget)
        layout.addLayout(self.findings)
        layout.addLayout(self.answer_row)
        layout.addStretch(1)

    def start(self, document: dict[str, Any], index: int = 0) -> None:
        """Show the walkthrough of a report, from step ``index``."""
        self.steps = steps(document)
        self.closing = summary(document)
        self.index = max(0, min(index, len(self.steps) - 1))
        self._show()
        self.setFocus()

    def next_step(self) -> None:
        """Go one step on (the last step stays)."""
        if self.index < len(self.steps) - 1:
            self.index += 1
            self._show()

    def previous_step(self) -> None:
        """Go one step back (the first step stays)."""
        if self.index > 0:
            self.index -= 1
            self._show()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: D102 - Qt override
        key = event.key()
        if key in NEXT_KEYS:
            self.next_step()
        elif key in BACK_KEYS:
            self.previous_step()
        elif key == Qt.Key.Key_Escape:
            self.left.emit()
        else:
            super().keyPressEvent(event)

    def _show(self) -> None:
        step = self.steps[self.index]
        base = self.font()
        self.header.setFont(scaled(base, 1.4, bold=True))
        self.header.setText(f"Step {self.index + 1} of {len(self.steps)} — {step.title}")
        self.setAccessibleDescription(self.header.text())
        self.figure.setFont(scaled(base, 1.25, bold=True))
        self.figure.setText(step.figure)
        self.provenance.setText(f"Source: {step.provenance}" if step.provenance else "")
        self.provenance.setVisible(step.provenance is not None)
        self.teach.setText(f"Why it matters: {step.teach}")
        self.red_flag.setText(f"A red flag here: {step.red_flag}")
        self.question.setFont(scaled(base, 1.1, bold=True))
        self.question.setText(f"Ask the class: {step.question}")
        clear(self.findings)
        for rule_id, status, title in step.findings:
            row = plain(f"{ICONS[status]} {WORDS[status]} — {rule_id} {title}")
            row.setStyleSheet(f"color:{STATUS_COLOURS[status]}")
            row.setFont(scaled(base, 1.0, bold=True))
            self.findings.addWidget(row)
        if self.index == len(self.steps) - 1:
            closing = plain(f"In short: {self.closing}")
            closing.setFont(scaled(base, 1.0))
            self.findings.addWidget(closing)
        widgets: list[QWidget] = [self.provenance, self.teach, self.red_flag, self.leave, self.back, self.next]
        widgets.extend(self.answer_buttons.values())
        for widget in widgets:
            widget.setFont(scaled(base, 1.0))  # the styled frame does not pass its font on by itself
        for button in self.answer_buttons.values():
            button.setVisible(step.asks_marketing)
        self.back.setEnabled(self.index > 0)
        self.next.setEnabled(self.index < len(self.steps) - 1)
