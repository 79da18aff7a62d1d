"""The welcome panel: where to search, and every demo as a button saying what it teaches.

The window's first screen, with real demos, is tested in test_file_actions.py.
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from backcheck.core.snapshot import Demo
from backcheck.gui.welcome import WelcomePanel

DEMOS = [
    Demo("stale-proof", "Stale proof of reserve", "A proof is a snapshot; " + "old " * 60, Path("a")),
    Demo("odd", "<b>Tom</b> & Jerry\x1b[2J", "Names come from files\nanyone makes.", Path("b")),
]


def test_each_demo_is_a_button_with_what_it_teaches(qtbot):
    panel = WelcomePanel(DEMOS)
    qtbot.add_widget(panel)
    chosen = []
    panel.demo_chosen.connect(chosen.append)
    assert [b.toolTip() for b in panel.buttons] == ["stale-proof", "odd"]
    assert panel.buttons[0].text() == "Stale proof of reserve"
    description = panel.descriptions[0].text()
    assert len(description) == 200 and description.startswith("A proof is a snapshot; old") and description[-1] == "…"
    panel.buttons[1].click()
    assert chosen == [DEMOS[1]]


def test_titles_from_a_file_are_plain_text(qtbot):
    """No markup, no shortcut made from a '&', no control character."""
    panel = WelcomePanel(DEMOS)
    qtbot.add_widget(panel)
    assert panel.buttons[1].text() == "<b>Tom</b> && Jerry [2J"  # '&&' shows one '&'
    assert panel.descriptions[1].text() == "Names come from files anyone makes."
    assert panel.descriptions[1].textFormat() == Qt.TextFormat.PlainText


def test_it_points_to_the_search_box(qtbot):
    panel = WelcomePanel([])
    qtbot.add_widget(panel)
    asked = []
    panel.search_wanted.connect(lambda: asked.append(True))
    texts = " ".join(label.text() for label in panel.findChildren(QLabel))
    assert "in the search box above" in texts
    assert "No demo scenarios are installed." in texts
    assert panel.buttons == []
    panel.findChild(QPushButton, "welcomeSearchButton").click()
    assert asked == [True]


def test_a_screen_reader_hears_each_demo_and_what_it_teaches(qtbot):
    panel = WelcomePanel(DEMOS)
    qtbot.add_widget(panel)
    assert panel.buttons[1].accessibleName() == "Open the demo <b>Tom</b> & Jerry [2J"  # one '&', no control character
    assert panel.buttons[1].accessibleDescription() == "Names come from files anyone makes."
    search = panel.findChild(QPushButton, "welcomeSearchButton")
    assert search.accessibleDescription() == "Move to the search box above"
