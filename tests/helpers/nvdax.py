"""NVDAx scenarios on the local Solana RPC and xStocks API (figures from facts-onchain.md)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from .solana_rpc import NVDAX, SolanaRpc, nvdax_holders, nvdax_mint
from .xstocks_api import XStocksApiServer

REAL_EFFECTIVE_AT = 1_789_000_200  # 2026-09-10 00:30 UTC, from the decoded mint: already passed


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def setup_nvdax(rpc: SolanaRpc, api: XStocksApiServer, *, pending: bool = False, por_age_hours: float = 6.0) -> None:
    """Load NVDAx: the real snapshot (multiplier change already effective) or one pending tomorrow."""
    now = datetime.now(UTC)
    effective_at = int(time.time()) + 86_400 if pending else REAL_EFFECTIVE_AT
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
