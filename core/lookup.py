"""From what the user typed to facts: resolve a query to one token on one chain, then read it."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Coroutine
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import evm_holders, plausibility
from .adapters import evm_history, evm_powers, explorers, jupiter, reserve_feed, solana
from .adapters.evm import EvmReader, Head, Heads
from .adapters.evm_history import History, read_history
from .adapters.evm_powers import PowerRead
from .adapters.jupiter import price_facts
from .adapters.reserve_feed import read_feed
from .adapters.solana import SolanaReader
from .adapters.xstocks import XStocksApi
from .addresses import classify, normalize_evm, normalize_solana
from .chains import Chain, chain_by_key
from .coverage import coverage_facts, measured_outstanding
from .deadline import Deadlines, deadlines
from .errors import BadInput, SourceError
from .evm_holders import holder_facts
from .facts import Fact, utc_now
from .http import Http
from .issuer import issuer_facts
from .issuer_lists import CONFIRMATION, confirm_live
from .market import session as market_session
from .registry import Candidate, Deployment, Issuer, Registry, ReserveFeed, Token
from .settings import Settings, shown


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
    """Everything one inspection measured, with each source's state.

    Attributes:
        target: The token and chain (for an every-chain inspection, the first chain's target).
        facts: The facts; for an every-chain inspection, the all-chain figures and issuer facts.
        sources: Each source's state.
        generated_at: When the inspection finished.
        per_chain: For an every-chain inspection, each chain's own inspection.
    """

    target: Target
    facts: dict[str, Fact]
    sources: list[SourceState]
    generated_at: datetime
    per_chain: tuple[Inspection, ...] = ()

    @property
    def reached_any_source(self) -> bool:
        """Whether at least one source answered."""
        return any(s.state == "ok" for s in self.sources)


EVERY_EVM_CHAIN = "all"


def resolve_every_chain(registry: Registry, query: str) -> list[Target]:
    """Resolve a token symbol (or ticker) to its deployments on every EVM chain.

    Raises:
        BadInput: No single token matches, or it has no EVM deployment.
    """
    found = registry.search(query)
    symbols = sorted({c.token.symbol for c in _exact_symbol(found, query)})
    if not found or len(symbols) != 1:
        listed = f": {', '.join(symbols[:12])}" if symbols else ""
        raise BadInput(f"--chain all needs exactly one token; {query!r} matches {len(symbols)}{listed}.")
    targets = [
        Target(query, c.deployment.chain, c.deployment.address, c.token, c.deployment)
        for c in found
        if c.token.symbol == symbols[0] and c.deployment.chain.kind == "evm"
    ]
    if not targets:
        raise BadInput(f"{symbols[0]} has no EVM deployment in the registry.")
    return targets


def _exact_symbol(candidates: list[Candidate], text: str) -> list[Candidate]:
    """The candidates whose token symbol is exactly ``text``, when that is what the text names.

    A ticker that is also some token's symbol (a third party lists Apple as ``AAPL``) names the
    underlying: then every token of it stays a candidate, and the person picks one.
    """
    wanted = text.strip().lower()
    exact = [c for c in candidates if c.token.symbol.lower() == wanted]
    ticker = any(c.token.underlying.symbol.lower() == wanted and c.token.symbol.lower() != wanted for c in candidates)
    return exact if exact and not ticker else candidates


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
            f"No token matches {shown(text)}{where}. Try a ticker (AAPL), a token symbol (AAPLx), "
            "an ISIN or a contract address."
        )
    candidates = _exact_symbol(candidates, text)
    symbols = sorted({c.token.symbol for c in candidates})
    if len(symbols) > 1:
        named = sorted({f"{c.token.symbol} ({c.token.issuer_name.split(' (')[0]})" for c in candidates})
        raise BadInput(
            f"{shown(text)} matches several tokens: {', '.join(named[:12])}. Give one token symbol, or the token's "
            "address."
        )
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
    with _deadlines(settings):
        heads = Heads([target.chain.key] if target.chain.kind == "evm" else [])
        chain_result, issuer, measured = await asyncio.gather(
            _read_chain(target, settings, http, registry, heads),
            inspect_issuer_only(target, settings, http, registry),
            _measured_outstanding(target.token, settings, http, registry, heads),
            return_exceptions=True,
        )
    if isinstance(chain_result, BaseException):
        raise chain_result
    if isinstance(issuer, BaseException):
        raise issuer
    if isinstance(measured, BaseException):
        raise measured
    facts = dict(chain_result[0])
    if target.deployment is not None and target.deployment.decimals is not None:
        facts.update(plausibility.listed_decimals(facts, target.deployment.decimals, target.deployment.source))
    clash = facts.keys() & issuer.facts.keys()
    assert not clash, f"two sources wrote the same facts: {sorted(clash)}"
    facts.update(issuer.facts)
    facts.update(measured)
    facts.update(derived_facts(facts, f"{target.chain.name} only", target.chain.kind))
    confirmed = confirm_live(target.token, target.deployment, target.chain, facts)
    if confirmed is not None:  # a third party's row: the issuer's live list, read above, says whether it is official
        token, deployment, facts[CONFIRMATION] = confirmed
        target = dataclasses.replace(target, token=token, deployment=deployment)
    return Inspection(target, plausibility.check(facts), [*chain_result[1], *issuer.sources], utc_now())


def _deadlines(settings: Settings) -> contextlib.AbstractContextManager[Deadlines]:
    """The request and inspection deadlines of the settings, for every request made inside."""
    return deadlines(
        float(settings.decimal("deadline.request_seconds")), float(settings.decimal("deadline.inspection_seconds"))
    )


def chain_feeds(kind: str) -> dict[str, str]:
    """Every fact a chain read feeds (fact key → unit), from each adapter's own declaration.

    On EVM the holder listing, the event history and the verification all start from the
    chain read, so a failed chain read leaves their facts unknown too.
    """
    if kind == "solana":
        return solana.FEEDS
    return evm_powers.FEEDS | evm_holders.FEEDS | evm_history.FEEDS | explorers.FEEDS


def unknown_feeds(feeds: dict[str, str], reason: str, source: str) -> dict[str, Fact]:
    """One unknown fact with the reason for every fact a failed source feeds."""
    return {key: Fact.unknown(reason, unit=unit, source=source, method="not read") for key, unit in feeds.items()}


def derived_facts(facts: dict[str, Fact], scope: str, chain_kind: str) -> dict[str, Fact]:
    """Facts computed from other facts: the formula is their method; unknown inputs make them unknown.

    Implausible inputs are set aside first, so nothing is derived from a lie.
    """
    checked = plausibility.check(facts)
    return _feed_coverage(checked, scope) | _premium(checked, chain_kind) | coverage_facts(checked)


async def _measured_outstanding(
    token: Token | None, settings: Settings, http: Http, registry: Registry, heads: Heads
) -> dict[str, Fact]:
    """Every chain's float for the measured reserve coverage; only where the issuer publishes its reserves.

    A chain this inspection reads is read at the head block its chain read found (``heads``).
    """
    if token is None or token.issuer_api != "xstocks":
        return {}
    return await measured_outstanding(token, settings, http, registry, heads)


def _premium(facts: dict[str, Fact], chain_kind: str) -> dict[str, Fact]:
    """Reference = underlying × multiplier (per raw token unit), premium = price ÷ reference − 1 (PM-1).

    On EVM AutoFee tokens balances are already rebased into shares, so the reference is the
    underlying price itself.
    """
    underlying, multiplier = facts.get("underlying_price"), facts.get("multiplier")
    if underlying is None or not underlying.known or not isinstance(underlying.value, Decimal):
        return {}
    solana = chain_kind == "solana"
    m = Decimal(1)
    if solana:
        if multiplier is None or not isinstance(multiplier.value, Decimal):
            return {}  # without the chain's multiplier the shares' value per token is not known
        m = multiplier.value
    formula = "underlying_price × multiplier" if solana else "underlying_price (EVM balances are already rebased)"
    reference = (underlying.value * m).quantize(Decimal("0.000001"))
    out = {"reference_price": Fact(reference, "USD per token unit", "derived", formula, None, utc_now())}
    price = next((facts[k] for k in ("price", "price_issuer") if k in facts and facts[k].known), None)
    if price is not None and isinstance(price.value, Decimal) and reference > 0:
        out["premium"] = Fact(
            ((price.value / reference) - 1).quantize(Decimal("0.000001")),
            f"share above (+) or below (−) the shares' value; price from {price.source}",
            "derived",
            f"price ÷ reference_price − 1 ({formula})",
            None,
            utc_now(),
        )
    return out


def _feed_coverage(facts: dict[str, Fact], scope: str) -> dict[str, Fact]:
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


async def _read_price(
    mint: str, settings: Settings, http: Http, *, market: bool
) -> tuple[dict[str, Fact], SourceState]:
    """The underlying's price (and, for a Solana inspection, the token's market price) from Jupiter."""
    base = settings.get("api.jupiter")
    name = f"Jupiter price API ({base})"
    session = Fact(
        market_session(utc_now()),
        "NYSE session",
        "NYSE hours and holidays (holidays library)",
        "session(now, America/New_York)",
        None,
        utc_now(),
    )
    try:
        facts = await price_facts(http, base, mint)
        if not market:  # the Solana token's price says nothing about the EVM token's
            facts.pop("price")
    except SourceError as exc:
        feeds = {k: unit for k, unit in jupiter.FEEDS.items() if market or k != "price"}
        unknown = unknown_feeds(feeds, f"price: {exc}", name)
        return unknown | {"market_session": session}, SourceState(name, base, "failed", str(exc))
    return facts | {"market_session": session}, SourceState(name, base, "ok")


async def _read_feed(feed: ReserveFeed, settings: Settings, http: Http) -> tuple[dict[str, Fact], SourceState]:
    url = settings.get(f"rpc.{feed.chain.key}")
    reader = EvmReader(http, feed.chain, url)
    try:
        await reader.check_chain()
        facts = await read_feed(reader, feed)
    except SourceError as exc:
        unknown = unknown_feeds(reserve_feed.FEEDS, f"reserve feed: {exc}", reader.source)
        return unknown, SourceState(f"{reader.source} (reserve feed)", url, "failed", str(exc))
    return facts, SourceState(f"{reader.source} (reserve feed)", url, "ok")


async def inspect_every_chain(targets: list[Target], settings: Settings, http: Http, registry: Registry) -> Inspection:
    """Read one token on every EVM chain concurrently, then the issuer once.

    All-chain figures are sums of each chain's float (supply minus issuer wallets), never of
    gross supply; if a chain cannot be read, the sums are unknown, not understated.
    """
    first = targets[0]
    with _deadlines(settings):
        heads = Heads(t.chain.key for t in targets)
        chain_jobs = [_read_chain(t, settings, http, registry, heads) for t in targets]
        results, extra, measured = await asyncio.gather(
            asyncio.gather(*chain_jobs, return_exceptions=True),
            inspect_issuer_only(first, settings, http, registry),
            _measured_outstanding(first.token, settings, http, registry, heads),
        )
    per_chain = []
    for target, result in zip(targets, results, strict=True):
        if isinstance(result, BaseException):
            raise result
        per_chain.append(Inspection(target, plausibility.check(result[0]), result[1], utc_now()))
    facts = dict(extra.facts) | measured
    facts.update(all_chain_facts(per_chain))
    facts.update(derived_facts({**facts, "float": facts["outstanding_evm_chains"]}, "every EVM chain", "evm"))
    sources = [s for i in per_chain for s in i.sources] + extra.sources
    return Inspection(first, plausibility.check(facts), sources, utc_now(), tuple(per_chain))


async def inspect_issuer_only(target: Target, settings: Settings, http: Http, registry: Registry) -> Inspection:
    """The issuer API and reserve feed facts of a token, without reading its chain."""
    jobs: list[Coroutine[Any, Any, tuple[dict[str, Fact], SourceState]]] = []
    issuer = registry.issuer(target.token.issuer_key) if target.token else None
    feed = registry.reserve_feed(target.token.symbol) if target.token and target.token.official else None
    if feed is not None:
        jobs.append(_read_feed(feed, settings, http))
    mint = target.token.on(chain_by_key("solana")) if target.token and target.token.official else None
    if mint is not None:
        jobs.append(_read_price(mint.address, settings, http, market=target.chain.kind == "solana"))
    if target.token is not None and issuer is not None and target.token.issuer_api == "xstocks":
        jobs.append(_read_issuer(XStocksApi(http, settings.get("api.xstocks")), target.token, target.chain, issuer))
    facts: dict[str, Fact] = {}
    sources = []
    for found, state in await asyncio.gather(*jobs):
        facts.update(found)
        sources.append(state)
    return Inspection(target, facts, sources, utc_now())


def all_chain_facts(per_chain: list[Inspection]) -> dict[str, Fact]:
    """Sum each chain's supply, issuer wallets and float; labelled as all-chain figures."""
    out: dict[str, Fact] = {}
    chains = ", ".join(i.target.chain.key for i in per_chain)
    for key, name, unit in (
        ("total_supply", "total_supply_evm_chains_gross", "tokens, gross: includes issuer inventory, NOT outstanding"),
        ("issuer_inventory", "issuer_inventory_evm_chains", "tokens in labelled issuer wallets, all EVM chains read"),
        ("float", "outstanding_evm_chains", "tokens outstanding on every EVM chain: Σ (supply − issuer wallets)"),
    ):
        parts = [i.facts.get(key) for i in per_chain]
        method = f"Σ {key} over {chains}"
        missing = [i.target.chain.key for i, f in zip(per_chain, parts, strict=True) if f is None or not f.known]
        if missing:
            out[name] = Fact.unknown(
                f"not read on {', '.join(missing)}: a partial sum would understate",
                unit=unit,
                source="derived",
                method=method,
            )
            continue
        total = sum((f.value for f in parts if f is not None and isinstance(f.value, Decimal)), Decimal(0))
        out[name] = Fact(total, unit, "derived", method, None, utc_now())
    read = sum(1 for i in per_chain if i.sources[0].state == "ok")
    out["chains_read"] = Fact(
        f"{read} of {len(per_chain)}", "EVM chains", "derived", f"chains: {chains}", None, utc_now()
    )
    return out


async def _read_chain(
    target: Target, settings: Settings, http: Http, registry: Registry, heads: Heads
) -> tuple[dict[str, Fact], list[SourceState]]:
    url = settings.get(f"rpc.{target.chain.key}")
    if target.chain.kind != "evm":
        solana_reader = SolanaReader(http, url, registry.label)
        try:
            return await solana_reader.read(target.address), [SourceState(solana_reader.source, url, "ok")]
        except SourceError as exc:
            failed = SourceState(solana_reader.source, url, "failed", str(exc))
            return unknown_feeds(solana.FEEDS, str(exc), solana_reader.source), [failed]
    reader = EvmReader(http, target.chain, url)
    try:
        return await _read_evm(target, settings, registry, reader, heads)
    except SourceError as exc:
        reason = str(exc)
        heads.publish(target.chain.key, reason)
        return unknown_feeds(chain_feeds("evm"), reason, reader.source), [
            SourceState(reader.source, url, "failed", reason)
        ]
    finally:  # whatever stopped the read, nothing waits for its head forever
        heads.publish(target.chain.key, "the chain read stopped before it read the head block")


async def _read_evm(
    target: Target, settings: Settings, registry: Registry, reader: EvmReader, heads: Heads
) -> tuple[dict[str, Fact], list[SourceState]]:
    """Round 1, then the power map's later rounds alongside the holders, the verification and the history.

    Round 1 is one batch: the chain id, the head block and every token read. Each later read
    starts as soon as round 1 gives what it needs, so none waits for another's round trips.

    Raises:
        SourceError: Round 1 or the power map failed (every chain fact is then unknown).
    """
    wallets = [w.address for w in registry.system_wallets if w.chain_kind == "evm"]
    powers = PowerRead(reader, target.address, wallets)
    head, answers = await reader.open(powers.requests)
    heads.publish(target.chain.key, head)
    powers.decode(answers)
    basics = powers.basics()
    finishing = asyncio.ensure_future(powers.finish())
    if basics is None:  # no supply: nothing later can be built on it
        facts = plausibility.check(await finishing)
        supply = facts.get("total_supply")
        why = supply.error if supply is not None else "it was not read"
        reason = f"not read: the token's supply is unknown ({why})"
        facts.update(unknown_feeds(evm_holders.FEEDS | evm_history.FEEDS | explorers.FEEDS, reason, reader.source))
        return facts, [SourceState(reader.source, reader.url, "ok")]
    issuer = registry.issuer(target.token.issuer_key) if target.token and target.token.official else None
    earliest = issuer.evm_from_blocks.get(target.chain.key, 0) if issuer else 0
    sources = powers.sources()
    holders = asyncio.ensure_future(
        holder_facts(reader, settings, target.address, basics, registry.label, head.number, earliest)
    )
    history = asyncio.ensure_future(_history(reader, settings, powers.upgraders(), head))
    verifying = asyncio.ensure_future(_verification(reader, settings, sources)) if sources is not None else None
    try:
        facts = plausibility.check(await finishing)
    except SourceError:
        for job in (holders, history, verifying):
            if job is not None:
                job.cancel()
        raise
    if verifying is None:  # a beacon proxy: the beacon named the implementation in round 2
        implementation = facts["proxy_implementation"]
        named = (
            [str(implementation.value)] if implementation.known and str(implementation.value).startswith("0x") else []
        )
        verifying = asyncio.ensure_future(_verification(reader, settings, [target.address, *named]))
    (found, used, failures), events, verified = await asyncio.gather(holders, history, verifying)
    facts["source_verified"] = verified
    facts["authority_changes_30d"] = (
        events.fact(_upgraders(target.address, facts)) if isinstance(events, History) else events
    )
    facts.update(found)
    known = found["holders_top1_share"].known or found["holders_count"].known
    holder_state = SourceState(
        f"holders via {used}",
        reader.url if used == "logs" else used,
        "ok" if known else "failed",
        "; ".join(failures) or None,
    )
    return facts, [SourceState(reader.source, reader.url, "ok"), holder_state]


def _upgraders(token: str, facts: dict[str, Fact]) -> list[str]:
    """The token and whoever the power map says can upgrade it (CT-9 reads their events)."""
    admin = facts.get("proxy_admin")
    if admin is None or not admin.known or not str(admin.value).startswith("0x"):
        return [token]
    return [token, *str(admin.value).split(", ")]


async def _history(reader: EvmReader, settings: Settings, contracts: list[str], head: Head) -> History | Fact:
    """CT-9's input: role, admin and upgrade events of the token and whoever may upgrade it, in the window."""
    days = settings.integer("threshold.CT-9.days")
    try:
        return await read_history(reader, contracts, days, head)
    except SourceError as exc:
        return Fact.unknown(
            f"the event history could not be read ({exc})",
            unit="events",
            source=reader.source,
            method="eth_getLogs (role, admin and upgrade events)",
        )


async def _verification(reader: EvmReader, settings: Settings, addresses: list[str]) -> Fact:
    """ID-3's input: verified source for the token and, for a proxy, its implementation (Blockscout)."""
    chain, token = reader.chain.key, addresses[0]
    if chain not in explorers.BLOCKSCOUT:
        return Fact.unknown(
            f"no keyless explorer with a verification status is configured for {reader.chain.name}",
            unit="flag",
            source="explorer",
            method="",
        )
    base = settings.get(f"explorer.blockscout.{chain}")
    try:
        verified, method = await explorers.source_verified(reader.http, base, addresses)
    except SourceError as exc:
        return Fact.unknown(
            f"the explorer could not tell ({exc})",
            unit="flag",
            source=f"Blockscout ({base})",
            method=f"GET {base}/api/v2/smart-contracts/{token}",
        )
    return Fact(
        verified,
        "verified source for the proxy and its implementation",
        f"Blockscout ({base})",
        method,
        None,
        utc_now(),
    )


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
