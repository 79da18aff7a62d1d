"""CA-*: corporate actions and the multiplier that turns tokens into shares."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..facts import nobody
from .engine import Context, Outcome, rule


def scheduled(ctx: Context) -> Outcome:
    """Show a scheduled change and its date; short notice is a caution.

    An on-chain schedule is timed against the chain's own clock at the block read (``chain_time``);
    only the issuer's API schedule (read when the chain's is not in the inspection) uses the wall clock.
    """
    keys: tuple[str, ...]
    if "multiplier_pending" in ctx.facts:
        keys = ("multiplier_pending", "multiplier_pending_at", "chain_time")
        clock, source = ctx.time("chain_time"), "the chain's own clock at the block read"
    else:
        keys = ("multiplier_issuer_pending", "multiplier_issuer_pending_at")
        clock, source = ctx.now, "this computer's clock, as the schedule comes from the issuer's API"
    pending = ctx.value(keys[0])
    if pending is None:
        return ctx.missing(keys[0])
    if nobody(pending):
        return Outcome("pass", "No multiplier change is scheduled.", keys[:1])
    when = ctx.time(keys[1])
    if when is None:
        return ctx.missing(keys[1])
    if clock is None:
        fact = ctx.facts.get("chain_time")
        reason = "was not read" if fact is None else f"is unknown ({fact.error or fact.value})"
        return Outcome(
            "unknown",
            f"The multiplier changes to {pending} on {when:%Y-%m-%d %H:%M} UTC, but the chain's own time {reason}, "
            "so the notice given is unknown (this computer's clock is no substitute for the chain's).",
            keys,
        )
    hours = Decimal((when - clock).total_seconds()) / 3600
    span = f"{hours:.0f} h from now" if hours >= 0 else f"{-hours:.0f} h ago"
    text = (
        f"The multiplier changes to {pending} on {when:%Y-%m-%d %H:%M} UTC, {span} by {source}. Balances shown by "
        "wallets will change then, while your share of the underlying does not."
    )
    if hours < ctx.threshold("CA-1.notice_hours"):
        return Outcome("caution", f"{text} That is short notice.", keys)
    return Outcome("pass", text, keys, info=True)


rule("CA-1", "Multiplier change scheduled", scheduled)


def unexplained(ctx: Context) -> Outcome:
    """Each multiplier step should match a corporate action the issuer declared.

    On EVM the chain keeps every step (``multiplier_history``) and each must be declared; a
    Solana mint keeps only the current and next multiplier, so there the issuer's list is judged.
    """
    declared = ctx.value("multiplier_history_issuer")
    if not isinstance(declared, list):
        return ctx.missing("multiplier_history_issuer")
    unexplained_steps = [h for h in declared if not h.get("reason")]
    evidence: tuple[str, ...] = ("multiplier_history_issuer",)
    if ctx.chain_kind == "evm":
        onchain = ctx.value("multiplier_history")
        if not isinstance(onchain, list):
            return ctx.missing("multiplier_history")
        known = {Decimal(str(h["multiplier"])) for h in declared}
        clock = ctx.time("chain_time")
        unexplained_steps += [
            h for h in onchain if _taken_step(h, clock) and Decimal(str(h["multiplier"])) not in known
        ]
        evidence += ("multiplier_history", "chain_time")
    if unexplained_steps:
        steps = ", ".join(str(h.get("multiplier")) for h in unexplained_steps)
        return Outcome(
            "caution", f"Multiplier steps without a declared reason: {steps}. Ask the issuer what they were.", evidence
        )
    return Outcome("pass", f"Every multiplier step ({len(declared)}) has a declared reason.", evidence)


rule("CA-2", "Unexplained multiplier step", unexplained)


def _taken_step(entry: dict[str, object], clock: datetime | None) -> bool:
    """An on-chain history entry that moved the multiplier, by the chain's clock.

    An entry that sets the value it had (a token's initialisation) is no step; one whose
    activation lies after the chain's time has not been taken yet (CA-1 shows it). Without the
    chain's time a dated entry counts, so an unknown clock never hides a step.
    """
    previous = entry.get("previous")
    if previous is not None and Decimal(str(previous)) == Decimal(str(entry["multiplier"])):
        return False
    at = entry.get("at")
    if clock is None or not isinstance(at, str):
        return True
    try:
        return datetime.fromisoformat(at) <= clock
    except ValueError:
        return True


def units(ctx: Context) -> Outcome:
    """A multiplier other than 1 means raw balances and displayed balances differ."""
    multiplier = ctx.value("multiplier")
    if multiplier is None:
        return ctx.missing("multiplier")
    if multiplier in ("not present", Decimal(1)):
        return Outcome("pass", "One token is one unit: raw and displayed balances agree.", ("multiplier",))
    return Outcome(
        "pass",
        f"One raw token is {multiplier} shares. Explorers that show raw units and wallets that apply the multiplier "
        "show different numbers for the same holding; use the converter.",
        ("multiplier",),
        info=True,
    )


rule("CA-5", "Raw vs display units differ", units)
