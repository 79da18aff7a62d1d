"""DQ-*: the quality of the data itself (DQ-1, coverage, is computed last by the engine)."""

from __future__ import annotations

from decimal import Decimal

from .engine import Context, Outcome, rule

PAIRS = (
    ("multiplier", "multiplier_issuer", "the chain's multiplier and the issuer's"),
    ("total_supply", "total_supply_rpc_ui", "the app's UI supply and the node's"),
)


@rule("DQ-2", "Sources disagree")
def disagree(ctx: Context) -> Outcome:
    """Two sources for one figure must agree within tolerance; otherwise show both."""
    tolerance = ctx.threshold("DQ-2.tolerance")
    compared, differ = [], []
    for a, b, what in PAIRS:
        x, y = ctx.number(a), ctx.number(b)
        if x is None or y is None:
            continue
        compared.append(what)
        if abs(x - y) > tolerance * max(abs(x), abs(y), Decimal(1)):
            differ.append(f"{what}: {x} vs {y}")
    if differ:
        return Outcome(
            "caution",
            f"Sources disagree — {'; '.join(differ)}. Both values are shown; trust neither blindly.",
            tuple(k for a, b, _ in PAIRS for k in (a, b)),
        )
    if not compared:
        return Outcome("unknown", "No figure was read from two independent sources, so agreement cannot be checked.")
    return Outcome("pass", f"Sources agree ({', '.join(compared)}).", tuple(k for a, b, _ in PAIRS for k in (a, b)))


@rule("DQ-3", "Stale snapshot")
def stale_snapshot(ctx: Context) -> Outcome:
    """Data older than its freshness budget is shown as stale, never as fresh."""
    times = [f.fetched_at for f in ctx.facts.values() if f.known]
    if not times:
        return Outcome("unknown", "Nothing was read, so the data's age is unknown.")
    hours = (ctx.now - min(times)).total_seconds() / 3600
    budget = ctx.threshold("DQ-3.freshness_hours")
    if hours > budget:
        return Outcome(
            "caution",
            f"The oldest figure was fetched {hours:.0f} h ago (budget {budget} h): treat this "
            "report as a snapshot, not the current state.",
        )
    return Outcome("pass", "Every figure was fetched for this report.")
