"""The View menu in the real window, on shipped demos: the walkthrough, and presentation mode and back."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from backcheck.core.snapshot import demo_path
from backcheck.gui import present_actions
from backcheck.gui.main_window import MainWindow
from backcheck.gui.presentation import HIGH_CONTRAST

GUI = Path(present_actions.__file__).parent


@pytest.fixture
def window(qtbot, core):
    w = MainWindow(Registry.load(), Settings.load(), core)
    qtbot.add_widget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.wait_exposed(w)
    yield w
    w.present.set_presentation(False)


def open_demo(qtbot, w, name: str) -> None:
    w.files.open_path(demo_path(name))
    qtbot.wait_until(lambda: w.report is not None and w.report.document["demo"]["name"] == name, timeout=10_000)


def press(qtbot, w: MainWindow, key: str) -> None:
    """Press a shortcut the way a person does: to the active window."""
    w.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is w)
    sequence = {"F5": (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)}.get(
        key, (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    )
    qtbot.keyClick(w, *sequence)


def test_the_view_menu_and_its_keys(window):
    titles = [a.menu().title() for a in window.menuBar().actions()]
    assert "&View" in titles and "&Present" not in titles
    view = next(a.menu() for a in window.menuBar().actions() if a.menu().title() == "&View")
    assert view.actions() == [window.present.presentation_action, window.present.walkthrough_action]
    assert window.present.presentation_action.shortcut().toString() == "F5"
    assert window.present.walkthrough_action.shortcut().toString() == "Ctrl+Shift+W"


def test_a_token_opens_on_its_answers(qtbot, window, artifacts_dir):
    open_demo(qtbot, window, "paused-single-key")
    assert window.tabs.currentIndex() == 0 and window.tabs.tabText(0) == "Overview"
    assert window.message_label.text() == ""  # a demo's sources are the test chain's; the banner says what it is
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
    press(qtbot, window, "Ctrl+Shift+W")
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


def shown(window: MainWindow) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.isVisible()]


def test_presentation_mode_and_back(qtbot, window, artifacts_dir):
    """F5: fonts and controls 1.5×, high contrast, full screen, raw layers folded; F5 again gives all back."""
    open_demo(qtbot, window, "clean")
    app = QApplication.instance()
    tree = window.checklist.tree
    tree.expandAll()  # the reader had opened every layer down to the raw answers
    fonts = {w: w.font().pointSizeF() for w in shown(window)}
    controls = {w: w.sizeHint().height() for w in shown(window) if isinstance(w, QPushButton | QLineEdit)}
    tabs = window.tabs.tabBar().tabSizeHint(0).height()
    palette, style = QPalette(app.palette()), app.style().name()
    assert not window.isFullScreen()

    press(qtbot, window, "F5")
    assert window.present.presentation_action.isChecked() and window.present.presenting
    qtbot.wait(50)
    assert window.isFullScreen()
    assert window.report.document["demo"]["name"] == "clean"  # the report stays on screen
    for widget, size in fonts.items():
        assert widget.font().pointSizeF() == pytest.approx(size * 1.5), widget.objectName()
    for widget, height in controls.items():
        assert widget.sizeHint().height() >= height * 1.5 - 1, widget.objectName()
    assert window.tabs.tabBar().tabSizeHint(0).height() >= tabs * 1.5 - 1
    for role, colour in HIGH_CONTRAST.items():
        assert app.palette().color(role).name() == colour
    findings = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    assert all(f.isExpanded() for f in findings)  # each check still shows its "Why"
    layers = [f.child(n) for f in findings for n in range(f.childCount())]
    assert layers and not any(item.isExpanded() for item in layers)  # evidence and raw folded
    assert not window.banner.copy_button.isVisible() and "digest" not in window.banner.as_of.text()
    assert window.grab().save(str(artifacts_dir / f"window-presentation-{QApplication.platformName()}.png"))

    press(qtbot, window, "F5")
    qtbot.wait(50)
    assert not window.present.presentation_action.isChecked() and not window.isFullScreen()
    for widget, size in fonts.items():
        assert widget.font().pointSizeF() == pytest.approx(size), widget.objectName()
    for widget, height in controls.items():
        assert widget.sizeHint().height() == height, widget.objectName()
    assert app.palette() == palette and app.style().name() == style
    assert window.banner.copy_button.isVisible() and "digest" in window.banner.as_of.text()


def card_title(window: MainWindow, key: str) -> QLabel:
    card = window.overview.cards[key]
    return next(label for label in card.findChildren(QLabel) if label.text() == card.answer.question)


def test_presentation_mode_scales_what_is_made_while_in_it(qtbot, window):
    """A report opened in presentation mode gets large cards, and normal ones once it is left."""
    open_demo(qtbot, window, "clean")
    normal = card_title(window, "what").font().pointSizeF()
    window.present.set_presentation(True, full_screen=False)
    open_demo(qtbot, window, "impostor")
    assert card_title(window, "what").font().pointSizeF() == pytest.approx(normal * 1.5)
    window.present.set_presentation(False)
    assert card_title(window, "what").font().pointSizeF() == pytest.approx(normal)
    assert not window.present.presentation_action.isChecked() and not window.isFullScreen()


def test_no_font_size_in_any_style_sheet(qtbot, window):
    """Presentation mode scales QFonts; a size in a style sheet would not follow it."""
    sized = re.compile(r"font-size|font\s*:|\d\s*pt\b", re.IGNORECASE)
    open_demo(qtbot, window, "paused-single-key")
    window.present.start()
    for widget in [window, *window.findChildren(QWidget)]:
        assert not sized.search(widget.styleSheet()), (widget.objectName(), widget.styleSheet())
    in_source = re.compile(r"font-size|\d\s*pt\b", re.IGNORECASE)
    for path in GUI.glob("*.py"):  # the window's modules (the exports' CSS is for pages, not for Qt)
        assert not in_source.search(path.read_text(encoding="utf-8")), path.name
