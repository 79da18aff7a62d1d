"""From what the user typed to facts: resolve a query to one token on one chain, then read it."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from datetime import datetime
from decimal import Decimal
from typing import Any

from .adapters.evm import EvmReader
from .adapters.evm_powers import read_powers
from .adapters.reserve_feed import read_feed
from .adapters.solana import SolanaReader
from .adapters.xstocks import XStocksApi
from .addresses import classify, normalize_evm, normalize_solana
from .chains import Chain, chain_by_key
from .errors import BadInput, SourceError
from .facts import Fact, utc_now
from .http import Http
from .issuer import issuer_facts
from .registry import Deployment, Issuer, Registry, ReserveFeed, Token
from .settings import Settings


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """One token on one chain, ready to be read.

    Attributes:
        query: What the user typed.
        chain: The chain to read.
        address: The contract or mint address.
        token: The registry token, ``None`` for an address no issuer list holds.
        deployment: The registry row for this chain, with its source and as-of date.
    """

    query: str
    chain: Chain
    address: str
    token: Token | None
    deployment: Deployment | None

    @property
    def official(self) -> bool | None:
        """Whether the issuer's list holds this address (``None``: vouched by the user only)."""
        if self.token is None:
            return False
        return self.token.official


@dataclasses.dataclass(frozen=True, slots=True)
class SourceState:
    """How one data source fared during an inspection."""

    name: str
    url: str
    state: str  # ok | failed | offline | stale
    error: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Inspection:
    """Everything one inspection measured, with each source's state."""

    target: Target
    facts: dict[str, Fact]
    sources: list[SourceState]
    generated_at: datetime

    @property
    def reached_any_source(self) -> bool:
        """Whether at least one source answered."""
        return any(s.state == "ok" for s in self.sources)


def resolve(registry: Registry, query: str, chain_name: str | None) -> Target:
    """Turn a query and an optional chain into exactly one target.

    Raises:
        BadInput: Nothing matches, the query is ambiguous, or the address does not fit the chain.
    """
    text = query.strip()
    if not text:
        raise BadInput("Type a ticker (AAPL), a token symbol (AAPLx), an ISIN or a contract address.")
    chain = chain_by_key(chain_name) if chain_name else None
    kind = classify(text)
    if kind in ("evm_address", "solana_address"):
        return _resolve_address(registry, text, kind, chain)
    candidates = registry.search(text, chain)
    if not candidates:
        where = f" on {chain.name}" if chain else ""
        raise BadInput(
            f"No token matches {text!r}{where}. Try a ticker (AAPL), a token symbol (AAPLx), "
            "an ISIN or a contract address."
        )
    exact = [c for c in candidates if c.token.symbol.lower() == text.lower()]
    candidates = exact or candidates
    symbols = sorted({c.token.symbol for c in candidates})
    if len(symbols) > 1:
        raise BadInput(f"{text!r} matches several tokens: {', '.join(symbols[:12])}. Give one token symbol.")
    if len(candidates) > 1:
        chains = ", ".join(c.deployment.chain.key for c in candidates)
        raise BadInput(f"{symbols[0]} is on several chains ({chains}); choose one with --chain.")
    (only,) = candidates
    return Target(text, only.deployment.chain, only.deployment.address, only.token, only.deployment)


def _resolve_address(registry: Registry, text: str, kind: str, chain: Chain | None) -> Target:
    if chain is not None and chain.kind == "solana" and kind == "evm_address":
        raise BadInput(
            f"{text} is an EVM address (0x…), but Solana was chosen; "
            "pick the EVM chain it lives on, or paste the Solana mint address."
        )
    if chain is not None and chain.kind == "evm" and kind == "solana_address":
        raise BadInput(
            f"{text} looks like a Solana address, but {chain.name} was chosen; "
            "pick Solana, or paste the 0x… contract address."
        )
    address = normalize_evm(text) if kind == "evm_address" else normalize_solana(text)
    rows = [(t, d) for t, d in registry.by_address(address) if chain is None or d.chain == chain]
    if chain is None:
        chains = sorted({d.chain.key for _, d in rows})
        if kind == "solana_address":
            chain = chain_by_key("solana")
        elif len(chains) == 1:
            chain = chain_by_key(chains[0])
        else:
            listed = f" It is listed on {', '.join(chains)}." if chains else ""
            raise BadInput(f"Choose the chain for {address} with --chain.{listed}")
    if rows:
        token, deployment = rows[0]
        return Target(text, chain, deployment.address, token, deployment)
    return Target(text, chain, address, None, None)


async def inspect(target: Target, settings: Settings, http: Http, registry: Registry) -> Inspection:
    """Read every fact this build knows for a target; failures become unknown facts.

    The chain and the issuer's API are read concurrently (they are different hosts).

    Raises:
        BadInput: The chain shows the address is not a token mint (Solana).
    """
    jobs: list[Coroutine[Any, Any, tuple[dict[str, Fact], SourceState]]] = [
        _read_chain(target, settings, http, registry)
    ]
    issuer = registry.issuer(target.token.issuer_key) if target.token else None
    feed = registry.reserve_feed(target.token.symbol) if target.token and target.token.official else None
    if feed is not None:
        jobs.append(_read_feed(feed, settings, http))
    if target.token is not None and issuer is not None and target.token.issuer_api == "xstocks":
        jobs.append(_read_issuer(XStocksApi(http, settings.get("api.xstocks")), target.token, target.chain, issuer))
    results = await asyncio.gather(*jobs, return_exceptions=True)
    facts: dict[str, Fact] = {}
    sources: list[SourceState] = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        clash = facts.keys() & result[0].keys()
        assert not clash, f"two sources wrote the same facts: {sorted(clash)}"
        facts.update(result[0])
        sources.append(result[1])
    facts.update(derived_facts(facts, f"{target.chain.name} only"))
    return Inspection(target, facts, sources, utc_now())


def derived_facts(facts: dict[str, Fact], scope: str) -> dict[str, Fact]:
    """Facts computed from other facts: the formula is their method; unknown inputs make them unknown."""
    answer, float_ = facts.get("reserves_feed_answer"), facts.get("float")
    if answer is None or float_ is None:
        return {}
    method = f"reserves_feed_answer ÷ float ({scope})"
    if not (answer.known and float_.known) or not isinstance(answer.value, Decimal):
        missing = answer.error if not answer.known else float_.error
        return {
            "reserves_feed_coverage": Fact.unknown(
                f"an input is unknown: {missing}", unit="ratio", source="derived", method=method
            )
        }
    if not isinstance(float_.value, Decimal) or float_.value <= 0:
        return {}
    coverage = (answer.value / float_.value).quantize(Decimal("0.000001"))
    return {
        "reserves_feed_coverage": Fact(
            coverage, f"feed reserves ÷ tokens outstanding ({scope})", "derived", method, None, utc_now()
        )
    }


async def _read_feed(feed: ReserveFeed, settings: Settings, http: Http) -> tuple[dict[str, Fact], SourceState]:
    url = settings.get(f"rpc.{feed.chain.key}")
    reader = EvmReader(http, feed.chain, url)
    try:
        await reader.check_chain()
        facts = await read_feed(reader, feed)
    except SourceError as exc:
        unknown = {
            key: Fact.unknown(f"reserve feed: {exc}", unit=unit, source=reader.source, method="latestRoundData()")
            for key, unit in (("reserves_feed_answer", "shares"), ("reserves_feed_age_hours", "hours"))
        }
        return unknown, SourceState(f"{reader.source} (reserve feed)", url, "failed", str(exc))
    return facts, SourceState(f"{reader.source} (reserve feed)", url, "ok")


async def _read_chain(
    target: Target, settings: Settings, http: Http, registry: Registry
) -> tuple[dict[str, Fact], SourceState]:
    url = settings.get(f"rpc.{target.chain.key}")
    reader: EvmReader | SolanaReader
    if target.chain.kind == "evm":
        reader = EvmReader(http, target.chain, url)
    else:
        reader = SolanaReader(http, url, registry.label)
    try:
        if isinstance(reader, EvmReader):
            await reader.check_chain()
            wallets = [w.address for w in registry.system_wallets if w.chain_kind == "evm"]
            facts = await read_powers(reader, target.address, wallets)
        else:
            facts = await reader.read(target.address)
    except SourceError as exc:
        reason = str(exc)
        unknown = {
            key: Fact.unknown(reason, unit=unit, source=reader.source, method=method)
            for key, unit, method in CHAIN_FACTS[target.chain.kind]
        }
        return unknown, SourceState(reader.source, url, "failed", reason)
    return facts, SourceState(reader.source, url, "ok")


async def _read_issuer(
    api: XStocksApi, token: Token, chain: Chain, issuer: Issuer
) -> tuple[dict[str, Fact], SourceState]:
    facts, failures = await issuer_facts(api, token, chain, issuer)
    answered = any(f.known for f in facts.values())
    reasons = sorted({reason for _, reason in failures})
    if not answered and len(reasons) == 1:
        error: str | None = f"every endpoint failed: {reasons[0]}"
    else:
        error = "; ".join(f"{endpoint}: {reason}" for endpoint, reason in failures) or None
    return facts, SourceState(api.source, api.base, "ok" if answered else "failed", error)


# What a failed chain read reports as unknown, per chain kind.
CHAIN_FACTS = {
    "evm": (
        ("decimals", "digits", "eth_call decimals() [0x313ce567]"),
        ("total_supply_raw", "raw units", "eth_call totalSupply() [0x18160ddd]"),
        ("total_supply", "tokens", "eth_call totalSupply() [0x18160ddd]"),
        ("multiplier", "shares per token", "eth_call getCurrentMultiplier() [0x2b63c300]"),
    ),
    "solana": (
        ("decimals", "digits", "getAccountInfo (jsonParsed)"),
        ("total_supply_raw", "raw units", "getAccountInfo (jsonParsed)"),
        ("total_supply", "tokens", "getAccountInfo (jsonParsed)"),
        ("multiplier", "shares per raw token", "getAccountInfo (jsonParsed)"),
        ("mint_authority", "address", "getAccountInfo (jsonParsed)"),
        ("freeze_authority", "address", "getAccountInfo (jsonParsed)"),
        ("permanent_delegate", "address", "getAccountInfo (jsonParsed)"),
        ("paused", "flag", "getAccountInfo (jsonParsed)"),
        ("holders_top1_share", "share of the float", "getTokenLargestAccounts"),
    ),
}
