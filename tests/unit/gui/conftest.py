"""GUI tests collect garbage on the GUI thread only, as the app does (gui/gc_guard.py)."""

from collections.abc import Iterator

import pytest

from backcheck.gui.gc_guard import MainThreadCollector


@pytest.fixture(autouse=True)
def gui_thread_gc(qapp) -> Iterator[MainThreadCollector]:
    collector = MainThreadCollector()
    yield collector
    collector.stop()
