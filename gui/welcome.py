"""The first screen when no token is shown: where to search, and the shipped demos one click away."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backcheck.core.snapshot import Demo

from .widgets import WrapLabel, menu_text, named, one_line

TEACHES_CHARS = 200  # what a demo teaches, in a sentence or two; the banner and report say the rest


class WelcomePanel(QWidget):
    """Points to the search box and offers each demo as a button.

    Signals:
        demo_chosen(object): the :class:`Demo` clicked.
        search_wanted(): the user asked to type a token.

    Attributes:
        buttons: One button per demo, in the order given, named by its title.
        descriptions: Under each button, what the demo teaches.
    """

    demo_chosen = Signal(object)
    search_wanted = Signal()

    def __init__(self, demos: Sequence[Demo]) -> None:
        super().__init__()
        self.setObjectName("welcomePanel")
        heading = named(QLabel("Check a tokenized stock before you trust it"), "welcomeHeading")
        font = QFont(heading.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        heading.setFont(font)
        search = WrapLabel(
            "Type a ticker (AAPL), a token symbol (AAPLx), an ISIN or a contract address in the search box "
            "above, then pick the token and the chain you hold. Backcheck reads the chain and the issuer's "
            "sources and tells you what it could and could not verify."
        )
        search_button = named(QPushButton("Search a token (Ctrl+L)"), "welcomeSearchButton")
        search_button.clicked.connect(self.search_wanted)
        search_button.setAccessibleDescription("Move to the search box above")
        intro = WrapLabel(
            "Or open a demo: a saved scenario on Backcheck's own test chain that shows one red flag. "
            "Demos open offline and are labelled DEMO; they are not live tokens."
            if demos
            else "No demo scenarios are installed."
        )
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        self.descriptions: list[QLabel] = []
        for n, demo in enumerate(demos):
            card, button, description = _card(demo)
            button.clicked.connect(lambda _=False, demo=demo: self.demo_chosen.emit(demo))
            grid.addWidget(card, n // 2, n % 2)
            self.buttons.append(button)
            self.descriptions.append(description)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(search)
        layout.addWidget(search_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addStretch(1)


def _card(demo: Demo) -> tuple[QFrame, QPushButton, QLabel]:
    """A demo's button (its title) over what it teaches; both grow with the font (presentation mode)."""
    button = named(QPushButton(menu_text(demo.title)), "demoButton")
    button.setToolTip(demo.name)
    button.setAccessibleName(f"Open the demo {one_line(demo.title)}")
    button.setAccessibleDescription(one_line(demo.teaches, TEACHES_CHARS))
    font = QFont(button.font())
    font.setBold(True)
    button.setFont(font)
    button.setStyleSheet("text-align:left;padding:4px 10px")  # no border or background: the style still draws focus
    description = named(WrapLabel(one_line(demo.teaches, TEACHES_CHARS), plain=True), "demoTeaches")
    card = named(QFrame(), "demoCard")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(card)
    layout.addWidget(button)
    layout.addWidget(description)
    layout.addStretch(1)
    return card, button, description
