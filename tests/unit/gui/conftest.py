"""GUI tests collect garbage on the GUI thread only, as the app does (gui/gc_guard.py); a window maker."""

from collections.abc import Iterator

import pytest

from backcheck.core.registry import Registry
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings
from backcheck.gui.gc_guard import MainThreadCollector
from backcheck.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def gui_thread_gc(qapp) -> Iterator[MainThreadCollector]:
    collector = MainThreadCollector()
    yield collector
    collector.stop()


@pytest.fixture
def core() -> Iterator[CoreLoop]:
    """The core's asyncio loop in its own thread, as the app runs it."""
    loop = CoreLoop()
    yield loop
    loop.stop()


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture
def window(qtbot, registry, core):
    """Make the real window at 1280×800 with these settings overridden (a module may define its own)."""

    def make(**overrides: str) -> MainWindow:
        settings = Settings.load()
        for key, value in overrides.items():
            settings.override(key, value)
        w = MainWindow(registry, settings, core)
        qtbot.add_widget(w)
        w.resize(1280, 800)
        w.show()
        qtbot.wait_exposed(w)
        return w

    return make
