"""Jupiter price API (keyless) for Solana mints.

Gives the token's market price and, for stock tokens, the underlying share price (``stockData``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..errors import SourceError
from ..facts import Fact, iso, utc_now
from ..http import Http


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
    facts = {"price": Fact(_number(entry["usdPrice"]), "USD per token unit (market)", source, method, None, now)}
    stock: Any = entry.get("stockData")
    if isinstance(stock, dict) and stock.get("price") is not None:
        facts["underlying_price"] = Fact(
            _number(stock["price"]), "USD per share of the underlying", source, method, None, now
        )
        updated = stock.get("updatedAt")
        if updated is not None:
            facts["reference_price_updated_at"] = Fact(iso(_time(updated)), "time", source, method, None, now)
    return facts


def _number(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise SourceError(f"Jupiter sent a price that is not a number ({value!r})") from None


def _time(value: Any) -> datetime:
    if isinstance(value, int | Decimal):
        seconds = float(value) / 1000 if value > 10**11 else float(value)
        return datetime.fromtimestamp(seconds, UTC)
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        raise SourceError(f"Jupiter sent a time that cannot be read ({value!r})") from None
