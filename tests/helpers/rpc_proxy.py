"""A loopback JSON-RPC proxy in front of a node: counts round trips, adds latency, injects faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from .loopback_server import LoopbackServer, Reply, Request


class RpcProxy:
    """Forward POST / to ``upstream``; record every request's JSON-RPC methods.

    Attributes:
        calls: One list of method names per HTTP round trip.
        fault: When set, called with each request; a returned Reply replaces the forward.
    """

    def __init__(self, upstream: str, latency: float = 0.0) -> None:
        self.upstream = upstream
        self.latency = latency
        self.calls: list[list[str]] = []
        self.fault: Callable[[Request], Reply | None] | None = None
        self._client = httpx.Client(timeout=30)
        self.server = LoopbackServer({("POST", "/"): self._forward})
        self.url = self.server.url + "/"

    def _forward(self, request: Request) -> Reply:
        body: Any = request.json()
        batch = body if isinstance(body, list) else [body]
        self.calls.append([item["method"] for item in batch])
        if self.fault is not None and (reply := self.fault(request)) is not None:
            return reply
        upstream = self._client.post(self.upstream, content=request.body,
                                     headers={"Content-Type": "application/json"})
        return Reply(raw=upstream.content, status=upstream.status_code, delay=self.latency)

    @property
    def round_trips(self) -> int:
        return len(self.calls)

    def close(self) -> None:
        self.server.close()
        self._client.close()


def rpc_result(request: Request, result: Any) -> Reply:
    """Answer a JSON-RPC request with ``result`` (used by fault injectors)."""
    return Reply(raw=json.dumps({"jsonrpc": "2.0", "id": request.json()["id"], "result": result}).encode())
