"""The View menu: presentation mode (F5) and the educator's walkthrough of the report on screen.

Presentation mode is for a projector: fonts and controls 1.5× and a high-contrast palette
(:mod:`.presentation`), full screen, a shorter banner, and the checks' evidence and raw layers
folded; leaving gives back everything it found. The walkthrough takes the detail's place in the
window (a custom stepper, not a dialog) and Esc gives the detail back; the MK-1 answer the
presenter records judges the report again, and the walkthrough stays on its step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from backcheck.core.rules import RuleConfig
from backcheck.core.walkthrough import record_marketing

from . import keyboard
from .presentation import Presentation
from .walkthrough import Walkthrough

if TYPE_CHECKING:
    from .main_window import MainWindow

PRESENTATION_SCALE = 1.5
PRESENTATION_KEY = "F5"
WALKTHROUGH_KEY = "Ctrl+Shift+W"


class PresentActions:
    """Owns the walkthrough page of the window's stack, presentation mode and the View menu.

    Attributes:
        presenting: Presentation mode is on.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.walkthrough = Walkthrough()
        self.walkthrough.left.connect(self.leave)
        self.walkthrough.marketing_answered.connect(self.record)
        window.stack.addWidget(self.walkthrough)
        self.presenting = False
        self.look = Presentation()
        self._state = Qt.WindowState.WindowNoState  # the window's state before full screen
        menu = window.menuBar().addMenu("&View")
        self.presentation_action = QAction("&Presentation mode (large text, high contrast, full screen)", window)
        self.presentation_action.setShortcut(QKeySequence(PRESENTATION_KEY))
        self.presentation_action.setToolTip(f"For a projector; {PRESENTATION_KEY} again leaves it")
        self.presentation_action.setCheckable(True)
        self.presentation_action.toggled.connect(self.set_presentation)
        menu.addAction(self.presentation_action)
        self.walkthrough_action = QAction("&Walkthrough of this report", window)
        self.walkthrough_action.setShortcut(QKeySequence(WALKTHROUGH_KEY))
        self.walkthrough_action.triggered.connect(self.start)
        menu.addAction(self.walkthrough_action)
        keyboard.prepare(window)
        self.update_actions()

    def update_actions(self) -> None:
        """After each report shown (the window calls this): the walkthrough needs one; its cards join the tab order."""
        self.walkthrough_action.setEnabled(self.window.report is not None)
        if self.window.report is not None:
            keyboard.order_answers(self.window)

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

    def set_presentation(self, on: bool, *, scale: float = PRESENTATION_SCALE, full_screen: bool = True) -> None:
        """Enter presentation mode (fonts × ``scale``, high contrast, full screen, raw folded) or leave it.

        Args:
            on: Enter, or leave and give back what was there before.
            scale: How much larger every font and control gets.
            full_screen: Take the whole screen (a screenshot of a given size does not).
        """
        app = QApplication.instance()
        if not isinstance(app, QApplication) or on == self.presenting:
            return
        window = self.window
        if on:
            self._state = window.windowState()
            self.look.enter(app, window, scale)
            if full_screen:
                window.showFullScreen()
            window.statusBar().showMessage(f"Presentation mode: {PRESENTATION_KEY} leaves it", 10_000)
        else:
            self.look.leave(app, window)
            if window.isFullScreen() and not self._state & Qt.WindowState.WindowFullScreen:
                window.setWindowState(self._state)
        window.banner.set_compact(on)
        if on:
            window.checklist.fold_raw()  # a new report's checks start folded anyway
        self.presenting = on
        if self.presentation_action.isChecked() != on:  # entered from code (a screenshot), not the menu
            self.presentation_action.blockSignals(True)
            self.presentation_action.setChecked(on)
            self.presentation_action.blockSignals(False)
