"""Local Blockscout v2 and Ethplorer route tables that answer from the anvil test chain's real balances."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers.anvil import Anvil
from tests.helpers.loopback_server import Reply, Request, Route

TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
BALANCE_OF = "70a08231"


def balances(node: Anvil, token: str) -> list[tuple[str, int]]:
    """Every address a Transfer of ``token`` reached, with its balanceOf now, largest first (zero dropped)."""
    logs = node.rpc("eth_getLogs", {"address": token, "fromBlock": "0x0", "toBlock": "latest", "topics": [TRANSFER]})
    holders = sorted({"0x" + log["topics"][2][26:] for log in logs})
    found = []
    for holder in holders:
        word = node.rpc("eth_call", {"to": token, "data": "0x" + BALANCE_OF + holder[2:].rjust(64, "0")}, "latest")
        if int(word, 16):
            found.append((holder, int(word, 16)))
    return sorted(found, key=lambda row: -row[1])


def blockscout_routes(rows: list[tuple[str, int]]) -> dict[tuple[str, str], Route]:
    """Blockscout v2: the holders' first page, the counters and every contract as verified."""

    def holders(request: Request) -> Reply:
        items = [{"address": {"hash": a, "is_contract": False}, "value": str(b), "token_id": None} for a, b in rows]
        return Reply({"items": items, "next_page_params": None})

    def counters(request: Request) -> Reply:
        return Reply({"token_holders_count": str(len(rows)), "transfers_count": str(2 * len(rows))})

    def contract(request: Request) -> Reply:
        return Reply({"is_verified": True, "name": "TransparentProxy", "address": request.params["address"]})

    return {
        ("GET", "/api/v2/tokens/{token}/holders"): holders,
        ("GET", "/api/v2/tokens/{token}/counters"): counters,
        ("GET", "/api/v2/smart-contracts/{address}"): contract,
    }


def ethplorer_routes(rows: list[tuple[str, int]], decimals: int = 18) -> dict[tuple[str, str], Route]:
    """Ethplorer: the top holders (raw balances) and the token info with its holder count."""
    total = sum(b for _, b in rows) or 1

    def top(request: Request) -> Reply:
        listed = [
            {
                "address": a,
                "balance": float(Decimal(b).scaleb(-decimals)),
                "share": round(100 * b / total, 2),
                "rawBalance": str(b),
            }
            for a, b in rows
        ]
        return Reply({"holders": listed})

    def info(request: Request) -> Reply:
        return Reply({"holdersCount": len(rows), "decimals": str(decimals), "address": request.params["token"]})

    return {("GET", "/getTopTokenHolders/{token}"): top, ("GET", "/getTokenInfo/{token}"): info}
