"""The answer-first overview and the walkthrough in the real window, on a shipped demo."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from backcheck.core.snapshot import demo_path
from backcheck.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, core):
    w = MainWindow(Registry.load(), Settings.load(), core)
    qtbot.add_widget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.wait_exposed(w)
    yield w
    w.present.presentation_action.setChecked(False)


def open_demo(qtbot, w, name: str) -> None:
    w.files.open_path(demo_path(name))
    qtbot.wait_until(lambda: w.report is not None and w.report.document["demo"]["name"] == name, timeout=10_000)


def test_a_token_opens_on_its_answers(qtbot, window, artifacts_dir):
    open_demo(qtbot, window, "paused-single-key")
    assert window.tabs.currentIndex() == 0 and window.tabs.tabText(0) == "Overview"
    cards = window.overview.cards
    assert cards["control"].answer.status == "critical" and cards["control"].figure.text() == "Paused now"
    assert window.overview.verdict.text().startswith("AAPLx is Backed Assets (JE) Limited's official token")
    qtbot.wait(50)
    assert window.grab().save(str(artifacts_dir / f"window-overview-paused-{QApplication.platformName()}.png"))
    qtbot.mouseClick(window.overview.findChild(QPushButton, "why-control"), Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.checklist
    assert window.checklist.tree.currentItem().text(0).split("] ")[1].startswith("CT-4")  # the worst one open
    qtbot.mouseClick(window.overview.findChild(QPushButton, "convertButton"), Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.converter


def test_the_walkthrough_takes_the_window_and_records_mk1(qtbot, window, artifacts_dir):
    assert not window.present.walkthrough_action.isEnabled()  # nothing to walk through yet
    open_demo(qtbot, window, "stale-reserve")
    window.present.walkthrough_action.trigger()
    walk = window.present.walkthrough
    assert window.stack.currentWidget() is walk and walk.index == 0
    for _ in range(10):
        qtbot.keyClick(walk, Qt.Key.Key_PageDown)
    assert walk.index == 10
    qtbot.mouseClick(walk.findChild(QPushButton, "marketing-yes"), Qt.MouseButton.LeftButton)
    assert next(f for f in window.report.findings if f.id == "MK-1").status == "warning"
    assert window.report.document["kind"] == "demo" and window.banner.badge.text() == "DEMO"  # still a demo
    assert walk.index == 10 and window.stack.currentWidget() is walk
    assert walk.figure.text().startswith("Recorded answer: yes")
    assert window.grab().save(str(artifacts_dir / f"window-walkthrough-{QApplication.platformName()}.png"))
    qtbot.keyClick(walk, Qt.Key.Key_Escape)
    assert window.stack.currentIndex() == 1


def test_presentation_mode_scales_the_text_and_back(qtbot, window, artifacts_dir):
    open_demo(qtbot, window, "clean")
    normal = QApplication.font().pointSizeF()
    window.present.presentation_action.setChecked(True)
    assert QApplication.font().pointSizeF() == pytest.approx(normal * 1.5)
    assert window.report.document["demo"]["name"] == "clean"  # the report stays on screen
    qtbot.wait(50)
    assert window.grab().save(str(artifacts_dir / f"window-presentation-{QApplication.platformName()}.png"))
    window.present.presentation_action.setChecked(False)
    assert QApplication.font().pointSizeF() == pytest.approx(normal)
