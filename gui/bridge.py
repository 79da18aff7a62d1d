"""The bridge from Qt to the core's asyncio loop (Electrum's pattern, style.md §4).

Coroutines run on :class:`~backcheck.core.runtime.CoreLoop`; their outcome comes back as
Qt signals, which Qt queues onto the GUI thread because they are emitted from the loop's.
"""

from __future__ import annotations

import concurrent.futures
import functools
import itertools
import weakref
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from backcheck.core.crash import crash_sentence
from backcheck.core.errors import BackcheckError
from backcheck.core.runtime import CoreLoop

INTERRUPTED = "The read was interrupted before it finished."


class CoreBridge(QObject):
    """Runs one job at a time; a new job cancels the one before it.

    A cancelled job is never delivered. A result already queued when its job is cancelled
    still reaches the GUI thread, so receivers compare the job id with :attr:`current_id`.

    Signals:
        succeeded(int, object): a job's id and its result.
        failed(int, str): a job's id and a message written for the user.

    Attributes:
        current_id: The id of the job whose outcome is awaited, 0 when none is.
    """

    succeeded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, core: CoreLoop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self._ids = itertools.count(1)
        self._current: concurrent.futures.Future[Any] | None = None
        self.current_id = 0

    @property
    def running(self) -> bool:
        """Whether the current job has not finished yet."""
        return self._current is not None and not self._current.done()

    def run(self, coro: Coroutine[Any, Any, Any]) -> int:
        """Cancel the running job, start ``coro`` and return its id."""
        self.cancel()
        job_id = next(self._ids)
        self.current_id = job_id
        future = self.core.submit(coro)
        self._current = future
        # A weak reference: a strong one would make a bridge ↔ future cycle holding a QObject.
        future.add_done_callback(functools.partial(_deliver, weakref.ref(self), job_id))
        return job_id

    def cancel(self) -> None:
        """Cancel the running job, if any; its outcome will not be delivered, even if already queued."""
        self.current_id = 0  # first: cancelling runs the done callback, which must see the job is stale
        if self._current is not None:
            self._current.cancel()
            self._current = None

    def _done(self, job_id: int, future: concurrent.futures.Future[Any]) -> None:
        # Runs on the loop's thread, or on the GUI thread for a job cancelled there.
        if job_id != self.current_id:
            return
        if future.cancelled():  # the core cancelled it (not this bridge): the user must learn it stopped
            self.failed.emit(job_id, INTERRUPTED)
            return
        exc = future.exception()
        if exc is None:
            self.succeeded.emit(job_id, future.result())
        elif isinstance(exc, BackcheckError):
            self.failed.emit(job_id, str(exc))
        else:  # a bug, not a source fault: one sentence here, the traceback in a crash report
            self.failed.emit(job_id, crash_sentence(exc))


def _deliver(bridge: weakref.ref[CoreBridge], job_id: int, future: concurrent.futures.Future[Any]) -> None:
    target = bridge()
    if target is not None:
        target._done(job_id, future)
