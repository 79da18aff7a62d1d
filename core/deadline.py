"""Deadlines: no source can hold a report hostage.

An inspection sets two limits in a context variable that every task it starts inherits: one per
request (the whole exchange with its retries) and one for the whole inspection. The one HTTP stack
enforces both (:mod:`backcheck.core.http`), so a request cut off raises the same
:class:`~backcheck.core.errors.SourceError` as any failed source: its facts become unknown with a
reason that names the source, the limit and the time.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterator
from contextvars import ContextVar

from .facts import iso, utc_now


@dataclasses.dataclass(frozen=True, slots=True)
class Deadlines:
    """The limits of one inspection (``inspection_at`` in the event loop's clock)."""

    request_seconds: float
    inspection_seconds: float
    inspection_at: float


_CURRENT: ContextVar[Deadlines | None] = ContextVar("backcheck_deadlines", default=None)


@contextlib.contextmanager
def deadlines(request_seconds: float, inspection_seconds: float) -> Iterator[Deadlines]:
    """Bound every request made inside this block (call it on the running loop).

    A block nested in another keeps the outer inspection's limits: an every-chain inspection's
    parts end when it ends.
    """
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    limits = Deadlines(request_seconds, inspection_seconds, asyncio.get_running_loop().time() + inspection_seconds)
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


@dataclasses.dataclass(frozen=True, slots=True)
class Cutoff:
    """When a request must end (event loop clock) and which limit that is."""

    at: float
    limit: str

    def reason(self, host: str) -> str:
        """The sentence a cut-off request gives, with the time it was cut off."""
        return f"{host} was cut off by {self.limit} at {iso(utc_now())}."


def request_cutoff(default_seconds: float) -> Cutoff:
    """The cut-off of a request starting now: the request limit or the inspection's, whichever comes first.

    Outside an inspection only the request limit (``default_seconds``) applies.
    """
    now = asyncio.get_running_loop().time()
    limits = _CURRENT.get()
    if limits is None:
        return Cutoff(now + default_seconds, f"the request deadline ({default_seconds:g} s)")
    if limits.inspection_at < now + limits.request_seconds:
        return Cutoff(limits.inspection_at, f"the inspection deadline ({limits.inspection_seconds:g} s)")
    return Cutoff(now + limits.request_seconds, f"the request deadline ({limits.request_seconds:g} s)")
