"""The xStocks public API (keyless), one small client.

Assets, proof of reserves, multipliers, corporate actions, system status and price data
(facts-onchain.md §2.5, §3.4). Every answer keeps its URL and fetch time.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import SourceError
from ..facts import utc_now
from ..http import Http
from ..plausibility import amount

PAGE_SIZE = 100
MAX_PAGES = 50  # 5,000 assets: far above today's ~1,100; stops a server that never ends
# The facts each endpoint feeds (fact key → unit): a failed endpoint leaves each of its facts unknown.
ENDPOINTS: dict[str, dict[str, str]] = {
    "asset": {"issuer_api_address": "address", "trading_halted_by_issuer": "flag"},
    "proof_of_reserves": {
        "reserves_shares": "shares held in custody",
        "outstanding_all_chains": "tokens outstanding, all chains",
        "reserves_coverage": "shares held ÷ tokens outstanding",
        "reserves_updated_at": "time",
        "reserves_age_hours": "hours since the proof of reserve",
        "reserves_cadence_hours": "hours",
    },
    "multiplier": {
        "multiplier_issuer": "shares per token",
        "multiplier_issuer_pending": "shares per token",
        "multiplier_issuer_pending_at": "time",
        "multiplier_issuer_reason": "text",
    },
    "multiplier_history": {"multiplier_history_issuer": "multiplier changes, oldest first"},
    "upcoming_actions": {"corporate_actions_upcoming": "scheduled corporate actions"},
    "system_status": {"market_trading_halted": "flag", "atomic_trading_halted": "flag"},
    "price_data": {"price_issuer": "USD per token (issuer quote)"},
}
FEEDS: dict[str, str] = {key: unit for facts in ENDPOINTS.values() for key, unit in facts.items()}


@dataclasses.dataclass(frozen=True, slots=True)
class ApiAnswer:
    """One API document with the exact URL it came from and when."""

    doc: Any
    url: str
    fetched_at: datetime


class XStocksApi:
    """Client of ``https://api.xstocks.fi/api/v2`` (or any base URL given in settings).

    Attributes:
        base: The base URL, without a trailing slash.
        source: Provenance label on every fact built from this API.
    """

    def __init__(self, http: Http, base: str) -> None:
        self.base = base.rstrip("/")
        self.source = f"xStocks API ({self.base})"
        self._http = http

    async def get(self, path: str, **params: str | int) -> ApiAnswer:
        """GET one document.

        Raises:
            SourceError: The API failed or sent something that is not JSON.
        """
        query = f"?{urlencode(params)}" if params else ""
        url = f"{self.base}{path}{query}"
        doc = await self._http.get_json(url)
        if isinstance(doc, dict) and "statusCode" in doc and "message" in doc:
            # The API's error document, sometimes sent with HTTP 200: an error, never data.
            raise SourceError(
                f"{url} answered with an error: {str(doc['statusCode'])[:10]} {str(doc['message'])[:120]}"
            )
        return ApiAnswer(doc, url, utc_now())

    async def paged(self, path: str, **params: str | int) -> list[Any]:
        """Collect every node of a paged listing, from page 0 while ``page.hasNextPage``."""
        nodes: list[Any] = []
        for page in range(MAX_PAGES):
            answer = await self.get(path, **params, page=page, pageSize=PAGE_SIZE)
            doc = answer.doc
            if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
                raise SourceError(f"{answer.url} is not a paged listing (no 'nodes').")
            nodes.extend(doc["nodes"])
            if not (doc.get("page") or {}).get("hasNextPage"):
                return nodes
        raise SourceError(f"{self.base}{path} still had more pages after {MAX_PAGES}; stopped.")

    async def assets(self) -> list[dict[str, Any]]:
        """Every asset with its deployments."""
        return await self.paged("/public/assets")

    async def asset(self, symbol: str) -> ApiAnswer:
        """One asset."""
        return await self.get(f"/public/assets/{quote(symbol)}")

    async def proof_of_reserves(self, symbol: str) -> ApiAnswer:
        """The latest proof of reserve for a symbol."""
        return await self.get(f"/public/proof-of-reserves/{quote(symbol)}")

    async def multiplier(self, symbol: str, network: str) -> ApiAnswer:
        """Current and scheduled multiplier of a symbol on a network."""
        return await self.get(f"/public/assets/{quote(symbol)}/multiplier", network=network)

    async def multiplier_history(self, symbol: str, network: str) -> ApiAnswer:
        """Past multiplier changes."""
        return await self.get(f"/public/assets/{quote(symbol)}/multiplier/history", network=network)

    async def upcoming_actions(self) -> ApiAnswer:
        """Upcoming corporate actions of every asset (one page of 100; today's list is short)."""
        return await self.get("/public/corporate-actions/upcoming", page=0, pageSize=PAGE_SIZE)

    async def system_status(self, symbol: str) -> ApiAnswer:
        """Trading-halt flags."""
        return await self.get(f"/public/system/status/{quote(symbol)}")

    async def price_data(self, symbol: str) -> ApiAnswer:
        """The issuer's quote."""
        return await self.get(f"/public/assets/{quote(symbol)}/price-data")


def decimal_field(doc: Any, key: str) -> Decimal:
    """Read an amount that the API sends as a string or a number: finite and not negative.

    Raises:
        SourceError: Missing, not a number, not finite or negative.
    """
    value = doc.get(key) if isinstance(doc, dict) else None
    if value is None:
        raise SourceError(f"the API answer has no number in {key!r}")
    return amount(value, f"the API answer's {key!r}")


def time_field(value: Any) -> datetime | None:
    """Parse an API time: ISO-8601 text, or seconds/milliseconds since 1970; 0/None → none.

    Raises:
        SourceError: A value that is neither.
    """
    if value in (None, 0, "0", ""):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(float(seconds), UTC)
        except (OverflowError, OSError, ValueError):
            raise SourceError(f"the API sent a time out of range ({str(value)[:40]!r})") from None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    raise SourceError(f"the API sent a time that cannot be read ({value!r})")
