"""GUI tests collect garbage on the GUI thread only, as the app does (gui/gc_guard.py)."""

from collections.abc import Iterator

import pytest

from backcheck.core.runtime import CoreLoop
from backcheck.gui.gc_guard import MainThreadCollector


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
