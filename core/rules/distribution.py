"""HD-*: how concentrated the public float is (issuer, bridge and burn wallets excluded)."""

from __future__ import annotations

from .engine import Context, Outcome, rule


def _share_rule(ctx: Context, rule_id: str, key: str, what: str, verb: str) -> Outcome:
    share = ctx.number(key)
    if share is None:
        return ctx.missing(key)
    scope = ctx.facts[key].unit
    text = f"{what} {verb} {share * 100:.2f} % of the float ({scope})."
    if share > ctx.threshold(f"{rule_id}.warning"):
        return Outcome("warning", f"{text} Whoever that is can move the market price alone.", (key,))
    if share > ctx.threshold(f"{rule_id}.caution"):
        return Outcome("caution", f"{text} A large seller could push the price away from the shares' value.", (key,))
    return Outcome("pass", text, (key,))


@rule("HD-1", "Largest unlabelled holder")
def largest(ctx: Context) -> Outcome:
    """Top-1 share of the float."""
    return _share_rule(ctx, "HD-1", "holders_top1_share", "The largest holder outside the issuer's wallets", "holds")


@rule("HD-2", "Top-10 unlabelled holders")
def top_ten(ctx: Context) -> Outcome:
    """Top-10 share of the float."""
    return _share_rule(
        ctx, "HD-2", "holders_top10_share", "The ten largest holders outside the issuer's wallets", "hold"
    )


@rule("HD-3", "Tiny public float")
def tiny_float(ctx: Context) -> Outcome:
    """Float below 1 % of supply: most tokens sit with the issuer."""
    float_, supply = ctx.number("float"), ctx.number("total_supply")
    if float_ is None or supply is None:
        return ctx.missing("float", "total_supply")
    if supply <= 0:
        return Outcome("n/a", "The supply is zero: there is no float to judge.", ("total_supply",))
    share = float_ / supply
    text = f"The public float is {share * 100:.2f} % of the supply; the rest sits in the issuer's labelled wallets."
    if share < ctx.threshold("HD-3.float_min"):
        return Outcome("caution", f"{text} Prices on such a thin market move easily.", ("float", "total_supply"))
    return Outcome("pass", text, ("float", "total_supply"))
