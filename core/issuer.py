"""Facts from the issuer's own API: reserves, multiplier, corporate actions, status, price.

Each endpoint is read concurrently; one that fails makes only the facts it feeds unknown,
with the reason. Nothing is filled with a default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from .adapters.xstocks import ENDPOINTS, ApiAnswer, XStocksApi, decimal_field, time_field
from .chains import Chain
from .errors import SourceError
from .facts import Fact, iso
from .registry import Issuer, Token

FactMaker = Callable[[ApiAnswer], dict[str, Fact]]


async def issuer_facts(
    api: XStocksApi, token: Token, chain: Chain, issuer: Issuer
) -> tuple[dict[str, Fact], list[tuple[str, str]]]:
    """Read every issuer endpoint for a token on a chain; return facts and (endpoint, reason) failures."""
    symbol, network = token.symbol, chain.api_network
    jobs: list[tuple[str, Callable[[], Awaitable[ApiAnswer]], FactMaker]] = [
        ("asset", lambda: api.asset(symbol), lambda a: _asset(a, api, symbol, network)),
        ("proof_of_reserves", lambda: api.proof_of_reserves(symbol), lambda a: _reserves(a, api, issuer)),
        ("multiplier", lambda: api.multiplier(symbol, network), lambda a: _multiplier(a, api)),
        ("multiplier_history", lambda: api.multiplier_history(symbol, network), lambda a: _history(a, api)),
        ("upcoming_actions", api.upcoming_actions, lambda a: _actions(a, api, symbol)),
        ("system_status", lambda: api.system_status(symbol), lambda a: _status(a, api)),
        ("price_data", lambda: api.price_data(symbol), lambda a: _price(a, api)),
    ]
    answers = await asyncio.gather(*(fetch() for _, fetch, _ in jobs), return_exceptions=True)
    facts: dict[str, Fact] = {}
    failures: list[tuple[str, str]] = []
    for (endpoint, _, make), answer in zip(jobs, answers, strict=True):
        if isinstance(answer, BaseException) and not isinstance(answer, SourceError):
            raise answer
        feeds = ENDPOINTS[endpoint]
        try:
            if isinstance(answer, SourceError):
                raise answer
            made = _decoded(make, answer)
        except SourceError as exc:
            failures.append((next(iter(feeds)), str(exc)))
            made = {
                k: Fact.unknown(f"issuer API: {exc}", unit=unit, source=api.source, method=f"GET {api.base}/…")
                for k, unit in feeds.items()
            }
        facts.update(made)
    return facts, failures


def _decoded(make: FactMaker, answer: ApiAnswer) -> dict[str, Fact]:
    """The decode boundary: an answer of the wrong shape or types is a SourceError naming the URL."""
    try:
        return make(answer)
    except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise SourceError(f"{answer.url} answered in an unexpected shape ({type(exc).__name__}: {exc})") from None


def _fact(answer: ApiAnswer, api: XStocksApi, value: Any, unit: str) -> Fact:
    return Fact(value, unit, api.source, f"GET {answer.url}", None, answer.fetched_at)


def _doc(answer: ApiAnswer) -> dict[str, Any]:
    if not isinstance(answer.doc, dict):
        raise SourceError(f"{answer.url} did not send a JSON object")
    return answer.doc


def _asset(answer: ApiAnswer, api: XStocksApi, symbol: str, network: str) -> dict[str, Fact]:
    """The issuer's address on this network; "not listed" only from an asset document of this very token."""
    doc = _doc(answer)
    deployments = doc.get("deployments")
    if doc.get("symbol", symbol) != symbol or not isinstance(deployments, list):
        raise SourceError(f"{answer.url} is not the asset document of {symbol} (no deployments list of {symbol})")
    if not all(isinstance(d, dict) and isinstance(d.get("network"), str) for d in deployments):
        raise SourceError(f"{answer.url} lists a deployment without a network name")
    address = next((d.get("address") for d in deployments if d.get("network") == network), None)
    if address is not None and not isinstance(address, str):
        raise SourceError(f"{answer.url} gives the {network} address as {type(address).__name__}, not text")
    halted = doc.get("isTradingHalted")
    return {
        "issuer_api_address": _fact(answer, api, address or "not listed on this chain", "address"),
        "trading_halted_by_issuer": (
            _fact(answer, api, bool(halted), "flag")
            if isinstance(halted, bool)
            else Fact.unknown(
                "the asset has no isTradingHalted field",
                unit="flag",
                source=api.source,
                method=f"GET {answer.url}",
            )
        ),
    }


def _reserves(answer: ApiAnswer, api: XStocksApi, issuer: Issuer) -> dict[str, Fact]:
    doc = _doc(answer)
    held = decimal_field(doc, "sharesHeld")
    outstanding = decimal_field(doc, "circulatingSupply")
    updated = time_field(doc.get("timestamp"))
    if updated is None:
        raise SourceError("the proof of reserve has no timestamp")
    age = Decimal((answer.fetched_at - updated).total_seconds() / 3600).quantize(Decimal("0.1"))
    coverage = (held / outstanding).quantize(Decimal("0.000001")) if outstanding else None
    cadence = (
        Fact(
            Decimal(issuer.por_cadence_hours),
            "hours",
            f"registry: {issuer.por_cadence_source}",
            "issuer's published cadence",
            None,
            answer.fetched_at,
        )
        if issuer.por_cadence_hours
        else Fact.unknown(
            "the issuer publishes no cadence",
            unit="hours",
            source="registry",
            method="issuer's published cadence",
        )
    )
    return {
        "reserves_shares": _fact(answer, api, held, "shares held in custody"),
        "outstanding_all_chains": _fact(
            answer,
            api,
            outstanding,
            "tokens outstanding, all chains (issuer's circulating supply, multiplier-adjusted)",
        ),
        "reserves_coverage": (
            _fact(answer, api, coverage, "shares held ÷ tokens outstanding")
            if coverage is not None
            else Fact.unknown("circulating supply is zero", unit="ratio", source=api.source, method=f"GET {answer.url}")
        ),
        "reserves_updated_at": _fact(answer, api, iso(updated), "time"),
        "reserves_age_hours": _fact(answer, api, age, "hours since the proof of reserve"),
        "reserves_cadence_hours": cadence,
    }


def _multiplier(answer: ApiAnswer, api: XStocksApi) -> dict[str, Fact]:
    doc = _doc(answer)
    current = decimal_field(doc, "currentMultiplier")
    new = decimal_field(doc, "newMultiplier") if doc.get("newMultiplier") not in (None, 0, "0") else None
    at = time_field(doc.get("activationDateTime"))
    pending = new is not None and at is not None and at > answer.fetched_at
    return {
        "multiplier_issuer": _fact(answer, api, current, "shares per token"),
        "multiplier_issuer_pending": _fact(answer, api, new if pending else "none", "shares per token"),
        "multiplier_issuer_pending_at": _fact(answer, api, iso(at) if pending and at else "none", "time"),
        "multiplier_issuer_reason": _fact(answer, api, doc.get("reason") or "none", "text"),
    }


def _history(answer: ApiAnswer, api: XStocksApi) -> dict[str, Fact]:
    nodes = _doc(answer).get("nodes")
    if not isinstance(nodes, list):
        raise SourceError(f"{answer.url} has no 'nodes' list")
    rows = []
    for n in nodes:
        at = time_field(n.get("activationDateTime"))
        rows.append(
            {
                "reason": n.get("reason"),
                "multiplier": str(decimal_field(n, "multiplier")),
                "previous": str(decimal_field(n, "previousMultiplier")),
                "at": iso(at) if at else None,
            }
        )
    return {"multiplier_history_issuer": _fact(answer, api, rows, "multiplier changes, oldest first")}


def _actions(answer: ApiAnswer, api: XStocksApi, symbol: str) -> dict[str, Fact]:
    nodes = _doc(answer).get("nodes")
    if not isinstance(nodes, list):
        raise SourceError(f"{answer.url} has no 'nodes' list")
    mine = [
        {
            "type": n.get("caType"),
            "status": n.get("status"),
            "effective": n.get("effectiveTimeUtc"),
            "from_units": n.get("fromUnits"),
            "to_units": n.get("toUnits"),
            "event": n.get("eventId"),
        }
        for n in nodes
        if n.get("xstockSymbol") == symbol
    ]
    return {"corporate_actions_upcoming": _fact(answer, api, mine, "scheduled corporate actions")}


def _status(answer: ApiAnswer, api: XStocksApi) -> dict[str, Fact]:
    doc = _doc(answer)
    out = {}
    for key, field in (
        ("market_trading_halted", "isMarketTradingHalted"),
        ("atomic_trading_halted", "isAtomicTradingHalted"),
    ):
        value = doc.get(field)
        out[key] = (
            _fact(answer, api, value, "flag")
            if isinstance(value, bool)
            else Fact.unknown(f"no {field} in the answer", unit="flag", source=api.source, method=f"GET {answer.url}")
        )
    return out


def _price(answer: ApiAnswer, api: XStocksApi) -> dict[str, Fact]:
    doc = _doc(answer)
    if doc.get("quote") is None:
        return {
            "price_issuer": Fact.unknown(
                "the issuer gave no quote (market closed or no data)",
                unit="USD",
                source=api.source,
                method=f"GET {answer.url}",
            )
        }
    return {"price_issuer": _fact(answer, api, decimal_field(doc, "quote"), "USD per token (issuer quote)")}
