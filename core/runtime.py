"""The core's one asyncio loop, running in its own thread (Electrum's pattern).

A GUI hands coroutines to :meth:`CoreLoop.submit` and gets a
:class:`concurrent.futures.Future`; the loop owns the shared :class:`Http` client.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from .http import Http

T = TypeVar("T")


class CoreLoop:
    """An event loop in a daemon thread, with strong references to its tasks.

    Attributes:
        loop: The asyncio loop; only touch it through :meth:`submit`.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._http: Http | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="CoreLoop", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        self.loop.run_forever()

    @property
    def http(self) -> Http:
        """The HTTP stack of this loop (create it on the loop thread)."""
        if self._http is None:
            self._http = Http()
        return self._http

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule a coroutine on the loop from any thread; cancelling the future cancels it."""
        return asyncio.run_coroutine_threadsafe(self._tracked(coro), self.loop)

    async def _tracked(self, coro: Coroutine[Any, Any, T]) -> T:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            return await coro
        finally:
            self._tasks.discard(task)

    def stop(self) -> None:
        """Cancel every task, close the HTTP client, stop the loop and join the thread."""
        if not self._thread.is_alive():
            return

        async def shutdown() -> None:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._http is not None:
                await self._http.aclose()
            await self.loop.shutdown_asyncgens()
            await self.loop.shutdown_default_executor()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
