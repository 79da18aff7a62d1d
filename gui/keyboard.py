"""The window for keyboard and screen-reader users: a tab order that follows the screen, names for custom widgets.

Qt puts a widget in the tab order when it is made, so the answer cards, rebuilt for each report,
would come last; :func:`order_answers` puts them right after the tab bar, in reading order. Tables
give Tab back to the window (arrow keys move inside them), and the explorer link opens with Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QWidget

from backcheck.core.answers import WORDS

if TYPE_CHECKING:
    from .main_window import MainWindow

LINKS = Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard


def prepare(window: MainWindow) -> None:
    """What the window needs once and after each report: Tab leaves tables, links take the focus."""
    for view in window.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)  # Tab moves on; the arrows move between cells
    window.explorer_label.setTextInteractionFlags(LINKS)


def order_answers(window: MainWindow) -> list[QWidget]:
    """Put each answer card's "Why ›", then "Convert my balance ›", right after the detail's tab bar.

    Each card is named for a screen reader by its question and status, and described by its
    figure and sentence. Returns the buttons in their new order.
    """
    overview = window.overview
    buttons: list[QWidget] = []
    for key, card in overview.cards.items():
        item = card.answer
        card.setAccessibleName(f"{item.question} {WORDS[item.status]}")
        card.setAccessibleDescription(f"{item.shown_figure}. {item.sentence}")
        why = card.findChild(QPushButton, f"why-{key}")
        if why is not None:
            why.setAccessibleDescription(f"The checks behind: {item.question}")
            buttons.append(why)
    convert = overview.findChild(QPushButton, "convertButton")
    if convert is not None:
        buttons.append(convert)
    previous: QWidget = window.tabs.tabBar()
    for button in buttons:
        QWidget.setTabOrder(previous, button)
        previous = button
    prepare(window)
    return buttons
