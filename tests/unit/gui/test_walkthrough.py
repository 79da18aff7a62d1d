"""The walkthrough stepper on a real Qt widget: keys a presenter's clicker sends, MK-1, screenshots."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from backcheck.core.snapshot import load_source
from backcheck.gui.walkthrough import Walkthrough


@pytest.fixture(scope="module")
def document():
    return load_source("demo:stale-reserve")[1].document


@pytest.fixture
def walk(qtbot, document):
    widget = Walkthrough()
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    widget.start(document)
    return widget


def test_keys_and_buttons_move_through_the_steps(walk, qtbot):
    assert walk.header.text().startswith("Step 1 of 11 — Find the official contract address")
    for key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
        qtbot.keyClick(walk, key)
    assert walk.index == 3
    qtbot.keyClick(walk, Qt.Key.Key_PageUp)
    qtbot.keyClick(walk, Qt.Key.Key_Left)
    assert walk.index == 1
    qtbot.mouseClick(walk.next, Qt.MouseButton.LeftButton)
    assert walk.header.text().startswith("Step 3 of 11 — Match the supply to the proof of reserve")
    assert "RS-1" in " ".join(w.text() for w in walk.findChildren(type(walk.header)))
    walk.start(walk and load_source("demo:stale-reserve")[1].document, index=99)
    assert walk.index == 10 and not walk.next.isEnabled()
    qtbot.keyClick(walk, Qt.Key.Key_Right)
    assert walk.index == 10  # the last step stays


def test_escape_leaves(walk, qtbot):
    with qtbot.waitSignal(walk.left):
        qtbot.keyClick(walk, Qt.Key.Key_Escape)


def test_the_marketing_question_is_asked_only_on_its_step(walk, qtbot):
    yes = walk.findChild(QPushButton, "marketing-yes")
    assert not yes.isVisible()
    walk.start(load_source("demo:stale-reserve")[1].document, index=10)
    assert yes.isVisible() and walk.figure.text().startswith("Not answered yet")
    with qtbot.waitSignal(walk.marketing_answered) as answered:
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert answered.args == ["yes"]


@pytest.mark.parametrize("index", [2, 10])
def test_screenshot_at_presentation_scale(walk, artifacts_dir, document, index):
    font = walk.font()
    font.setPointSize(16)
    walk.setFont(font)
    walk.start(document, index=index)
    QApplication.processEvents()
    assert walk.minimumSizeHint().height() <= walk.height()  # nothing cut off at 1280×720
    assert walk.grab().save(str(artifacts_dir / f"walkthrough-step{index + 1}-{QApplication.platformName()}.png"))


def test_back_and_next_sit_by_the_title_and_leave_the_keys_to_the_stepper(walk, qtbot):
    """A long step never pushes them off the screen, and a click on them keeps the clicker's keys working."""
    assert walk.next.geometry().bottom() < walk.figure.geometry().top()
    assert walk.back.geometry().bottom() < walk.figure.geometry().top()
    walk.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is walk)
    walk.setFocus()
    qtbot.mouseClick(walk.next, Qt.MouseButton.LeftButton)
    assert walk.index == 1 and QApplication.focusWidget() is walk
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert walk.index == 2
    assert walk.next.focusPolicy() == Qt.FocusPolicy.TabFocus  # reachable with Tab all the same


def test_a_screen_reader_hears_which_step(walk, qtbot):
    assert walk.accessibleName() == "Walkthrough"
    assert walk.accessibleDescription() == walk.header.text() and walk.header.text().startswith("Step 1 of 11")
    qtbot.keyClick(walk, Qt.Key.Key_PageDown)
    assert walk.accessibleDescription().startswith("Step 2 of 11")
    assert "Page Down" in walk.next.accessibleDescription() and "Page Up" in walk.back.accessibleDescription()
