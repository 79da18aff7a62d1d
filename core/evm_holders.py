"""Holder concentration on EVM chains: an explorer API where one answers, else the log scan.

``auto`` tries Blockscout (where the chain has a public instance), Ethplorer (Ethereum), a
GoldRush key from the keyring, then rebuilds balances from logs. Issuer, bridge and burn
wallets are labelled and excluded from the float, and the labels are shown.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .adapters import explorers
from .adapters.evm import MULTICALL3, EvmReader, decode_multicall, encode_multicall
from .adapters.evm_powers import SEL
from .errors import BadInput, SourceError
from .facts import Fact, utc_now
from .holders import Holder, concentration
from .http import Http
from .logscan import TRANSFER, TRANSFER_SHARES, LogCache, Scanner
from .secrets import Secrets
from .settings import Settings, cache_dir
from .units import from_raw, normalized

BURN = {"0x000000000000000000000000000000000000dead": "burn address"}
# Every fact a holder read can write (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {
    "holders": "largest holders (labelled ones excluded)",
    "holders_count": "holders with a balance",
    "holders_top1_share": "share of the float",
    "holders_top10_share": "share of the float",
    "holders_hhi": "HHI (0–1)",
    "holders_nakamoto": "holders",
    "holders_sum_check": "Σ balances from logs vs total supply",
}
# Explorers index a few blocks behind the chain, and an AutoFee balance drifts with the multiplier by
# far less than this between two updates: a bigger gap is a wrong answer, not lag.
EXPLORER_TOLERANCE = Decimal("0.01")
CHECKED_HOLDERS = 10  # the largest listed holders checked with balanceOf: they decide HD-1 and HD-2


async def holder_facts(
    reader: EvmReader,
    settings: Settings,
    token: str,
    facts: dict[str, Fact],
    label: Callable[[str], str | None],
    head: int,
    earliest: int = 0,
) -> tuple[dict[str, Fact], str, list[str]]:
    """Read the holders of a token the way settings choose; return facts, the method used and failures.

    ``head`` is the chain's head block (round 1); ``earliest`` the first block a log scan needs to
    read (the issuer factory's first block).
    """
    method = settings.get("holders.method")  # validated against HOLDER_METHODS by the settings
    supply, decimals, multiplier = facts.get("total_supply"), facts.get("decimals"), facts.get("multiplier")
    if supply is None or not supply.known or decimals is None or not isinstance(decimals.value, int):
        return _unknown("the token's supply or decimals are unknown", reader.source), "none", []
    http = reader.http
    chain = reader.chain.key
    failures: list[str] = []
    attempts: list[tuple[str, Callable[[], Any]]] = []
    if method in ("auto", "blockscout") and chain in explorers.BLOCKSCOUT:
        base = settings.get(f"explorer.blockscout.{chain}")
        attempts.append(("blockscout", lambda: explorers.blockscout(http, base, token)))
    if method in ("auto", "ethplorer") and chain == "ethereum":
        attempts.append(("ethplorer", lambda: _ethplorer(http, settings, token)))
    if method in ("auto", "goldrush"):
        attempts.append(("goldrush", lambda: _goldrush(http, settings, chain, token)))
    for name, attempt in attempts:
        try:
            listed = await _checked(reader, token, await attempt(), supply, decimals.value)
        except SourceError as exc:
            failures.append(f"{name}: {exc}")
            continue
        amounts = [(a, from_raw(raw, decimals.value)) for a, raw in listed.balances]
        source = f"{name} ({listed.method.split(' ')[1].split('/api')[0]})"
        return _facts(amounts, listed.count, listed.complete, supply, label, source, listed.method), name, failures
    if method not in ("auto", "logs"):
        return _unknown("; ".join(failures) or f"{method} is not available on {chain}", reader.source), method, failures
    try:
        found = await _from_logs(
            reader, settings, token, supply, decimals.value, multiplier, label, method, (head, earliest)
        )
    except SourceError as exc:
        failures.append(f"logs: {exc}")
        return _unknown("; ".join(failures), reader.source), "logs", failures
    if not found["holders_count"].known:  # the balances did not add up: the reason is the source's too
        failures.append(f"logs: {found['holders_count'].error}")
    return found, "logs", failures


async def _checked(
    reader: EvmReader, token: str, listed: explorers.HolderList, supply: Fact, decimals: int
) -> explorers.HolderList:
    """An explorer's listing, checked against the chain before any figure is built on it.

    Raises:
        SourceError: The balances add up to more than the supply (or, for a complete listing, not to
            the supply), or a large holder's balance is not what ``balanceOf`` says at the supply's block.
    """
    assert isinstance(supply.value, Decimal)
    total = from_raw(sum(raw for _, raw in listed.balances), decimals)
    allowed = supply.value * EXPLORER_TOLERANCE
    if total > supply.value + allowed or (listed.complete and abs(total - supply.value) > allowed):
        scope = "every holder's balances" if listed.complete else "the listed balances"
        raise SourceError(
            f"{scope} add up to {normalized(total)}, but the total supply at block {supply.block} is {supply.value}"
        )
    largest = sorted(listed.balances, key=lambda row: -row[1])[:CHECKED_HOLDERS]
    for (holder, raw), on_chain in zip(largest, await _balances(reader, token, largest, supply.block), strict=True):
        if on_chain is None or abs(raw - on_chain) > EXPLORER_TOLERANCE * on_chain:
            said = "gives no balance" if on_chain is None else f"says {normalized(from_raw(on_chain, decimals))}"
            raise SourceError(
                f"it says {holder} holds {normalized(from_raw(raw, decimals))}, but balanceOf on chain {said} "
                f"at block {supply.block}"
            )
    return listed


async def _balances(
    reader: EvmReader, token: str, holders: list[tuple[str, int]], block: int | None
) -> list[int | None]:
    """``balanceOf`` of each holder at ``block`` (``None``: the latest) in one Multicall3 call (``None``: no answer)."""
    from eth_abi.abi import encode  # noqa: PLC0415 - lazy: comes with web3

    calls = [(token, SEL["balanceOf"] + encode(["address"], [holder])) for holder, _ in holders]
    if not calls:
        return []
    raw = await reader.guard(reader.web3().eth.call({"to": MULTICALL3, "data": encode_multicall(calls)}, block))
    return [call.word for call in decode_multicall(bytes(raw), calls, reader.url)]


async def _ethplorer(http: Http, settings: Settings, token: str) -> explorers.HolderList:
    key = await asyncio.to_thread(Secrets().get, "ethplorer") or "freekey"
    return await explorers.ethplorer(http, settings.get("api.ethplorer"), token, key)


async def _goldrush(http: Http, settings: Settings, chain: str, token: str) -> explorers.HolderList:
    key = await asyncio.to_thread(Secrets().get, "goldrush")
    if not key:
        raise SourceError("no GoldRush key in the keyring")
    return await explorers.goldrush(http, settings.get("api.goldrush"), chain, token, key)


async def _from_logs(
    reader: EvmReader,
    settings: Settings,
    token: str,
    supply: Fact,
    decimals: int,
    multiplier: Fact | None,
    label: Callable[[str], str | None],
    method: str,
    blocks: tuple[int, int],
) -> dict[str, Fact]:
    """Balances rebuilt from transfer logs; ``blocks`` is (the head, the first block to read)."""
    http, chain_id = reader.http, reader.chain.chain_id or 0
    rebasing = multiplier is not None and isinstance(multiplier.value, Decimal)
    topic = TRANSFER_SHARES if rebasing else TRANSFER
    head, earliest = blocks
    # Balances are summed at the block the supply was read at; only confirmed blocks are cached.
    at = min(head, supply.block) if supply.block is not None else head
    to_block = min(at, head - settings.integer("logs.confirmations"))  # below 0: nothing confirmed yet
    cache = _open_cache()
    try:
        if (
            method == "auto"
            and cache.load(chain_id, token.lower(), topic) is None
            and to_block - earliest > settings.integer("logs.max_blocks")
        ):
            raise SourceError(
                f"a first log scan would read up to {to_block:,} blocks; run with --holders logs to start it "
                "(it resumes from its cache)"
            )
        result = await Scanner(http, reader.url, cache).scan(chain_id, token, topic, to_block, earliest, tail_to=at)
    finally:
        cache.close()
    scale = multiplier.value if rebasing and multiplier is not None and isinstance(multiplier.value, Decimal) else 1
    amounts = [(h, from_raw(b, 18 if rebasing else decimals) * scale) for h, b in result.balances.items()]
    event = "TransferShares (shares × current multiplier)" if rebasing else "Transfer"
    method_text = (
        f'eth_getLogs {{"address": "{token}", "topics": ["{topic}"]}} blocks {result.deploy_block}–{result.scanned_to} '
        f"({event}; this run read {result.logs} logs from block {result.resumed_from} in {result.requests} requests)"
    )
    total = normalized(sum((a for _, a in amounts), Decimal(0)))
    matches = abs(total - Decimal(str(supply.value))) <= Decimal("1e-9") * max(total, Decimal(1))
    check = Fact(
        "matches" if matches else f"differs: Σ balances {total} vs total supply {supply.value} at block {at}",
        FEEDS["holders_sum_check"],
        reader.source,
        method_text,
        result.scanned_to,
        utc_now(),
    )
    if not matches:
        reason = (
            f"the balances rebuilt from logs add up to {total}, but the total supply at the same block {at} is "
            f"{supply.value}: a token that moves balances without events, or a source that lies"
        )
        return _unknown(reason, reader.source) | {"holders_sum_check": check}
    return _facts(amounts, None, True, supply, label, reader.source, method_text, block=result.scanned_to) | {
        "holders_sum_check": check
    }


def _facts(
    amounts: list[tuple[str, Decimal]],
    count: int | None,
    complete: bool,
    supply: Fact,
    label: Callable[[str], str | None],
    source: str,
    method: str,
    block: int | None = None,
) -> dict[str, Fact]:
    now = utc_now()
    holders = [Holder(a, a, normalized(amount), label(a) or BURN.get(a.lower())) for a, amount in amounts if amount > 0]
    holders.sort(key=lambda h: h.amount, reverse=True)
    assert isinstance(supply.value, Decimal)
    c = concentration(holders, supply.value)
    scope = "of the float, over every holder" if complete else f"of the float, from the {len(holders)} largest holders"

    def fact(value: Any, unit: str) -> Fact:
        return Fact(value, unit, source, method, block, now)

    def share(value: Decimal | None, unit: str) -> Fact:
        if value is None:
            return Fact.unknown("no unlabelled holders or no float", unit=unit, source=source, method=method)
        return fact(value.quantize(Decimal("0.000001")), unit)

    hhi_unit = "HHI (0–1) " + ("over every holder" if complete else "a lower bound " + scope)
    return {
        "holders": fact([h.to_json(c.float_) for h in holders[:20]], "largest holders (labelled ones excluded)"),
        "holders_count": fact(count if count is not None else len(holders), "holders with a balance")
        if count is not None or complete
        else Fact.unknown("the explorer gave no holder count", unit="holders", source=source, method=method),
        "holders_top1_share": share(c.top1, "share " + scope),
        "holders_top10_share": share(c.top10, "share " + scope),
        "holders_hhi": share(c.hhi, hhi_unit),
        "holders_nakamoto": fact(c.nakamoto, "holders")
        if c.nakamoto is not None
        else Fact.unknown(
            "the listed holders hold less than half the float", unit="holders", source=source, method=method
        ),
    }


def _unknown(reason: str, source: str) -> dict[str, Fact]:
    return {k: Fact.unknown(reason, unit=unit, source=source, method="holder listing") for k, unit in FEEDS.items()}


def _open_cache() -> LogCache:
    """The log-scan cache; a cache folder that cannot hold it fails this source, not the inspection."""
    try:
        return LogCache(cache_dir() / "logs.sqlite")
    except (BadInput, OSError, sqlite3.Error) as exc:
        raise SourceError(f"the log-scan cache cannot be opened ({exc})") from None
