"""Plausibility before judgement: values no honest source can send become unknown with the reason.

A lying or broken source must not turn into a ``pass``. Adapters refuse non-finite and negative
amounts at parse time (:func:`amount`); the orchestrator then runs :func:`check` over the facts
before any rule reads them: a timestamp in the future, a negative or non-finite amount, a
coverage ratio beyond a sane bound, or one chain answering two reads of the same block with
different floats makes the facts involved unknown, naming both figures.
The bounds are data (``resources/rules/plausibility.json``).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import SourceError
from .facts import Fact, iso
from .resources import resource_path

BOUNDS = json.loads(resource_path("rules", "plausibility.json").read_text(encoding="utf-8"))
CLOCK_SKEW = timedelta(minutes=int(BOUNDS["clock_skew_minutes"]))
CHAIN_CLOCK_DRIFT = timedelta(hours=int(BOUNDS["chain_clock_drift_hours"]))


def amount(value: Any, what: str) -> Decimal:
    """Parse an amount a source sends as a JSON number or a decimal string: finite and not negative.

    Raises:
        SourceError: Not a number, not finite ("NaN", "Infinity") or below zero.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise SourceError(f"{what} is not a number ({str(value)[:40]!r})")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise SourceError(f"{what} is not a number ({str(value)[:40]!r})") from None
    if not number.is_finite():
        raise SourceError(f"{what} is not a finite number ({str(value)[:40]!r})")
    if number < 0:
        raise SourceError(f"{what} is negative ({number}), which no amount can be")
    return number


def clock_drift(moment: datetime, now: datetime) -> str | None:
    """Why a chain's clock cannot be trusted (``None`` when it is within the allowed drift of ``now``)."""
    drift = moment - now
    if abs(drift) <= CHAIN_CLOCK_DRIFT:
        return None
    direction = "ahead of" if drift > timedelta(0) else "behind"
    hours = abs(drift).total_seconds() / 3600
    return f"says {iso(moment)}, {hours:,.1f} h {direction} this computer's clock: a stale or lying node"


def check(facts: dict[str, Fact]) -> dict[str, Fact]:
    """Return the facts with every implausible one replaced by an unknown fact with the reason."""
    out = dict(facts)
    out.update(_repeated_reads(out))
    out.update(_future_times(out))
    out.update(_ratios(out))
    out.update(_amounts(out))
    return out


def listed_decimals(facts: dict[str, Fact], listed: int, listing: str) -> dict[str, Fact]:
    """The chain's decimals against the issuer's list: amounts read with the wrong decimals are off by 10^k.

    A token's decimals never change; a node that says otherwise lies (or serves another token), so
    every amount read on it becomes unknown.
    """
    decimals = facts.get("decimals")
    if decimals is None or not decimals.known or str(decimals.value) == str(listed):
        return {}
    reason = (
        f"{decimals.source} says the token has {decimals.value} decimals, but {listing} lists {listed}; every amount "
        "read with the wrong decimals is off by a power of ten"
    )
    keys = ["decimals", *BOUNDS["repeated_read"]["facts"]]
    return {key: _unknown(facts[key], reason) for key in keys if key in facts}


def _unknown(fact: Fact, reason: str) -> Fact:
    return Fact.unknown(f"implausible: {reason}", unit=fact.unit, source=fact.source, method=fact.method)


def _repeated_reads(facts: dict[str, Fact]) -> dict[str, Fact]:
    """The inspected chain's float against the measured coverage's own read of that chain at the same block.

    Both reads compute the same figure the same way; a node that answers them differently at one
    block or slot lies, so every figure built on its supply becomes unknown.
    """
    entry = BOUNDS["repeated_read"]
    float_, parts = facts.get(entry["fact"]), facts.get(entry["parts"])
    if float_ is None or not isinstance(float_.value, Decimal) or parts is None or not isinstance(parts.value, list):
        return {}
    for row in parts.value:
        at = row.get("block", row.get("slot")) if isinstance(row, dict) else None
        if at is None or at != float_.block or row.get("source") != float_.source or row.get("float") is None:
            continue
        if Decimal(str(row["float"])) == float_.value:
            return {}
        reason = (
            f"{float_.source} answered two reads of block/slot {at} with different floats, {float_.value} and "
            f"{row['float']}; a node whose answers change at one block lies"
        )
        return {key: _unknown(facts[key], reason) for key in entry["facts"] if key in facts}
    return {}


def _future_times(facts: dict[str, Fact]) -> dict[str, Fact]:
    """A source's timestamp ahead of the clock it is judged by (beyond the skew allowance)."""
    out: dict[str, Fact] = {}
    for entry in BOUNDS["future"]:
        time, age_key = facts.get(entry["time"]), entry["age"]
        age = facts.get(age_key) if age_key else None
        if time is None or not time.known:
            continue
        try:
            stamp = datetime.fromisoformat(str(time.value).replace("Z", "+00:00"))
        except ValueError:
            out[entry["time"]] = _unknown(time, f"{time.value!r} is not a time")
            continue
        if age is not None and isinstance(age.value, Decimal):
            ahead = timedelta(hours=float(-age.value))
            clock = "the clock it is measured against"
        else:
            ahead = stamp - time.fetched_at
            clock = f"this computer's clock at the fetch ({iso(time.fetched_at)})"
        if ahead <= CLOCK_SKEW:
            continue
        reason = (
            f"the source dates it {iso(stamp)}, {ahead.total_seconds() / 3600:,.1f} h ahead of {clock}; "
            "a time in the future cannot be judged"
        )
        out[entry["time"]] = _unknown(time, reason)
        if age is not None and age_key:
            out[age_key] = _unknown(age, reason)
    return out


def _ratios(facts: dict[str, Fact]) -> dict[str, Fact]:
    """A ratio beyond its sane bound: the ratio and both inputs become unknown, naming both figures."""
    out: dict[str, Fact] = {}
    for key, bound in BOUNDS["ratios"].items():
        ratio = facts.get(key)
        if ratio is None or not isinstance(ratio.value, Decimal) or ratio.value <= Decimal(bound["max"]):
            continue
        figures = " and ".join(f"{name} {facts[name].display_value()}" for name in bound["inputs"] if name in facts)
        reason = (
            f"{key} {ratio.value:,f} is beyond the sane bound {bound['max']} (from {figures}); a unit error or a lie"
        )
        out[key] = _unknown(ratio, reason)
        out.update({name: _unknown(facts[name], reason) for name in bound["inputs"] if name in facts})
    return out


def _amounts(facts: dict[str, Fact]) -> dict[str, Fact]:
    """A non-finite number anywhere, or a negative one where only a signed figure may be negative."""
    signed = set(BOUNDS["signed"]) | {e["age"] for e in BOUNDS["future"] if e["age"]}
    out: dict[str, Fact] = {}
    for key, fact in facts.items():
        value = fact.value
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            continue
        if isinstance(value, Decimal) and not value.is_finite():
            out[key] = _unknown(fact, f"{key} is {value}, not a finite number")
        elif value < 0 and key not in signed:
            out[key] = _unknown(fact, f"{key} is {value}; it cannot be negative")
    return out
