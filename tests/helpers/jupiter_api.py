"""A local Jupiter price API (/price/v3) on loopback, shaped like the real one (facts-onchain.md §5.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .loopback_server import LoopbackServer, Reply, Request


class JupiterServer:
    """Serve ``/price/v3?ids=…`` from ``prices`` (mint → entry with usdPrice and stockData).

    Attributes:
        fault: Optional hook; a Reply it returns replaces the normal answer.
    """

    def __init__(self) -> None:
        self.prices: dict[str, dict[str, Any]] = {}
        self.fault: Callable[[Request], Reply | None] | None = None
        self.server = LoopbackServer({("GET", "/price/v3"): self._price})
        self.url = self.server.url

    def _price(self, request: Request) -> Reply:
        if self.fault is not None and (reply := self.fault(request)) is not None:
            return reply
        ids = request.query.get("ids", [""])[0].split(",")
        return Reply({mint: self.prices[mint] for mint in ids if mint in self.prices})

    def close(self) -> None:
        self.server.close()
