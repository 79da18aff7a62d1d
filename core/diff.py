"""What changed between two snapshots of one token, in plain words, the changes that matter first.

Both reports are judged with today's thresholds, so a finding that changed reflects the facts,
not a new threshold. Order: findings that got worse (worst first), then control of the token
(who holds a power, paused, upgrades), supply and reserves, findings that got better, and last
every other fact that changed.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from .errors import BadInput
from .facts import Fact
from .report import Report
from .rules.engine import SEVERITY

# Facts of control: who can mint, pause, upgrade or move tokens, and whether it is paused.
CONTROL = ("authority", "admin", "owner", "pause", "paused", "minter", "burner", "role", "implementation", "upgrade")
SUPPLY = ("supply", "float", "reserves", "coverage", "outstanding", "multiplier", "holders", "top_holder")
# Facts that move on their own between any two reads and say nothing about the token.
CLOCKS = frozenset({"chain_time", "market_session", "price_age_minutes"})


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """One change: a finding's status or a fact's value, with a sentence a holder reads."""

    kind: str  # finding | fact
    key: str
    before: Any
    after: Any
    sentence: str
    rank: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        """Serialize for ``backcheck diff --json``."""
        return {
            "kind": self.kind,
            "key": self.key,
            "before": self.before,
            "after": self.after,
            "sentence": self.sentence,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Diff:
    """The changes from an older to a newer report of the same token."""

    token: str
    old_as_of: str
    new_as_of: str
    changes: list[Change]

    def to_json(self) -> dict[str, Any]:
        """Serialize for ``backcheck diff --json``."""
        return {
            "schema": "backcheck.diff/1",
            "token": self.token,
            "old_as_of": self.old_as_of,
            "new_as_of": self.new_as_of,
            "changes": [c.to_json() for c in self.changes],
        }


def _same_token(old: Report, new: Report) -> str:
    a, b = old.document["token"], new.document["token"]
    same = a["chain"] == b["chain"] and str(a["address"]).lower() == str(b["address"]).lower()
    if not same:
        raise BadInput(
            f"These snapshots are of different tokens ({a['symbol']} on {a['chain']}, {b['symbol']} on {b['chain']}); "
            "diff compares one token over time."
        )
    return f"{a['symbol'] or a['address']} on {a['chain']}"


def _shown(fact: Fact | None) -> str:
    if fact is None:
        return "not read"
    if not fact.known:
        return f"unknown ({fact.error})"
    return fact.display_value()


def _fact_sentence(key: str, old: Fact | None, new: Fact | None) -> str:
    label = key.replace("_", " ")
    if old is not None and new is not None and old.known and new.known:
        a, b = old.value, new.value
        if isinstance(a, Decimal) and isinstance(b, Decimal) and a != 0:
            return f"{label}: {_shown(old)} → {_shown(new)} ({(b - a) / a:+.1%})."
        if key == "paused" and b is True:
            return "paused: the token was not paused and now is: no one can transfer it."
    return f"{label}: {_shown(old)} → {_shown(new)}."


def _fact_rank(key: str) -> int:
    if any(word in key for word in CONTROL):
        return 1
    if any(word in key for word in SUPPLY):
        return 2
    return 4


def _value(fact: Fact | None) -> Any:
    if fact is None:
        return None
    return fact.to_json()["value"] if fact.known else None


def diff(old: Report, new: Report) -> Diff:
    """Compare two reports of one token (older first).

    Raises:
        BadInput: The reports are of different tokens.
    """
    token = _same_token(old, new)
    changes = []
    before = {f.id: f for f in old.findings}
    for finding in new.findings:
        was = before.get(finding.id)
        if was is None or was.status == finding.status:
            continue
        worse = SEVERITY[finding.status] > SEVERITY[was.status]
        changes.append(
            Change(
                "finding",
                finding.id,
                was.status,
                finding.status,
                f"{finding.id} {finding.title}: {was.status} → {finding.status}. {finding.explanation}",
                (0 if worse else 3, -SEVERITY[finding.status] if worse else SEVERITY[was.status]),
            )
        )
    old_facts, new_facts = old.inspection.facts, new.inspection.facts
    for key in sorted((set(old_facts) | set(new_facts)) - CLOCKS):
        a, b = old_facts.get(key), new_facts.get(key)
        if _value(a) == _value(b) and (a is None) == (b is None):
            continue
        changes.append(Change("fact", key, _value(a), _value(b), _fact_sentence(key, a, b), (_fact_rank(key), 0)))
    changes.sort(key=lambda c: c.rank)
    return Diff(token, old.document["as_of"], new.document["as_of"], changes)


def format_diff(d: Diff) -> str:
    """The diff for a terminal: one line per change, most important first."""
    lines = [f"{d.token}: what changed from {d.old_as_of} to {d.new_as_of}"]
    if not d.changes:
        lines.append("  Nothing changed in the facts or the findings.")
    lines += [f"  - {c.sentence}" for c in d.changes]
    return "\n".join(lines) + "\n"
