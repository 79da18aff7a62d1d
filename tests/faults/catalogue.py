"""The fault matrix's columns: every way a source breaks, and each source's lies.

A column is either one :class:`Fault` for every source (transport and shape faults) or a
per-source :class:`Lie` (an edit of the real answer, with the facts it corrupts). ``None`` in a
row means the fault cannot happen to that source, with the reason in :data:`NOT_APPLICABLE`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from tests.helpers.fault_server import Call, Fault, first_word, multicall, round_word, rpc_result
from tests.helpers.solana_rpc import CLOCK_SYSVAR, DEVNET_GENESIS, NVDAX

TOTAL_SUPPLY, BLOCK_TIMESTAMP, LATEST_ROUND = "18160ddd", "0f28c97d", "feaf968c"
MONTH = 30 * 86_400
HOLDERS = (
    "holders",
    "holders_count",
    "holders_top1_share",
    "holders_top10_share",
    "holders_hhi",
    "holders_nakamoto",
)
SUPPLY = ("total_supply", "total_supply_raw", "float", "issuer_inventory", *HOLDERS)


@dataclasses.dataclass(frozen=True)
class Lie:
    """A lie told by one source: the fault that tells it and the facts it corrupts."""

    make: Callable[[], Fault]  # a fresh fault per cell (some lies count their calls)
    touches: tuple[str, ...]


def retyped(value: Any) -> Any:
    """The same document with every value of another JSON type: strings for numbers, objects for lists …"""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"about {value}"
    if isinstance(value, str):
        return {"value": value}
    if isinstance(value, list):
        return {str(i): retyped(v) for i, v in enumerate(value)}
    if isinstance(value, dict):
        return {k: retyped(v) for k, v in value.items()}
    return 0


def _wrong_types(doc: Any, call: Call) -> Any:
    if call.item is None:
        return retyped(doc)
    return {**doc, "result": retyped(doc["result"])} if "result" in doc else doc


RPC_ERROR = {"code": -32000, "message": "header not found"}


def _rpc_error(doc: Any, call: Call) -> Any:
    return {"jsonrpc": "2.0", "id": call.item.get("id") if call.item else 1, "error": RPC_ERROR}


# Faults every source can suffer; "refused" is a closed port rather than a fault on the server.
COMMON: dict[str, Fault | None] = {
    "refused": None,
    "timeout": Fault("timeout"),
    "slow drip": Fault("drip"),
    "429 + Retry-After": Fault("429"),
    "500": Fault("500"),
    "502": Fault("502"),
    "503": Fault("503"),
    "malformed": Fault("malformed"),
    "truncated": Fault("truncated"),
    "cut mid-answer": Fault("cut"),
    "wrong shape": Fault("replace", body={"data": [{"items": None}], "status": "ok", "page": 1}),
    "wrong types": Fault("edit", edit=_wrong_types),
    "JSON-RPC error": Fault("edit", edit=_rpc_error),
}
LIES = ("lie: changes between calls", "lie: future time", "lie: negative", "lie: NaN", "lie: units ×10^k")
COLUMNS = (*COMMON, "wrong chain", *LIES)


def _chain_id(chain_id: int) -> Fault:
    return Fault("edit", methods=frozenset({"eth_chainId"}), edit=rpc_result(lambda result, call: hex(chain_id)))


def _mint(change: Callable[[dict[str, Any], int], None]) -> Callable[[], Fault]:
    """A fault that edits the NVDAx mint account's parsed info in getAccountInfo (n = reads of the mint)."""

    def make() -> Fault:
        reads = [0]

        def edit(result: Any, call: Call) -> Any:
            assert call.item is not None
            if call.item["params"][0] == NVDAX and result.get("value"):
                reads[0] += 1
                change(result["value"]["data"]["parsed"]["info"], reads[0])
            return result

        return Fault("edit", methods=frozenset({"getAccountInfo"}), edit=rpc_result(edit))

    return make


def _scaled(info: dict[str, Any], key: str, value: Any) -> None:
    for extension in info["extensions"]:
        if extension["extension"] == "scaledUiAmountConfig":
            extension["state"][key] = value


def _clock_ahead(result: Any, call: Call) -> Any:
    assert call.item is not None
    if call.item["params"][0] == CLOCK_SYSVAR:
        result["value"]["data"]["parsed"]["info"]["unixTimestamp"] = int(time.time()) + MONTH
    return result


def _rest(path_part: str, change: Callable[[Any], Any]) -> Callable[[], Fault]:
    """A fault that edits the documents of the paths holding ``path_part``."""

    def edit(doc: Any, call: Call) -> Any:
        return change(doc) if path_part in call.path else doc

    return lambda: Fault("edit", edit=edit)


def _set(doc: Any, path: tuple[Any, ...], value: Callable[[Any], Any]) -> Any:
    """The document with the value at ``path`` replaced by ``value(old)``."""
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value(target[path[-1]])
    return doc


def _each(doc: Any, key: str, field: str, value: Callable[[Any], Any]) -> Any:
    for row in doc[key]:
        row[field] = value(row[field])
    return doc


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


# What each lie changes (the facts built on the lied-about field, not the rest of its answer).
SHARES_HELD = ("reserves_shares", "reserves_coverage")
POR_TIME = ("reserves_updated_at", "reserves_age_hours")
FEED = ("reserves_feed_answer", "reserves_feed_coverage")
# Each source's own faults: wrong chain and lies (None: cannot happen, see NOT_APPLICABLE).
OWN: dict[str, dict[str, Fault | Lie | None]] = {
    "EVM RPC": {
        "wrong chain": _chain_id(137),
        "lie: changes between calls": Lie(
            lambda: multicall(TOTAL_SUPPLY, first_word(lambda word, n: word if n == 1 else word * 1000)), SUPPLY
        ),
        "lie: future time": Lie(
            lambda: multicall(BLOCK_TIMESTAMP, first_word(lambda word, n: int(time.time()) + MONTH)),
            ("chain_time", "multiplier_stored", "multiplier_pending", "multiplier_pending_at"),
        ),
        "lie: negative": None,
        "lie: NaN": None,
        "lie: units ×10^k": Lie(lambda: multicall(TOTAL_SUPPLY, first_word(lambda word, n: word * 10**6)), SUPPLY),
    },
    "Solana RPC": {
        "wrong chain": Fault(
            "edit", methods=frozenset({"getGenesisHash"}), edit=rpc_result(lambda result, call: DEVNET_GENESIS)
        ),
        "lie: changes between calls": Lie(
            _mint(lambda info, n: info.update(supply=str(int(info["supply"]) * (1 if n == 1 else 1000)))), SUPPLY
        ),
        "lie: future time": Lie(
            lambda: Fault("edit", methods=frozenset({"getAccountInfo"}), edit=rpc_result(_clock_ahead)),
            ("chain_time", "multiplier", "multiplier_pending", "multiplier_pending_at"),
        ),
        "lie: negative": Lie(_mint(lambda info, n: info.update(supply=f"-{info['supply']}")), SUPPLY),
        "lie: NaN": Lie(
            _mint(lambda info, n: _scaled(info, "multiplier", "NaN")), ("multiplier", "multiplier_stored", *SUPPLY)
        ),
        "lie: units ×10^k": Lie(_mint(lambda info, n: info.update(decimals=2)), ("decimals", *SUPPLY)),
    },
    "xStocks API": {
        "wrong chain": None,
        "lie: changes between calls": None,
        "lie: future time": Lie(
            _rest("proof-of-reserves", lambda d: _set(d, ("timestamp",), lambda _: _iso(time.time() + MONTH))), POR_TIME
        ),
        "lie: negative": Lie(
            _rest("proof-of-reserves", lambda d: _set(d, ("sharesHeld",), lambda v: f"-{v}")), SHARES_HELD
        ),
        "lie: NaN": Lie(_rest("proof-of-reserves", lambda d: _set(d, ("sharesHeld",), lambda v: "NaN")), SHARES_HELD),
        "lie: units ×10^k": Lie(
            _rest("proof-of-reserves", lambda d: _set(d, ("sharesHeld",), lambda v: f"{v}000000")), SHARES_HELD
        ),
    },
    "Jupiter": {
        "wrong chain": None,
        "lie: changes between calls": None,
        "lie: future time": Lie(
            _rest("/price/v3", lambda d: _set(d, (NVDAX, "stockData", "updatedAt"), lambda _: time.time() + MONTH)),
            ("reference_price_updated_at",),
        ),
        "lie: negative": Lie(_rest("/price/v3", lambda d: _set(d, (NVDAX, "usdPrice"), lambda v: -v)), ("price",)),
        "lie: NaN": Lie(
            _rest("/price/v3", lambda d: _set(d, (NVDAX, "stockData", "price"), lambda v: float("nan"))),
            ("underlying_price", "reference_price"),
        ),
        "lie: units ×10^k": Lie(
            _rest("/price/v3", lambda d: _set(d, (NVDAX, "usdPrice"), lambda v: v * 100)), ("price", "premium")
        ),
    },
    "Blockscout": {
        "wrong chain": None,
        "lie: changes between calls": None,
        "lie: future time": None,
        "lie: negative": Lie(_rest("/holders", lambda d: _each(d, "items", "value", lambda v: f"-{v}")), HOLDERS),
        "lie: NaN": Lie(_rest("/holders", lambda d: _each(d, "items", "value", lambda v: "NaN")), HOLDERS),
        "lie: units ×10^k": Lie(
            _rest("/holders", lambda d: _each(d, "items", "value", lambda v: str(int(v) // 10**6))), HOLDERS
        ),
    },
    "Ethplorer": {
        "wrong chain": None,
        "lie: changes between calls": None,
        "lie: future time": None,
        "lie: negative": Lie(
            _rest("/getTopTokenHolders", lambda d: _each(d, "holders", "rawBalance", lambda v: f"-{v}")), HOLDERS
        ),
        "lie: NaN": Lie(
            _rest("/getTopTokenHolders", lambda d: _each(d, "holders", "rawBalance", lambda v: "NaN")), HOLDERS
        ),
        "lie: units ×10^k": Lie(
            _rest("/getTopTokenHolders", lambda d: _each(d, "holders", "rawBalance", lambda v: str(int(v) // 10**6))),
            HOLDERS,
        ),
    },
    "reserve feed": {
        "wrong chain": _chain_id(1),
        "lie: changes between calls": None,
        "lie: future time": Lie(
            lambda: multicall(LATEST_ROUND, round_word(3, lambda _: int(time.time()) + MONTH)),
            ("reserves_feed_updated_at", "reserves_feed_age_hours"),
        ),
        "lie: negative": Lie(lambda: multicall(LATEST_ROUND, round_word(1, lambda v: -v)), FEED),
        "lie: NaN": None,
        "lie: units ×10^k": Lie(lambda: multicall(LATEST_ROUND, round_word(1, lambda v: v * 10**6)), FEED),
    },
}
NOT_APPLICABLE = {
    "wrong chain": "an HTTP API of one network has no chain to check",
    "lie: changes between calls": "read once per inspection: a changed value is just another value",
    "lie: future time": "the answer holds no time",
    "lie: negative": "ABI integers read here are unsigned",
    "lie: NaN": "an ABI integer cannot be NaN",
}
