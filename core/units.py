"""Exact conversions between raw integer token units and decimal amounts (never floats)."""

from __future__ import annotations

from decimal import Decimal, localcontext

# Enough digits for any uint256 (78) with room for the scale.
_PRECISION = 120


def normalized(value: Decimal) -> Decimal:
    """Drop trailing zeros without rounding (``1.50`` → ``1.5``, ``1E+3`` stays 1000)."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return value.normalize() if value else Decimal(0)


def from_raw(raw: int, decimals: int) -> Decimal:
    """Scale a raw integer amount by ``10**-decimals`` exactly, without trailing zeros."""
    sign = 1 if raw < 0 else 0
    return normalized(Decimal((sign, tuple(int(d) for d in str(abs(raw))), -decimals)))
