"""PM-*: how far the token's price sits from the value of the shares behind it."""

from __future__ import annotations

from .engine import Context, Outcome, rule


def premium(ctx: Context) -> Outcome:
    """Price ÷ (underlying × multiplier) − 1, with off-hours labelled."""
    value = ctx.number("premium")
    if value is None:
        return ctx.missing("price", "reference_price", "premium")
    if not value.is_finite() or value < -1:
        return Outcome(
            "unknown",
            f"A premium of {value} cannot be true (a price below zero, or no price at all). Unknown is not a pass.",
            ("premium", "price", "reference_price"),
        )
    session = ctx.value("market_session")
    if session == "regular":
        hours = ""
    elif session is None:
        hours = " Whether the US market is open is unknown."
    else:
        hours = f" The US market is {session}: off-hours prices drift and say less."
    price, reference = ctx.value("price"), ctx.value("reference_price")
    figures = f" ({price} vs {reference})" if price is not None and reference is not None else ""
    text = f"The token trades at {value * 100:+.2f} % to the value of the shares it tracks{figures}.{hours}"
    size = abs(value)
    if size > ctx.threshold("PM-1.warning"):
        return Outcome(
            "warning",
            f"{text} Selling now loses that gap; buying now pays it.",
            ("premium", "price", "reference_price", "market_session"),
        )
    if size > ctx.threshold("PM-1.caution"):
        return Outcome("caution", text, ("premium", "price", "reference_price", "market_session"))
    return Outcome("pass", text, ("premium", "market_session"))


rule("PM-1", "Premium / discount to the shares' value", premium)


def reference_stale(ctx: Context) -> Outcome:
    """During regular hours the reference price should be minutes old, not hours."""
    session, updated = ctx.value("market_session"), ctx.time("reference_price_updated_at")
    if session is None or updated is None:
        return ctx.missing("market_session", "reference_price_updated_at")
    if session != "regular":
        return Outcome(
            "n/a",
            f"The US market is {session}; a reference price cannot be fresher than the last trade.",
            ("market_session",),
        )
    age = (ctx.now - updated).total_seconds() / 60
    if age < 0:
        return Outcome(
            "unknown",
            f"The reference price claims to be from {updated:%Y-%m-%d %H:%M} UTC, {-age:.0f} minutes in the future: "
            "its age cannot be judged. Unknown is not a pass.",
            ("reference_price_updated_at",),
        )
    if age > float(ctx.threshold("PM-2.heartbeat_minutes")):
        return Outcome(
            "caution",
            f"The market is open but the reference price is {age:.0f} minutes old.",
            ("reference_price_updated_at", "market_session"),
        )
    return Outcome("pass", f"The reference price is {age:.0f} minutes old.", ("reference_price_updated_at",))


rule("PM-2", "Reference price stale in session", reference_stale)


def reference_missing(ctx: Context) -> Outcome:
    """Without an independent price of the shares, a depeg cannot be seen."""
    if ctx.value("reference_price") is not None:
        underlying = ctx.facts.get("underlying_price")
        where = underlying.source if underlying is not None else ctx.facts["reference_price"].source
        return Outcome(
            "pass", f"An independent price of the shares was read ({where}).", ("reference_price", "underlying_price")
        )
    return ctx.missing("reference_price")


rule("PM-3", "No independent reference price", reference_missing)
