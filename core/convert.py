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
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation, localcontext

from .errors import BadInput
from .facts import Fact
from .units import normalized

UNITS = ("raw", "tokens", "shares", "usd")
# Shares per token: real multipliers stay near 1 (dividends, splits); anything far off is a typo.
MULTIPLIERS = (Decimal("0.000001"), Decimal(1_000_000))
_LIMIT = Decimal(10) ** 40
_FLOOR = Decimal(10) ** -60  # far below one raw unit of a 36-decimal token at the smallest multiplier
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
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

    @classmethod
    def parse(
        cls,
        decimals: int | None,
        multiplier: str,
        pending: str | None = None,
        pending_at: str | None = None,
        price: str | None = None,
    ) -> TokenUnits:
        """Build conversion inputs from what a person typed (an empty text counts as not given).

        Raises:
            BadInput: Decimals outside 0 to 36, a multiplier outside :data:`MULTIPLIERS`, a time
                without a zone or out of range, a pending multiplier without its time (or the reverse),
                or a price that is not an amount.
        """
        if decimals is None or not 0 <= decimals <= 36:
            raise BadInput("Decimals must be a whole number from 0 to 36.")
        if bool(pending and pending.strip()) != bool(pending_at and pending_at.strip()):
            raise BadInput("Give the pending multiplier and the time it takes effect together, or neither.")
        return cls(
            decimals,
            parse_multiplier(multiplier),
            parse_multiplier(pending, "The pending multiplier") if pending and pending.strip() else None,
            parse_time(pending_at, "The time of the pending multiplier") if pending_at and pending_at.strip() else None,
            parse_amount(price) if price and price.strip() else None,
        )


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

    Digits with an optional dot and an optional exponent (``2.5``, ``1e3``); nothing else that
    ``Decimal`` would also take (``1_000``, non-ASCII digits).

    Raises:
        BadInput: Empty, not a number, NaN/infinity, negative or zero, absurdly large or small, or
            written with thousands separators or a decimal comma.
    """
    value = text.strip()
    if not value:
        raise BadInput("Enter an amount, for example 10 or 2.5.")
    amount = _number(value)
    if amount <= 0:
        raise BadInput(f"Enter an amount above zero (got {_shown(value)}).")
    if amount >= _LIMIT:
        raise BadInput(f"{_shown(value)} is far larger than any token supply; check the amount.")
    if amount < _FLOOR:
        raise BadInput(f"{_shown(value)} is far smaller than one raw unit of any token; check the amount.")
    return amount


def _number(value: str) -> Decimal:
    """A number written one way only: digits, an optional dot and exponent, no separators."""
    if re.fullmatch(r"[+-]?\d{1,3}([,' ]\d{3})+(\.\d+)?", value, re.ASCII):
        plain = re.sub(_SEPARATORS, "", value)
        raise BadInput(f"{value!r} has thousands separators; write it without them, e.g. {plain}.")
    if re.fullmatch(r"[+-]?\d+,\d+", value, re.ASCII):
        raise BadInput(
            f"{value!r} uses a decimal comma; write a dot, e.g. {value.replace(',', '.')} "
            "(a comma could also be a thousands separator)."
        )
    if re.fullmatch(r"[+-]?(nan|snan|inf|infinity)", value, re.IGNORECASE):
        raise BadInput(f"{value!r} is not a finite number.")
    if not _NUMBER.fullmatch(value):
        raise BadInput(f"{_shown(value)} is not a number; enter digits with an optional dot, e.g. 12.5.")
    try:
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            return Decimal(value)
    except InvalidOperation:  # an exponent beyond what Decimal holds (1e-99999999999999999999)
        raise BadInput(f"{_shown(value)} is far outside any amount a token can hold; check it.") from None


def parse_multiplier(text: str, what: str = "The multiplier") -> Decimal:
    """Read a multiplier (shares per token) a person typed: an amount within :data:`MULTIPLIERS`.

    Raises:
        BadInput: Not a number written one way only, or outside the sane range (said in the message).
    """
    value = text.strip()
    if not value:
        raise BadInput(f"{what} is empty; enter shares per token, for example 1.0021.")
    multiplier = _number(value)
    _check_multiplier(multiplier, what)
    return multiplier


def parse_time(text: str, what: str = "The time") -> datetime:
    """Read an ISO-8601 time with a zone (``2026-12-01T14:30Z``, ``…+02:00``) as an aware UTC time.

    Raises:
        BadInput: Not an ISO-8601 time, no zone (the reader could not tell which hour is meant), or
            a time that falls outside the years 1 to 9999 once moved to UTC.
    """
    value = text.strip()
    try:
        if not value.isascii() or not value.isprintable():
            raise ValueError(value)  # fromisoformat takes "…+00:00\x00" as if the NUL were not there
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadInput(f"{what} {_shown(value)} is not an ISO-8601 time like 2026-12-01T14:30Z.") from None
    if when.utcoffset() is None:
        raise BadInput(
            f"{what} {_shown(value)} has no time zone; add Z for UTC or an offset such as +02:00 "
            "(for example 2026-12-01T14:30Z)."
        )
    try:
        return when.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-01:00 is in the year 10000 in UTC
        raise BadInput(f"{what} {_shown(value)} falls outside the years 1 to 9999 in UTC.") from None


def _check_multiplier(value: Decimal, what: str) -> None:
    low, high = MULTIPLIERS
    if not low <= value <= high:
        shown = _text(value) if -20 < value.adjusted() < 20 else str(value)  # 1E+39, never 39 zeros
        shown = shown if len(shown) <= 40 else f"{shown[:39]}…"
        raise BadInput(
            f"{what} {shown} is outside the sane range {_text(low)} to {_text(high)} shares per token; check it."
        )


def _shown(value: str) -> str:
    """A typed value as a message quotes it: escaped (never a raw control character) and cut."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


def convert(amount: Decimal, unit: str, units: TokenUnits) -> Conversion:
    """Express ``amount`` (in ``unit``) in every unit, exactly, noting any rounding.

    Raises:
        BadInput: Unknown unit, a fractional raw amount, or ``usd`` without a known price.
    """
    if unit not in UNITS:
        raise BadInput(f"Unknown unit {unit!r}; use one of {', '.join(UNITS)}.")
    _check_multiplier(units.multiplier, "The multiplier")
    if units.pending is not None:
        _check_multiplier(units.pending, "The pending multiplier")
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
