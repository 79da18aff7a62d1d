"""Run Python's cyclic garbage collector on the GUI thread only.

The collector runs on whichever thread allocates when a threshold is crossed. When that is
the core loop's thread and the garbage holds a Qt object, Qt destroys it off the GUI thread and
the process crashes. So automatic collection is switched off and a timer on the GUI thread
collects instead, with the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadCollector(QObject):
    """Owns the collection timer; create it on the GUI thread and keep a reference."""

    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as automatic collection would."""
        first, second, third = gc.get_count()
        if first > self._thresholds[0]:
            gc.collect(0)
            if second > self._thresholds[1]:
                gc.collect(1)
                if third > self._thresholds[2]:
                    gc.collect(2)

    def stop(self) -> None:
        """Stop the timer, collect once and turn automatic collection back on."""
        self._timer.stop()
        gc.collect()
        gc.enable()
