"""HD-*: how concentrated the public float is (issuer, bridge and burn wallets excluded)."""

from __future__ import annotations

from decimal import Decimal

from .engine import SEVERITY, Context, Outcome, rule
from .quality import supply_disagreement


def _doubts(ctx: Context) -> list[str]:
    """Why the float these rules divide by may be wrong, though each figure was read."""
    doubts = []
    disagreement = supply_disagreement(ctx)
    if disagreement is not None:
        doubts.append(f"the supply sources disagree ({disagreement})")
    check = ctx.value("holders_sum_check")
    if check is not None and check != "matches":
        doubts.append(f"the holders' balances do not add up to the supply ({check})")
    return doubts


def _in_doubt(ctx: Context, outcome: Outcome) -> Outcome:
    """Never a pass on a float in doubt: at least caution, with the reason."""
    doubts = _doubts(ctx)
    if not doubts or outcome.status in ("unknown", "n/a"):
        return outcome
    status = max(outcome.status, "caution", key=SEVERITY.__getitem__)
    return Outcome(
        status,
        f"{outcome.explanation} But {'; '.join(doubts)}, so this figure cannot be trusted as it stands.",
        (*outcome.evidence, "total_supply", "total_supply_rpc_ui", "holders_sum_check"),
    )


def _share_rule(ctx: Context, rule_id: str, key: str, what: str, verb: str) -> Outcome:
    share = ctx.number(key)
    if share is None:
        return ctx.missing(key)
    impossible = ctx.impossible(key, upper=Decimal(1))
    if impossible is not None:
        return impossible
    scope = ctx.facts[key].unit
    text = f"{what} {verb} {share * 100:.2f} % of the float ({scope})."
    if share > ctx.threshold(f"{rule_id}.warning"):
        return Outcome("warning", f"{text} Whoever that is can move the market price alone.", (key,))
    if share > ctx.threshold(f"{rule_id}.caution"):
        return Outcome("caution", f"{text} A large seller could push the price away from the shares' value.", (key,))
    return Outcome("pass", text, (key,))


def largest(ctx: Context) -> Outcome:
    """Top-1 share of the float."""
    return _in_doubt(
        ctx,
        _share_rule(ctx, "HD-1", "holders_top1_share", "The largest holder outside the issuer's wallets", "holds"),
    )


rule("HD-1", "Largest unlabelled holder", largest)


def top_ten(ctx: Context) -> Outcome:
    """Top-10 share of the float."""
    return _in_doubt(
        ctx,
        _share_rule(ctx, "HD-2", "holders_top10_share", "The ten largest holders outside the issuer's wallets", "hold"),
    )


rule("HD-2", "Top-10 unlabelled holders", top_ten)


def tiny_float(ctx: Context) -> Outcome:
    """Float below 1 % of supply: most tokens sit with the issuer."""
    return _in_doubt(ctx, _float_share(ctx))


rule("HD-3", "Tiny public float", tiny_float)


def _float_share(ctx: Context) -> Outcome:
    float_, supply = ctx.number("float"), ctx.number("total_supply")
    if float_ is None or supply is None:
        return ctx.missing("float", "total_supply")
    impossible = ctx.impossible("total_supply") or ctx.impossible("float", upper=supply)
    if impossible is not None:
        return impossible
    if supply == 0:
        return Outcome("n/a", "The supply is zero: there is no float to judge.", ("total_supply",))
    share = float_ / supply
    text = f"The public float is {share * 100:.2f} % of the supply; the rest sits in the issuer's labelled wallets."
    if share < ctx.threshold("HD-3.float_min"):
        return Outcome("caution", f"{text} Prices on such a thin market move easily.", ("float", "total_supply"))
    return Outcome("pass", text, ("float", "total_supply"))
