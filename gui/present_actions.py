"""The Present menu: the educator's walkthrough over the report on screen, and presentation mode.

The walkthrough takes the detail's place in the window (a custom stepper, not a dialog) and Esc
gives the detail back. The MK-1 answer the presenter records judges the report again, and the
walkthrough stays on its step. Presentation mode scales every font for a projector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication

from backcheck.core.rules import RuleConfig
from backcheck.core.walkthrough import record_marketing

from .walkthrough import Walkthrough

if TYPE_CHECKING:
    from .main_window import MainWindow

PRESENTATION_SCALE = 1.5


class PresentActions:
    """Owns the walkthrough page of the window's stack and the Present menu."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.walkthrough = Walkthrough()
        self.walkthrough.left.connect(self.leave)
        self.walkthrough.marketing_answered.connect(self.record)
        window.stack.addWidget(self.walkthrough)
        self._normal_font: QFont | None = None
        menu = window.menuBar().addMenu("&Present")
        self.walkthrough_action = QAction("Walkthrough of this report", window)
        self.walkthrough_action.setShortcut(QKeySequence("F5"))
        self.walkthrough_action.triggered.connect(self.start)
        menu.addAction(self.walkthrough_action)
        self.presentation_action = QAction("Presentation mode (larger text)", window)
        self.presentation_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.presentation_action.setCheckable(True)
        self.presentation_action.toggled.connect(self.set_presentation)
        menu.addAction(self.presentation_action)
        self.update_actions()

    def update_actions(self) -> None:
        """The walkthrough needs a report on screen."""
        self.walkthrough_action.setEnabled(self.window.report is not None)

    def start(self) -> None:
        """Walk through the report on screen from its first step."""
        if self.window.report is None:
            return
        self.walkthrough.start(self.window.report.document)
        self.window.stack.setCurrentWidget(self.walkthrough)
        self.walkthrough.setFocus()

    def leave(self) -> None:
        """Give the detail back."""
        self.window.stack.setCurrentIndex(1)

    def record(self, answer: str) -> None:
        """Judge the report again with the presenter's MK-1 answer; stay on the step."""
        window = self.window
        if window.report is None:
            return
        config = RuleConfig.load(window.settings)
        judged = record_marketing(window.report, answer, window.registry, config)
        window.show_report(judged, window.snapshot)
        self.walkthrough.start(judged.document, index=self.walkthrough.index)
        window.stack.setCurrentWidget(self.walkthrough)

    def set_presentation(self, on: bool) -> None:
        """Scale every font of the application for a projector, or back."""
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        if on:
            self._normal_font = QFont(app.font())
            big = QFont(self._normal_font)
            big.setPointSizeF(self._normal_font.pointSizeF() * PRESENTATION_SCALE)
            app.setFont(big)
        elif self._normal_font is not None:
            app.setFont(self._normal_font)
        if self.window.report is not None:  # cards and steps size their fonts when they are built
            self.window.show_report(self.window.report, self.window.snapshot)
            if self.window.stack.currentWidget() is self.walkthrough:
                self.walkthrough.start(self.window.report.document, index=self.walkthrough.index)
