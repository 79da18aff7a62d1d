"""A local xStocks public API (api/v2) on loopback, shaped like the real one (facts-onchain.md §3.4).

Assets come from the bundled registry (so a refresh diffs clean) unless a test edits
``assets``; per-symbol documents live in plain dicts a test can change. Faults (429 with
Retry-After, delays, malformed JSON) come from the ``fault`` hook.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from backcheck.core.registry import Registry

from .loopback_server import LoopbackServer, Reply, Request

BASE = "/api/v2"


def assets_from_registry(registry: Registry) -> list[dict[str, Any]]:
    """Asset nodes as the API sends them, for every Backed xStock in the registry."""
    nodes = []
    for token in registry.tokens:
        if token.issuer_key != "backed" or not token.symbol.endswith("x") or token.official is not True:
            continue  # the API lists the issuer's own tokens; a third party's copy of it is no part of it
        nodes.append(
            {
                "symbol": token.symbol,
                "name": token.name,
                "isin": token.isin,
                "underlying": {
                    "symbol": token.underlying.symbol,
                    "isin": token.underlying.isin,
                    "type": "Stock",
                    "listingCountry": "US",
                },
                "isTradingHalted": False,
                "deployments": [
                    {
                        "network": d.chain.api_network,
                        "address": d.address,
                        "supportsAtomicSwaps": True,
                        "stablecoins": [],
                    }
                    for d in token.deployments
                ],
            }
        )
    return nodes


class XStocksApiServer:
    """Serve the public endpoints Backcheck reads.

    Attributes:
        assets: Asset nodes (paged by /public/assets).
        reserves, multipliers, histories, statuses, prices: per-symbol documents.
        actions: Upcoming corporate-action nodes.
        requests: Paths requested, in order.
        fault: Optional hook; a Reply it returns replaces the normal answer.
    """

    def __init__(self, registry: Registry, latency: float = 0.0) -> None:
        self.assets = assets_from_registry(registry)
        self.reserves: dict[str, Any] = {}
        self.multipliers: dict[str, Any] = {}
        self.histories: dict[str, Any] = {}
        self.statuses: dict[str, Any] = {}
        self.prices: dict[str, Any] = {}
        self.actions: list[dict[str, Any]] = []
        self.latency = latency
        self.fault: Callable[[Request], Reply | None] | None = None
        self.server = LoopbackServer(
            {
                ("GET", f"{BASE}/public/assets"): self._assets,
                ("GET", f"{BASE}/public/assets/{{symbol}}"): self._asset,
                ("GET", f"{BASE}/public/proof-of-reserves/{{symbol}}"): self._per("reserves"),
                ("GET", f"{BASE}/public/assets/{{symbol}}/multiplier"): self._per("multipliers"),
                ("GET", f"{BASE}/public/assets/{{symbol}}/multiplier/history"): self._per("histories"),
                ("GET", f"{BASE}/public/system/status/{{symbol}}"): self._per("statuses"),
                ("GET", f"{BASE}/public/assets/{{symbol}}/price-data"): self._per("prices"),
                ("GET", f"{BASE}/public/corporate-actions/upcoming"): self._actions,
            }
        )
        self.url = self.server.url + BASE

    @property
    def requests(self) -> list[str]:
        return [r.path for r in self.server.requests]

    def close(self) -> None:
        self.server.close()

    def _reply(self, request: Request, doc: Any) -> Reply:
        if self.fault is not None and (reply := self.fault(request)) is not None:
            return reply
        return Reply(doc, delay=self.latency)

    def _paged(self, request: Request, nodes: list[Any]) -> Reply:
        page = int(request.query.get("page", ["0"])[0])
        size = int(request.query.get("pageSize", ["100"])[0])
        chunk = nodes[page * size : (page + 1) * size]
        total_pages = max(1, -(-len(nodes) // size))
        return self._reply(
            request,
            {
                "nodes": chunk,
                "page": {
                    "currentPage": page,
                    "hasNextPage": page + 1 < total_pages,
                    "pageSize": size,
                    "totalPages": total_pages,
                    "totalNodes": len(nodes),
                },
            },
        )

    def _assets(self, request: Request) -> Reply:
        return self._paged(request, self.assets)

    def _actions(self, request: Request) -> Reply:
        return self._paged(request, self.actions)

    def _asset(self, request: Request) -> Reply:
        found = next((a for a in self.assets if a["symbol"] == request.params["symbol"]), None)
        if found is None:
            return Reply({"message": "Asset not found", "statusCode": 404}, status=404)
        return self._reply(request, copy.deepcopy(found))

    def _per(self, table: str) -> Callable[[Request], Reply]:
        def handler(request: Request) -> Reply:
            doc = getattr(self, table).get(request.params["symbol"])
            if doc is None:
                return Reply({"message": "Not Found", "statusCode": 404}, status=404)
            return self._reply(request, doc)

        return handler
