"""A loopback JSON-RPC proxy in front of a node: counts round trips, adds latency, injects faults."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from .loopback_server import LoopbackServer, Reply, Request

Item = dict[str, Any]


def methods(request: Request) -> list[str]:
    """The JSON-RPC methods in a request (one for a single call, several for a batch)."""
    body = request.json()
    return [item["method"] for item in (body if isinstance(body, list) else [body])]


def result(item: Item, value: Any) -> Item:
    """A JSON-RPC success reply to one call."""
    return {"jsonrpc": "2.0", "id": item["id"], "result": value}


def error(item: Item, code: int, message: str) -> Item:
    """A JSON-RPC error reply to one call."""
    return {"jsonrpc": "2.0", "id": item["id"], "error": {"code": code, "message": message}}


class RpcProxy:
    """Forward POST / to ``upstream``; record every request's JSON-RPC methods.

    Attributes:
        calls: One list of method names per HTTP round trip.
        spans: Per round trip, when it arrived and when its answer was due (``time.monotonic``), and its methods.
        fault: Called with each HTTP request; a Reply it returns replaces the whole answer.
        answer: Called with each JSON-RPC call; a reply it returns replaces that call's answer
            (the other calls of a batch still go to the node).
    """

    def __init__(self, upstream: str, latency: float = 0.0) -> None:
        self.upstream = upstream
        self.latency = latency
        self.calls: list[list[str]] = []
        self.spans: list[tuple[float, float, list[str]]] = []
        self.fault: Callable[[Request], Reply | None] | None = None
        self.answer: Callable[[Item], Item | None] | None = None
        self._client = httpx.Client(timeout=60)
        self.server = LoopbackServer({("POST", "/"): self._forward})
        self.url = self.server.url + "/"

    def _forward(self, request: Request) -> Reply:
        arrived = time.monotonic()
        body: Any = request.json()
        items: list[Item] = body if isinstance(body, list) else [body]
        self.calls.append([item["method"] for item in items])
        if self.fault is not None and (reply := self.fault(request)) is not None:
            return reply
        replaced = {}
        if self.answer is not None:
            replaced = {item["id"]: r for item in items if (r := self.answer(item)) is not None}
        rest = [item for item in items if item["id"] not in replaced]
        forwarded: dict[Any, Item] = {}
        if rest:
            payload = rest if isinstance(body, list) else rest[0]
            upstream = self._client.post(
                self.upstream, content=json.dumps(payload), headers={"Content-Type": "application/json"}
            ).json()
            forwarded = {r["id"]: r for r in (upstream if isinstance(upstream, list) else [upstream])}
        replies = [replaced.get(item["id"]) or forwarded[item["id"]] for item in items]
        self.spans.append((arrived, time.monotonic() + self.latency, [item["method"] for item in items]))
        return Reply(replies if isinstance(body, list) else replies[0], delay=self.latency)

    @property
    def round_trips(self) -> int:
        return len(self.calls)

    def close(self) -> None:
        self.server.close()
        self._client.close()
