"""A web3.py async provider that sends JSON-RPC through Backcheck's one HTTP stack."""

from __future__ import annotations

from typing import Any, cast

from web3.providers.async_base import AsyncJSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

from ..http import Http, parse_json


class HttpxProvider(AsyncJSONBaseProvider):
    """Route web3's requests through :class:`Http` (timeouts, retries, https policy)."""

    def __init__(self, http: Http, url: str) -> None:
        super().__init__()
        self._http = http
        self.endpoint_uri = url

    async def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        """Send one JSON-RPC request."""
        body = await self._http.request("POST", self.endpoint_uri, content=self.encode_rpc_request(method, params))
        return cast(RPCResponse, parse_json(body, self.endpoint_uri))

    async def make_batch_request(
        self, batch_requests: list[tuple[RPCEndpoint, Any]]
    ) -> list[RPCResponse] | RPCResponse:
        """Send several JSON-RPC requests in one HTTP round trip."""
        body = await self._http.request(
            "POST", self.endpoint_uri, content=self.encode_batch_rpc_request(batch_requests)
        )
        response = parse_json(body, self.endpoint_uri)
        if isinstance(response, list):
            return sorted(cast(list[RPCResponse], response), key=lambda r: int(r.get("id") or 0))
        return cast(RPCResponse, response)
