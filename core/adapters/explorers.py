"""Explorer APIs: token holders (raw balances) and whether contract source is verified.

Blockscout v2 (no key), Ethplorer (the free key on Ethereum), GoldRush/Covalent (a key from
the OS keyring).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from urllib.parse import quote

from ..errors import SourceError
from ..http import Http

# Public Blockscout instances (facts-onchain.md §5.2).
BLOCKSCOUT = {
    "ethereum": "https://eth.blockscout.com",
    "optimism": "https://optimism.blockscout.com",
    "base": "https://base.blockscout.com",
    "ink": "https://explorer.inkonchain.com",
}
ETHPLORER = "https://api.ethplorer.io"
GOLDRUSH = "https://api.covalenthq.com"
# The fact the verification read writes (fact key → unit); holder listings feed ``evm_holders.FEEDS``.
FEEDS: dict[str, str] = {"source_verified": "flag"}
GOLDRUSH_CHAINS = {
    "ethereum": "eth-mainnet",
    "arbitrum": "arbitrum-mainnet",
    "bnb": "bsc-mainnet",
    "base": "base-mainnet",
    "optimism": "optimism-mainnet",
    "polygon": "matic-mainnet",
    "mantle": "mantle-mainnet",
    "avalanche": "avalanche-mainnet",
}


@dataclasses.dataclass(frozen=True, slots=True)
class HolderList:
    """Holders as an explorer lists them.

    Attributes:
        balances: (address, raw balance) pairs, largest first, as many as the API gave.
        count: Total holder count, when the API tells it.
        method: The URLs read, for "verify it yourself".
        complete: Whether ``balances`` is every holder (False: the largest only).
    """

    balances: list[tuple[str, int]]
    count: int | None
    method: str
    complete: bool


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def _address(value: Any) -> str:
    if not isinstance(value, str) or _ADDRESS.fullmatch(value) is None:
        raise SourceError(f"the explorer sent a holder address that is not 0x and 40 hex digits ({str(value)[:50]!r})")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SourceError(f"the explorer sent a {what} that is not a whole number ({str(value)[:40]!r})")
    try:
        number = int(value)
    except ValueError:
        raise SourceError(f"the explorer sent a {what} that is not a whole number ({str(value)[:40]!r})") from None
    if number < 0:
        raise SourceError(f"the explorer sent a negative {what} ({number})")
    return number


async def blockscout(http: Http, base: str, token: str) -> HolderList:
    """First page of Blockscout v2 holders (50) and the holder count."""
    holders_url = f"{base.rstrip('/')}/api/v2/tokens/{token}/holders"
    counters_url = f"{base.rstrip('/')}/api/v2/tokens/{token}/counters"
    page = await http.get_json(holders_url)
    counters = await http.get_json(counters_url)
    try:
        items = page["items"]
        balances = [(_address(i["address"]["hash"]), _int(i["value"], "balance")) for i in items]
        count = _int(counters["token_holders_count"], "holder count")
        complete = not page.get("next_page_params") and count <= len(balances)  # its own count can say otherwise
    except (LookupError, TypeError, AttributeError):
        raise SourceError(f"{holders_url} did not answer like Blockscout v2") from None
    return HolderList(balances, count, f"GET {holders_url}; GET {counters_url}", complete)


async def ethplorer(http: Http, base: str, token: str, key: str) -> HolderList:
    """Ethplorer's top 100 holders (raw balances) and its holder count."""
    top_url = f"{base.rstrip('/')}/getTopTokenHolders/{token}"
    info_url = f"{base.rstrip('/')}/getTokenInfo/{token}"
    top = await http.get_json(top_url, {"apiKey": key, "limit": "100"})
    info = await http.get_json(info_url, {"apiKey": key})
    try:
        balances = [(_address(h["address"]), _int(h["rawBalance"], "balance")) for h in top["holders"]]
        count = _int(info["holdersCount"], "holder count")
    except (LookupError, TypeError, AttributeError):
        raise SourceError(f"{top_url} did not answer like Ethplorer") from None
    shown = "freekey" if key == "freekey" else "<your key>"
    return HolderList(
        balances, count, f"GET {top_url}?apiKey={shown}&limit=100; GET {info_url}", len(balances) >= count
    )


async def goldrush(http: Http, base: str, chain: str, token: str, key: str) -> HolderList:
    """GoldRush (Covalent) token holders, first page of 100."""
    name = GOLDRUSH_CHAINS.get(chain)
    if name is None:
        raise SourceError(f"GoldRush has no chain name for {chain}")
    url = f"{base.rstrip('/')}/v1/{name}/tokens/{quote(token)}/token_holders_v2/"
    body = await http.get_json(url, {"page-size": "100"}, {"Authorization": f"Bearer {key}"})
    try:
        data = body["data"]
        balances = [(_address(i["address"]), _int(i["balance"], "balance")) for i in data["items"]]
        pagination = data.get("pagination") or {}
        total = pagination.get("total_count")
        count = None if total is None else _int(total, "holder count")
        complete = not pagination.get("has_more") and (count is None or count <= len(balances))
    except (LookupError, TypeError, AttributeError):
        raise SourceError(f"{url} did not answer like GoldRush") from None
    return HolderList(balances, count, f"GET {url}?page-size=100", complete)


# Fields Blockscout v2 sends for a contract whose source is not verified (it then omits 'is_verified').
UNVERIFIED_KEYS = frozenset({"deployed_bytecode", "creation_bytecode", "creation_status"})


async def source_verified(http: Http, base: str, addresses: list[str]) -> tuple[bool, str]:
    """Whether Blockscout shows verified source for every address (a proxy and its implementation).

    Returns the verdict and the URLs read.

    Raises:
        SourceError: The explorer failed or answered in another shape.
    """
    urls = [f"{base.rstrip('/')}/api/v2/smart-contracts/{address}" for address in addresses]
    verified = True
    for url in urls:
        doc = await http.get_json(url)
        if isinstance(doc, dict) and "is_verified" not in doc and UNVERIFIED_KEYS & doc.keys():
            verified = False  # Blockscout answers an unverified contract with its bytecode and no 'is_verified'
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("is_verified"), bool):
            raise SourceError(f"{url} did not answer like Blockscout v2 (no true or false in 'is_verified')")
        verified = verified and doc["is_verified"]
    return verified, "; ".join(f"GET {u}" for u in urls)
