"""The window with the keyboard alone: the tab order follows the screen, focus shows, custom widgets have names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from backcheck.core.answers import WORDS
from backcheck.core.registry import Registry
from backcheck.core.settings import DECLARED, Settings
from backcheck.core.snapshot import demo_path
from backcheck.gui.main_window import MainWindow
from backcheck.gui.settings_dialog import SettingsDialog

CARDS = ["why-what", "why-backed", "why-control", "why-holders", "why-exit"]


@pytest.fixture
def window(qtbot, core):
    w = MainWindow(Registry.load(), Settings.load(), core)
    qtbot.add_widget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.wait_exposed(w)
    w.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is w)
    return w


def open_demo(qtbot, w: MainWindow, name: str) -> None:
    w.files.open_path(demo_path(name))
    qtbot.wait_until(lambda: w.report is not None and w.report.document["demo"]["name"] == name, timeout=10_000)
    last = w.overview.findChild(QPushButton, "convertButton")
    qtbot.wait_until(lambda: last.isVisible())  # a layout shows new cards when the event loop gets to it


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab_through(qtbot, w: MainWindow, presses: int = 80) -> list[str]:
    """Press Tab from the search box until the focus comes back to it; the names of the stops, in order."""
    w.search_edit.setFocus(Qt.FocusReason.TabFocusReason)
    stops: list[QWidget] = []
    for _ in range(presses):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        if focused() is w.search_edit:
            return [widget.objectName() or type(widget).__name__ for widget in stops]
        if not stops or stops[-1] is not focused():  # a link label takes two stops: itself, then its link
            stops.append(focused())
    raise AssertionError(f"Tab never came back to the search box: {stops}")


def test_tab_follows_the_report_from_search_to_each_answer(qtbot, window):
    open_demo(qtbot, window, "paused-single-key")
    stops = tab_through(qtbot, window)
    expected = ["chainCombo", "searchButton", "copyDigestButton", "copyButton", "explorerLabel", "qt_tabwidget_tabbar"]
    assert stops[: len(expected) + len(CARDS) + 1] == [*expected, *CARDS, "convertButton"], stops
    # Space on a card's "Why ›", reached by keyboard alone, opens the checks behind it.
    window.search_edit.setFocus(Qt.FocusReason.TabFocusReason)
    while focused().objectName() != "why-control":
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert window.tabs.currentWidget() is window.checklist
    assert window.checklist.tree.currentItem().text(0).split("] ")[1].startswith("CT-4")


def test_the_welcome_screen_opens_a_demo_by_keyboard(qtbot, window):
    stops = tab_through(qtbot, window)
    demos = len(window.files.demos)
    assert stops == ["chainCombo", "searchButton", "welcomeSearchButton", *["demoButton"] * demos, "windowScroll"]
    while focused().objectName() != "demoButton":
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.wait_until(lambda: window.report is not None, timeout=10_000)
    assert window.report.document["demo"]["name"] == window.files.demos[0].name


def test_the_menus_each_have_their_own_letter(window):
    titles = [a.menu().title() for a in window.menuBar().actions()]
    letters = [t[t.index("&") + 1].lower() for t in titles]
    assert all("&" in t for t in titles) and len(set(letters)) == len(letters), titles


def grab(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


@pytest.mark.parametrize("name", ["why-control", "convertButton", "copyDigestButton", "qt_tabwidget_tabbar"])
def test_focus_shows_through_the_style_sheets(qtbot, window, name):
    """The card and the banner have style sheets; the focus frame still shows on what sits in them."""
    open_demo(qtbot, window, "paused-single-key")
    target = window.findChild(QWidget, name)
    window.search_edit.setFocus(Qt.FocusReason.TabFocusReason)
    before = grab(target)
    while focused() is not target:
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert grab(target) != before


def test_focus_shows_on_the_welcome_buttons_and_the_walkthrough(qtbot, window):
    button = window.welcome.buttons[0]
    window.search_edit.setFocus(Qt.FocusReason.TabFocusReason)
    before = grab(button)
    while focused() is not button:
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert grab(button) != before
    open_demo(qtbot, window, "clean")
    walk = window.present.walkthrough
    window.present.start()
    window.search_edit.setFocus(Qt.FocusReason.TabFocusReason)
    before = grab(walk)
    walk.setFocus(Qt.FocusReason.TabFocusReason)
    assert grab(walk) != before


def test_screen_readers_hear_a_name_for_each_custom_widget(qtbot, window):
    assert all(b.accessibleName().startswith("Open the demo ") for b in window.welcome.buttons)
    assert all(b.accessibleDescription() for b in window.welcome.buttons)
    open_demo(qtbot, window, "paused-single-key")
    assert window.banner.accessibleName() == "DEMO: not a live reading"
    assert window.banner.accessibleDescription().startswith(window.banner.title.text())
    for card in window.overview.cards.values():
        item = card.answer
        assert card.accessibleName() == f"{item.question} {WORDS[item.status]}"
        assert item.sentence in card.accessibleDescription()
        why = card.findChild(QPushButton, f"why-{item.key}")
        assert why.accessibleDescription() == f"The checks behind: {item.question}"
    badges = [w for w in window.overview.findChildren(QWidget) if w.objectName().startswith("badge-")]
    assert badges and all(b.accessibleName() in WORDS.values() for b in badges)
    assert window.checklist.tree.accessibleName() == "Checks"
    window.present.start()
    assert window.present.walkthrough.accessibleDescription().startswith("Step 1 of ")


def test_each_setting_is_named_by_its_label(qtbot, core):
    """Alt plus a label's letter and a screen reader both reach the field itself, not the box around it."""
    dialog = SettingsDialog(Settings.load(), core)
    qtbot.add_widget(dialog)
    labels = {label.buddy(): label for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    for key, edit in dialog.fields.items():
        assert edit.accessibleName() == DECLARED[key].description
        assert labels[edit].text() == DECLARED[key].description
