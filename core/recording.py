"""Record every HTTP exchange of one inspection, so a snapshot can keep its raw evidence.

A :class:`Recorder` is installed in a context variable around an inspection; the one HTTP stack
(:mod:`backcheck.core.http`) adds each exchange to the recorder of the task that made it (asyncio
tasks inherit the context, so concurrent inspections in the window never mix). URLs and query
parameters are redacted before they are kept; headers (where keys travel) are never kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from .facts import iso, utc_now
from .redact import redact_params, redact_url

# A log scan can return hundreds of MB; a snapshot keeps bodies up to these sizes and, beyond them,
# each body's digest and size (the facts keep the derived balances and the exact re-run method).
MAX_BODY_BYTES = 1 << 20
MAX_TOTAL_BYTES = 16 << 20


@dataclasses.dataclass(slots=True)
class Exchange:
    """One request and its answer (or why there was none)."""

    method: str
    url: str
    params: dict[str, str]
    request: str | None
    status: int | None
    body: str | None
    body_sha256: str | None
    body_size: int
    started_at: datetime
    elapsed_ms: int
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The snapshot's raw entry shape."""
        return {
            "method": self.method,
            "url": self.url,
            "params": self.params,
            "request": self.request,
            "status": self.status,
            "body": self.body,
            "body_sha256": self.body_sha256,
            "body_size": self.body_size,
            "started_at": iso(self.started_at),
            "elapsed_ms": self.elapsed_ms,
            "error": self.error,
        }


@dataclasses.dataclass(slots=True)
class Recorder:
    """The exchanges of one inspection, with the raw-size cap applied."""

    exchanges: list[Exchange] = dataclasses.field(default_factory=list)
    stored_bytes: int = 0
    omitted: int = 0

    def add(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None,
        content: bytes | None,
        status: int | None,
        body: bytes | None,
        started_at: datetime,
        error: str | None = None,
    ) -> None:
        """Keep one exchange; a body beyond the caps is kept as its digest and size only."""
        kept: str | None = None
        if body is not None and len(body) <= MAX_BODY_BYTES and self.stored_bytes + len(body) <= MAX_TOTAL_BYTES:
            kept = body.decode("utf-8", "replace")
            self.stored_bytes += len(body)
        elif body is not None:
            self.omitted += 1
        elapsed = int((utc_now() - started_at).total_seconds() * 1000)
        self.exchanges.append(
            Exchange(
                method,
                redact_url(url),
                redact_params(params),
                None if content is None else content.decode("utf-8", "replace"),
                status,
                kept,
                None if body is None else hashlib.sha256(body).hexdigest(),
                0 if body is None else len(body),
                started_at,
                max(elapsed, 0),
                error,
            )
        )


_CURRENT: ContextVar[Recorder | None] = ContextVar("backcheck_recorder", default=None)


def current() -> Recorder | None:
    """The recorder of the running task, if its inspection is being recorded."""
    return _CURRENT.get()


@contextlib.contextmanager
def recording() -> Iterator[Recorder]:
    """Record every exchange made inside this block (and the tasks it starts)."""
    recorder = Recorder()
    token = _CURRENT.set(recorder)
    try:
        yield recorder
    finally:
        _CURRENT.reset(token)
