"""Jupiter price API (keyless) for Solana mints.

Gives the token's market price and, for stock tokens, the underlying share price (``stockData``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..errors import SourceError
from ..facts import Fact, iso, utc_now
from ..http import Http
from ..plausibility import amount

# Every fact a read can write (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {
    "price": "USD per token unit (market)",
    "underlying_price": "USD per share of the underlying",
    "reference_price_updated_at": "time",
}


async def price_facts(http: Http, base: str, mint: str) -> dict[str, Fact]:
    """Read ``/price/v3?ids=<mint>``: ``price`` (per token unit) and ``underlying_price``.

    Raises:
        SourceError: The API failed or does not list the mint.
    """
    url = f"{base.rstrip('/')}/price/v3"
    doc = await http.get_json(url, {"ids": mint})
    entry = doc.get(mint) if isinstance(doc, dict) else None
    if not isinstance(entry, dict) or entry.get("usdPrice") is None:
        raise SourceError(f"Jupiter lists no price for {mint}")
    source, method, now = f"Jupiter price API ({base})", f"GET {url}?ids={mint}", utc_now()
    facts = {"price": Fact(amount(entry["usdPrice"], "Jupiter's usdPrice"), FEEDS["price"], source, method, None, now)}
    stock: Any = entry.get("stockData")
    missing = "Jupiter gives no stockData for this mint"
    if isinstance(stock, dict) and stock.get("price") is not None:
        price = amount(stock["price"], "Jupiter's stockData.price")
        facts["underlying_price"] = Fact(price, FEEDS["underlying_price"], source, method, None, now)
        missing = "Jupiter's stockData has no updatedAt"
        updated = stock.get("updatedAt")
        if updated is not None:
            facts["reference_price_updated_at"] = Fact(iso(_time(updated)), "time", source, method, None, now)
    return {key: Fact.unknown(missing, unit=unit, source=source, method=method) for key, unit in FEEDS.items()} | facts


def _time(value: Any) -> datetime:
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = float(value) / 1000 if value > 10**11 else float(value)
            return datetime.fromtimestamp(seconds, UTC)
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        raise SourceError(f"Jupiter sent a time that cannot be read ({str(value)[:40]!r})") from None
