"""Red-flag rules: small pure functions from facts to findings (product.md, rule IDs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .facts import Fact
from .lookup import Inspection
from .registry import Registry

STATUSES = ("pass", "caution", "warning", "critical", "unknown", "n/a")


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule.

    Attributes:
        id: Rule ID from the product brief (``"ID-1"``).
        status: One of :data:`STATUSES`.
        title: The flag's short name.
        explanation: Two or three plain sentences a retail holder understands.
        evidence: Names of the facts the rule used.
    """

    id: str
    status: str
    title: str
    explanation: str
    evidence: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Serialize to the report contract's finding shape."""
        return {"id": self.id, "status": self.status, "title": self.title,
                "explanation": self.explanation, "evidence": list(self.evidence)}


def official_token(inspection: Inspection, registry: Registry) -> Finding:
    """ID-1: the address must be on the issuer's own list."""
    title = "Not the issuer's official token"
    target = inspection.target
    if target.official is True and target.deployment is not None:
        return Finding("ID-1", "pass", title,
                       f"This address is the official {target.token.symbol if target.token else ''} "
                       f"contract on {target.chain.name}: the issuer's list holds it "
                       f"({target.deployment.source}, as of {target.deployment.as_of}).")
    if target.official is None:
        return Finding("ID-1", "unknown", title,
                       "You added this token in your own registry overlay; no issuer list confirms "
                       "it, so Backcheck cannot say whether it is official.")
    symbol = inspection.facts.get("token_symbol")
    name = inspection.facts.get("token_name")
    if symbol is None or not symbol.known:
        return Finding("ID-1", "unknown", title,
                       "This address is on no issuer list Backcheck has, and its symbol could not be "
                       "read, so it is unknown whether it imitates a tracked token.",
                       ("token_symbol",))
    imitated = _imitated(str(symbol.value), str(name.value) if name and name.known else "", registry)
    if imitated:
        return Finding("ID-1", "critical", title,
                       f"This contract calls itself {symbol.value}, like the official {imitated}, but "
                       "no issuer list holds this address. Treat it as an impostor: the issuer will "
                       "not redeem it.", ("token_symbol", "token_name"))
    return Finding("ID-1", "unknown", title,
                   f"{symbol.value} is on no issuer list Backcheck has, and it does not imitate a "
                   "token Backcheck tracks, so its official status is unknown.", ("token_symbol",))


def _imitated(symbol: str, name: str, registry: Registry) -> str | None:
    wanted = symbol.strip().lower()
    for token in registry.tokens:
        if token.official and (token.symbol.lower() == wanted
                               or (name and token.name.lower() == name.strip().lower())):
            return token.symbol
    return None


def coverage(findings: list[Finding], facts: dict[str, Fact]) -> Finding:
    """DQ-1: always say how many checks were measured."""
    measured = sum(1 for f in findings if f.status not in ("unknown", "n/a"))
    known = sum(1 for f in facts.values() if f.known)
    status = "pass" if measured == len(findings) and known == len(facts) else "caution"
    return Finding("DQ-1", status, "Coverage",
                   f"{measured} of {len(findings)} checks measured; {known} of {len(facts)} facts "
                   "read. Anything not measured is shown as unknown, never as safe.",
                   tuple(sorted(facts)))


Rule = Callable[[Inspection, Registry], Finding]
RULES: tuple[Rule, ...] = (official_token,)


def evaluate(inspection: Inspection, registry: Registry) -> list[Finding]:
    """Run every rule, then the coverage meta-check."""
    findings = [rule(inspection, registry) for rule in RULES]
    return [*findings, coverage(findings, inspection.facts)]
