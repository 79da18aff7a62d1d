"""NVDAx scenarios on the local Solana RPC and xStocks API (figures from facts-onchain.md)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from .jupiter_api import JupiterServer
from .solana_rpc import NVDAX, SolanaRpc, nvdax_holders, nvdax_mint
from .xstocks_api import XStocksApiServer

REAL_EFFECTIVE_AT = 1_789_000_200  # 2026-09-10 00:30 UTC, from the decoded mint: already passed


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


UNDERLYING_PRICE = "183.50"
TOKEN_PRICE = "184.00"


def setup_prices(jupiter: JupiterServer, *, token_price: str = TOKEN_PRICE, minutes_old: int = 1) -> None:
    """NVDAx on Jupiter: a market price per token unit and NVDA's share price (stockData)."""
    updated = int(time.time()) - 60 * minutes_old
    jupiter.prices[NVDAX] = {
        "usdPrice": float(token_price),
        "blockId": 449660471,
        "decimals": 8,
        "priceChange24h": 0.4,
        "stockData": {"price": float(UNDERLYING_PRICE), "mcap": 4.4e12, "updatedAt": updated},
    }


def setup_nvdax(rpc: SolanaRpc, api: XStocksApiServer, *, pending: bool = False, por_age_hours: float = 6.0) -> None:
    """Load NVDAx: the real snapshot (multiplier change already effective) or one pending in two days."""
    now = datetime.now(UTC)
    effective_at = int(time.time()) + 2 * 86_400 if pending else REAL_EFFECTIVE_AT
    if pending:
        mint = nvdax_mint(multiplier="1.001701196801074", new_multiplier="1.0025", effective_at=effective_at)
    else:
        mint = nvdax_mint(effective_at=effective_at)
    rpc.accounts.clear()
    rpc.accounts[NVDAX] = mint
    rpc.accounts.update(nvdax_holders())
    api.reserves["NVDAx"] = {
        "symbol": "NVDAx",
        "timestamp": iso(now - timedelta(hours=por_age_hours)),
        "sharesHeld": "196869",
        "circulatingSupply": "196340.26085951860836",
        "holdings": [{"provider": "InCore Bank AG", "quantity": "196869", "symbol": "NVDA"}],
    }
    if pending:
        api.multipliers["NVDAx"] = {
            "currentMultiplier": 1.001701196801074,
            "newMultiplier": 1.0025,
            "activationDateTime": iso(datetime.fromtimestamp(effective_at, UTC)),
            "reason": "Dividend",
        }
        api.actions[:] = [
            {
                "caType": "CashDividend",
                "status": "Scheduled",
                "xstockSymbol": "NVDAx",
                "xstockIsin": "CH1436219195",
                "effectiveTimeUtc": iso(datetime.fromtimestamp(effective_at, UTC)),
                "fromUnits": None,
                "toUnits": None,
                "eventId": "evt-nvda-div",
            }
        ]
    else:
        api.multipliers["NVDAx"] = {
            "currentMultiplier": 1.001701196801074,
            "newMultiplier": 0,
            "activationDateTime": 0,
            "reason": None,
        }
        api.actions[:] = []
    api.histories["NVDAx"] = {
        "nodes": [
            {
                "reason": "Dividend",
                "multiplier": 1.0009180758490996,
                "previousMultiplier": 1,
                "activationDateTime": "2026-06-12T00:30:00.000Z",
            },
            {
                "reason": "Dividend",
                "multiplier": 1.001701196801074,
                "previousMultiplier": 1.0009180758490996,
                "activationDateTime": iso(datetime.fromtimestamp(REAL_EFFECTIVE_AT, UTC)),
            },
        ],
        "page": {"currentPage": 0, "hasNextPage": False},
    }
    api.statuses["NVDAx"] = {"isMarketTradingHalted": False, "isAtomicTradingHalted": False}
    api.prices["NVDAx"] = {"quote": 183.42}
