"""DQ-*: the quality of the data itself (DQ-1, coverage, is computed last by the engine)."""

from __future__ import annotations

from decimal import Decimal

from ..facts import Fact
from .engine import Context, Outcome, rule

PAIRS = (
    ("multiplier", "multiplier_issuer", "the chain's multiplier and the issuer's"),
    ("total_supply", "total_supply_rpc_ui", "the app's UI supply and the node's"),
    ("reserves_coverage", "reserves_coverage_measured", "the issuer's reserve coverage and Backcheck's measured one"),
)


def _differ(ctx: Context, a: str, b: str, what: str) -> str | None:
    """``what: x vs y`` when two measured figures differ beyond the tolerance."""
    x, y = ctx.number(a), ctx.number(b)
    if x is None or y is None:
        return None
    if abs(x - y) > ctx.threshold("DQ-2.tolerance") * max(abs(x), abs(y), Decimal(1)):
        return f"{what}: {x} vs {y}"
    return None


def supply_disagreement(ctx: Context) -> str | None:
    """Why the total supply is in doubt: its two sources disagree (DQ-2); rules dividing by it say so."""
    return _differ(ctx, *PAIRS[1])


def disagree(ctx: Context) -> Outcome:
    """Two sources for one figure must agree within tolerance; otherwise show both.

    A pair applies when both of its facts are in the inspection (the second source exists for
    this token and chain); one that failed to read leaves the pair unchecked, never agreed.
    """
    pairs = [(a, b, what) for a, b, what in PAIRS if a in ctx.facts and b in ctx.facts]
    evidence = tuple(k for a, b, _ in pairs for k in (a, b))
    differ = [d for d in (_differ(ctx, *pair) for pair in pairs) if d is not None]
    if differ:
        text = f"Sources disagree — {'; '.join(differ)}. Both values are shown; trust neither blindly."
        return Outcome("caution", text, evidence)
    unread = [k for k in evidence if ctx.value(k) is None]
    if unread:
        return ctx.missing(*unread)
    compared = [what for a, b, what in pairs if ctx.number(a) is not None and ctx.number(b) is not None]
    if not compared:
        return Outcome("unknown", "No figure was read from two independent sources, so agreement cannot be checked.")
    return Outcome("pass", f"Sources agree ({', '.join(compared)}).", evidence)


rule("DQ-2", "Sources disagree", disagree)


def _fetched(fact: Fact) -> bool:
    """Whether a fact was fetched from an outside endpoint for this report.

    Fetched facts name their endpoint's URL in ``source``; derived figures (``derived``), the
    local market calendar, and the bundled registry (which may cite a URL) are not fetched: their
    time is "now", so they would hide the age of what was.
    """
    return fact.known and "://" in fact.source and not fact.source.startswith("registry")


def stale_snapshot(ctx: Context) -> Outcome:
    """Data older than its freshness budget is shown as stale, never as fresh."""
    fetched = {key: fact.fetched_at for key, fact in ctx.facts.items() if _fetched(fact)}
    if not fetched:
        return Outcome("unknown", "Nothing was fetched from a data source, so the data's age is unknown.")
    oldest = min(fetched, key=lambda key: fetched[key])
    hours = Decimal((ctx.opened_at - fetched[oldest]).total_seconds()) / 3600
    budget = ctx.threshold("DQ-3.freshness_hours")
    if hours > budget:
        return Outcome(
            "caution",
            f"The oldest figure ({oldest}) was fetched {hours:.1f} h ago (budget {budget} h): treat this "
            "report as a snapshot, not the current state.",
            (oldest,),
        )
    return Outcome(
        "pass",
        f"Every figure was fetched for this report; the oldest ({oldest}) {hours:.1f} h ago, within the {budget} h "
        "freshness budget.",
        (oldest,),
    )


rule("DQ-3", "Stale snapshot", stale_snapshot)
