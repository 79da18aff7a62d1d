"""Facts: measured values that carry their provenance.

Every figure Backcheck shows is a :class:`Fact`. A fact that could not be
measured keeps ``value=None`` and says why in ``error``; it is never replaced
by a default.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .redact import redact_text

JsonValue = str | int | bool | None | list[Any] | dict[str, Any]


def nobody(value: object) -> bool:
    """Whether a measured holder says nobody holds the power.

    ``none`` (alone, or with a note in brackets) is the chain saying so; ``not present`` is an identified
    interface that lacks the power. Anything else is a holder: a base58 address may well begin with
    "none" (a vanity key costs seconds to find), so only the exact words count.
    """
    text = str(value)
    return text in ("none", "not present") or text.startswith("none (")


def utc_now() -> datetime:
    """Return the current time in UTC, to the millisecond."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso(moment: datetime) -> str:
    """Format a UTC datetime as ISO-8601 with a ``Z`` suffix."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclasses.dataclass(frozen=True, slots=True)
class Fact:
    """One measured value with where it came from.

    Attributes:
        value: The value; decimals for amounts, lists/dicts of JSON values for tables, ``None`` when unknown.
        unit: What the value counts (``"tokens"``, ``"raw units"``, ``"address"`` …).
        source: The data source's name and endpoint, e.g. ``"EVM RPC ethereum (https://…)"``.
        method: The exact call that produced it, so a user can re-run it.
        block: Block number (EVM) or slot (Solana) the value was read at, if any.
        fetched_at: When the value was fetched.
        error: Why the value is unknown; ``None`` for a measured value.
    """

    value: Decimal | int | str | bool | list[Any] | dict[str, Any] | None
    unit: str
    source: str
    method: str
    block: int | None
    fetched_at: datetime
    error: str | None = None

    @classmethod
    def unknown(cls, reason: str, *, unit: str, source: str, method: str) -> Fact:
        """Build a fact that could not be measured, keeping the reason."""
        return cls(None, unit, source, method, None, utc_now(), error=reason)

    @property
    def known(self) -> bool:
        """Whether the value was measured."""
        return self.value is not None

    def display_value(self) -> str:
        """Return the value as a person reads it (``"unknown"`` when not measured)."""
        if self.value is None:
            return "unknown"
        if isinstance(self.value, Decimal):
            return f"{self.value:,f}"
        return str(self.value)

    def to_json(self) -> dict[str, JsonValue]:
        """Serialize to the report contract's fact shape (amounts as decimal strings)."""
        value: JsonValue
        if isinstance(self.value, Decimal):
            value = format(self.value, "f")
        elif isinstance(self.value, int) and not isinstance(self.value, bool):
            value = str(self.value)
        else:
            value = self.value
        doc: dict[str, JsonValue] = {
            "value": value,
            "unit": self.unit,
            "source": redact_text(self.source),
            "method": redact_text(self.method),
            "block": self.block,
            "fetched_at": iso(self.fetched_at),
        }
        if self.error is not None:
            doc["error"] = redact_text(self.error)
        return doc
