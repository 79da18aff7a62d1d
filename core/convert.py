"""Shares ⇄ raw token units ⇄ token units ⇄ value, exactly (Decimal), with explicit rounding notes.

Units, the same on both chain kinds:
- ``raw``: the integer the chain stores (Solana raw amount; EVM AutoFee internal shares).
- ``tokens``: raw ÷ 10^decimals, no multiplier: what raw-unit explorers show.
- ``shares``: tokens × the effective multiplier — shares of the underlying, and what Scaled-UI
  wallets (Solana) and ``balanceOf`` (EVM AutoFee) show.
- ``usd``: shares × the underlying's price.

Converting into ``raw`` cuts (never rounds up) when the amount falls between two raw units,
as Token-2022 does for UI → raw, and says by how much.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation, localcontext

from .errors import BadInput
from .facts import Fact
from .units import normalized

UNITS = ("raw", "tokens", "shares", "usd")
_LIMIT = Decimal(10) ** 40
_PRECISION = 120
_SEPARATORS = r"[,' ]"


@dataclasses.dataclass(frozen=True, slots=True)
class TokenUnits:
    """What a conversion needs to know about a token.

    Attributes:
        decimals: Digits of the raw amount.
        multiplier: Effective shares per token now.
        pending: A scheduled multiplier, if any.
        pending_at: When it takes effect.
        price: The underlying's price per share in USD, if known.
    """

    decimals: int
    multiplier: Decimal
    pending: Decimal | None = None
    pending_at: datetime | None = None
    price: Decimal | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Conversion:
    """One amount in every unit.

    Attributes:
        raw: The chain's integer amount.
        tokens: raw ÷ 10^decimals (what raw-unit explorers show).
        shares: Exact shares of the underlying.
        shares_shown: Shares as a Scaled-UI wallet shows them (cut at ``decimals`` digits).
        usd: Value in USD, when the price is known.
        notes: Rounding and assumptions, in plain words.
        after: The same raw amount after a scheduled multiplier change, if one is scheduled.
    """

    raw: int
    tokens: Decimal
    shares: Decimal
    shares_shown: Decimal
    usd: Decimal | None
    notes: tuple[str, ...]
    after: Conversion | None = None


def parse_amount(text: str) -> Decimal:
    """Read an amount a person typed, refusing anything that could be read two ways.

    Raises:
        BadInput: Empty, not a number, NaN/infinity, negative or zero, absurdly large, or written
            with thousands separators or a decimal comma.
    """
    value = text.strip()
    if not value:
        raise BadInput("Enter an amount, for example 10 or 2.5.")
    if re.fullmatch(r"[+-]?\d{1,3}([,' ]\d{3})+(\.\d+)?", value):
        plain = re.sub(_SEPARATORS, "", value)
        raise BadInput(f"{value!r} has thousands separators; write it without them, e.g. {plain}.")
    if re.fullmatch(r"[+-]?\d+,\d+", value):
        raise BadInput(
            f"{value!r} uses a decimal comma; write a dot, e.g. {value.replace(',', '.')} "
            "(a comma could also be a thousands separator)."
        )
    try:
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            amount = Decimal(value)
    except InvalidOperation:
        raise BadInput(f"{value!r} is not a number; enter digits with an optional dot, e.g. 12.5.") from None
    if not amount.is_finite():
        raise BadInput(f"{value!r} is not a finite number.")
    if amount <= 0:
        raise BadInput(f"Enter an amount above zero (got {value}).")
    if amount >= _LIMIT:
        raise BadInput(f"{value} is far larger than any token supply; check the amount.")
    return amount


def convert(amount: Decimal, unit: str, units: TokenUnits) -> Conversion:
    """Express ``amount`` (in ``unit``) in every unit, exactly, noting any rounding.

    Raises:
        BadInput: Unknown unit, a fractional raw amount, or ``usd`` without a known price.
    """
    if unit not in UNITS:
        raise BadInput(f"Unknown unit {unit!r}; use one of {', '.join(UNITS)}.")
    if units.multiplier <= 0:
        raise BadInput("The multiplier must be above zero.")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        raw, notes = _to_raw(amount, unit, units)
        result = _from_raw(raw, units, units.multiplier, notes)
        if units.pending is not None and units.pending_at is not None:
            after = _from_raw(raw, units, units.pending, ())
            when = f"{units.pending_at:%Y-%m-%d %H:%M} UTC"
            note = (
                f"After the multiplier change on {when}, the same {_text(after.tokens)} tokens will be worth "
                f"{_text(after.shares_shown)} shares (now {_text(result.shares_shown)})."
            )
            result = dataclasses.replace(result, notes=(*result.notes, note), after=after)
    return result


def _to_raw(amount: Decimal, unit: str, units: TokenUnits) -> tuple[int, tuple[str, ...]]:
    scale = Decimal(10) ** units.decimals
    if unit == "raw":
        if amount != amount.to_integral_value():
            raise BadInput(f"Raw units are whole numbers; {amount} is not.")
        return int(amount), ()
    if unit == "tokens":
        exact = amount * scale
        what = f"{_text(amount)} tokens"
    elif unit == "shares":
        exact = amount / units.multiplier * scale
        what = f"{_text(amount)} shares"
    else:
        if units.price is None or units.price <= 0:
            raise BadInput("Converting from USD needs the underlying's price, which is unknown.")
        exact = amount / units.price / units.multiplier * scale
        what = f"{_text(amount)} USD"
    raw = int(exact.to_integral_value(ROUND_DOWN))
    if raw == 0:
        raise BadInput(f"{what} is less than one raw unit of this token (it has {units.decimals} decimals).")
    if exact != raw:
        lost = normalized((exact - raw) / scale)
        return raw, (
            f"{what} falls between two raw units; cut down to {raw} raw units ({lost} tokens less), as "
            "the token program does — the chain cannot hold finer amounts.",
        )
    return raw, ()


def _from_raw(raw: int, units: TokenUnits, multiplier: Decimal, notes: tuple[str, ...]) -> Conversion:
    tokens = normalized(Decimal(raw).scaleb(-units.decimals))
    shares = normalized(tokens * multiplier)
    shown = normalized(shares.quantize(Decimal(1).scaleb(-units.decimals), ROUND_DOWN))
    if shown != shares:
        notes = (
            *notes,
            f"Wallets show {_text(shown)} shares: the exact {_text(shares)} is cut at {units.decimals} decimals.",
        )
    usd = normalized(shares * units.price) if units.price is not None else None
    return Conversion(raw, tokens, shares, shown, usd, notes)


def _text(value: Decimal) -> str:
    """Plain positional notation (never 1E+1)."""
    return format(normalized(value), "f")


def units_from_facts(facts: dict[str, Fact], price: Decimal | None = None) -> TokenUnits | None:
    """Build conversion inputs from an inspection's facts; ``None`` when decimals or multiplier are unknown."""
    decimals, multiplier = facts.get("decimals"), facts.get("multiplier")
    if decimals is None or not isinstance(decimals.value, int) or multiplier is None or not multiplier.known:
        return None
    # A token without multiplier functions ("not present") is one share per token.
    m = multiplier.value if isinstance(multiplier.value, Decimal) else Decimal(1)
    pending, at = facts.get("multiplier_pending"), facts.get("multiplier_pending_at")
    if pending is not None and isinstance(pending.value, Decimal) and at is not None and isinstance(at.value, str):
        when = datetime.fromisoformat(at.value.replace("Z", "+00:00"))
        return TokenUnits(decimals.value, m, pending.value, when, price)
    return TokenUnits(decimals.value, m, None, None, price)
