"""CA-*: corporate actions and the multiplier that turns tokens into shares."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .engine import Context, Outcome, rule


@rule("CA-1", "Multiplier change scheduled")
def scheduled(ctx: Context) -> Outcome:
    """Show a scheduled change and its date; short notice is a caution."""
    pending, at = ctx.value("multiplier_pending"), ctx.value("multiplier_pending_at")
    if pending is None:
        pending, at = ctx.value("multiplier_issuer_pending"), ctx.value("multiplier_issuer_pending_at")
    if pending is None:
        return ctx.missing("multiplier_pending")
    if pending in ("none", "not present"):
        return Outcome("pass", "No multiplier change is scheduled.", ("multiplier_pending",))
    when = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    hours = (when - ctx.now).total_seconds() / 3600
    text = (
        f"The multiplier changes to {pending} on {when:%Y-%m-%d %H:%M} UTC (in {hours:.0f} h): balances shown "
        "by wallets will change then, while your share of the underlying does not."
    )
    if hours < float(ctx.threshold("CA-1.notice_hours")):
        return Outcome("caution", f"{text} That is short notice.", ("multiplier_pending", "multiplier_pending_at"))
    return Outcome("pass", text, ("multiplier_pending", "multiplier_pending_at"), info=True)


@rule("CA-2", "Unexplained multiplier step")
def unexplained(ctx: Context) -> Outcome:
    """Each multiplier step should match a corporate action the issuer declared."""
    declared = ctx.value("multiplier_history_issuer")
    if not isinstance(declared, list):
        return ctx.missing("multiplier_history_issuer")
    unexplained_steps = [h for h in declared if not h.get("reason")]
    onchain = ctx.value("multiplier_history")
    if isinstance(onchain, list):
        known = {Decimal(str(h["multiplier"])) for h in declared}
        unexplained_steps += [h for h in onchain[1:] if Decimal(h["multiplier"]) not in known]
    if unexplained_steps:
        steps = ", ".join(str(h.get("multiplier")) for h in unexplained_steps)
        return Outcome(
            "caution",
            f"Multiplier steps without a declared reason: {steps}. Ask the issuer what they were.",
            ("multiplier_history_issuer", "multiplier_history"),
        )
    return Outcome(
        "pass", f"Every multiplier step ({len(declared)}) has a declared reason.", ("multiplier_history_issuer",)
    )


@rule("CA-5", "Raw vs display units differ")
def units(ctx: Context) -> Outcome:
    """A multiplier other than 1 means raw balances and displayed balances differ."""
    multiplier = ctx.value("multiplier")
    if multiplier is None:
        return ctx.missing("multiplier")
    if multiplier == "not present" or multiplier == Decimal(1):
        return Outcome("pass", "One token is one unit: raw and displayed balances agree.", ("multiplier",))
    return Outcome(
        "pass",
        f"One raw token is {multiplier} shares. Explorers that show raw units and wallets that apply the multiplier "
        "show different numbers for the same holding; use the converter.",
        ("multiplier",),
        info=True,
    )
