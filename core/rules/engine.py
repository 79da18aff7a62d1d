"""Rule plumbing: the context a rule reads, its outcome, the registry of rules, and the verdict."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..authorities import Authorities
from ..catalog import Product, load_catalog, product_for
from ..facts import Fact, utc_now
from ..settings import THRESHOLDS_DOC

if TYPE_CHECKING:
    from ..lookup import Inspection
    from ..registry import Registry
    from ..settings import Settings

STATUSES = ("pass", "caution", "warning", "critical", "unknown", "n/a")
SEVERITY = {"critical": 4, "warning": 3, "caution": 2, "unknown": 1, "pass": 0, "n/a": 0}
# The five red flags of seed 003, and the rules that show each.
RED_FLAGS = {
    **dict.fromkeys(("RS-1", "RS-4"), "Missing or vague proof of reserve"),
    **dict.fromkeys(("RD-1", "RD-2", "RD-3", "RD-4", "RD-5"), "Fuzzy redemption rules"),
    **dict.fromkeys(("RD-6", "RD-7"), "Opaque custodian"),
    "PM-1": "Large, persistent depeg",
    "MK-1": "All upside, no risk",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """What a rule decided: a status, two or three plain sentences, and the facts it used."""

    status: str
    explanation: str
    evidence: tuple[str, ...] = ()
    info: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """A rule's outcome with its ID and title.

    Attributes:
        id: Rule ID from the product brief (``"RS-1"``).
        status: One of :data:`STATUSES`.
        title: The flag's short name.
        explanation: Plain sentences a retail holder understands, with why it matters.
        evidence: Names of the facts the rule used.
        info: A ``pass`` that is information, not reassurance (e.g. "redeemed for cash").
    """

    id: str
    status: str
    title: str
    explanation: str
    evidence: tuple[str, ...] = ()
    info: bool = False

    @property
    def red_flag(self) -> str | None:
        """The seed-003 red flag this rule shows, if any."""
        return RED_FLAGS.get(self.id)

    def to_json(self) -> dict[str, object]:
        """Serialize to the report contract's finding shape (plus ``red_flag`` and ``info``)."""
        doc: dict[str, object] = {
            "id": self.id,
            "status": self.status,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
        }
        if self.red_flag:
            doc["red_flag"] = self.red_flag
        if self.info:
            doc["info"] = True
        return doc


@dataclasses.dataclass(frozen=True, slots=True)
class RuleConfig:
    """Thresholds (overridable in settings), the user's country, the catalog and the issuers' recorded keys."""

    thresholds: dict[str, Decimal]
    version: str
    country: str
    catalog: list[tuple[dict[str, Any], Product]]
    authorities: Authorities

    @classmethod
    def load(cls, settings: Settings | None = None) -> RuleConfig:
        """Read the bundled thresholds, catalog and recorded keys, applying the user's overrides."""
        doc = THRESHOLDS_DOC
        thresholds = {k: Decimal(v) for k, v in doc["thresholds"].items()}
        country = ""
        if settings is not None:
            for key in thresholds:
                thresholds[key] = Decimal(settings.get(f"threshold.{key}"))
            country = settings.get("country").upper()
        return cls(thresholds, doc["version"], country, load_catalog(), Authorities.load())


@dataclasses.dataclass(frozen=True, slots=True)
class Context:
    """What a rule may read: the inspection's facts, the registry, thresholds, catalog, country, time.

    Attributes:
        now: The moment the facts describe (a reopened snapshot is judged as of its own time).
        opened_at: The wall clock at judgement; only the staleness check (DQ-3) reads it.
    """

    inspection: Inspection
    registry: Registry
    config: RuleConfig
    product: Product | None
    now: datetime
    opened_at: datetime

    @property
    def facts(self) -> dict[str, Fact]:
        """The inspection's facts."""
        return self.inspection.facts

    @property
    def chain_kind(self) -> str:
        """``evm`` or ``solana``."""
        return self.inspection.target.chain.kind

    def value(self, key: str) -> Any:
        """A fact's value if it was measured, else ``None``."""
        fact = self.facts.get(key)
        return fact.value if fact is not None and fact.known else None

    def number(self, key: str) -> Decimal | None:
        """A fact's value as a Decimal, if it is one."""
        value = self.value(key)
        return value if isinstance(value, Decimal) else (Decimal(value) if isinstance(value, int) else None)

    def time(self, key: str) -> datetime | None:
        """A fact's value as a UTC time, if it is an ISO-8601 time with a zone (``"none"`` and garbage are not)."""
        try:
            moment = datetime.fromisoformat(str(self.value(key)))
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else None

    def threshold(self, name: str) -> Decimal:
        """A threshold by ``"RULE.name"``."""
        return self.config.thresholds[name]

    def missing(self, *keys: str) -> Outcome:
        """``unknown``, naming each missing input and why it is missing.

        When every input was read, one of them is not a value the rule can judge (a time that is
        not a time …): then each is named with its value.
        """
        reasons = []
        for key in keys:
            fact = self.facts.get(key)
            if fact is None:
                reasons.append(f"{key.replace('_', ' ')} was not read")
            elif not fact.known:
                reasons.append(f"{key.replace('_', ' ')} is unknown ({fact.error})")
        if not reasons:
            reasons = [f"{key.replace('_', ' ')} is {self.value(key)!r}, which Backcheck cannot judge" for key in keys]
        return Outcome("unknown", f"Not measured: {'; '.join(reasons)}. Unknown is not a pass.", keys)

    def impossible(self, *keys: str, upper: Decimal | None = None) -> Outcome | None:
        """``unknown`` naming each measured figure that cannot be true: negative, not finite, or above ``upper``.

        A source that states an impossible figure is lying or broken; nothing judged on it may pass.
        """
        wrong = []
        for key in keys:
            number = self.number(key)
            if number is not None and (not number.is_finite() or number < 0 or (upper is not None and number > upper)):
                wrong.append(f"{key.replace('_', ' ')} is {number}")
        if not wrong:
            return None
        return Outcome(
            "unknown",
            f"Not plausible: {'; '.join(wrong)}, which cannot be true. A source gave a wrong figure, so this is not "
            "judged. Unknown is not a pass.",
            keys,
        )


def governed_by(kind: str) -> str:
    """Who finally decides over a power: ``single key``, ``multisig``, ``timelock`` or ``unclassified``.

    ``kind`` is a holder's description; an owned contract's ends with ``owned by …: <its owner's>``,
    so the part after the last ``": "`` is whoever decides. A contract Backcheck cannot classify
    may hide a single key.
    """
    controller = kind.rpartition(": ")[2]
    for prefix, name in (("plain account", "single key"), ("multisig", "multisig"), ("timelock", "timelock")):
        if controller.startswith(prefix):
            return name
    return "unclassified"


# Rules that judge the catalog alone: for a token its issuer does not confirm, they read the issuer's terms.
CATALOG_RULES = frozenset({"ID-4", *(f"RD-{n}" for n in range(1, 10))})
# Rules that judge the issuer's own figures (its proof of reserve, its supply, its feed) read by symbol:
# for a token the issuer's list does not hold, those figures may belong to another token.
ISSUER_FIGURE_RULES = frozenset({"RS-1", "RS-2", "RS-3", "RS-6", "RS-7", "DQ-2"})
NOT_THE_ISSUERS_FIGURES = (
    "The issuer's figures are for its own token; this address is not confirmed by the issuer's list, so they "
    "may not back it."
)


def unconfirmed(outcome: Outcome, caveat: str) -> Outcome:
    """An outcome on the issuer's terms or figures for a token the issuer does not confirm: labelled, never a pass.

    Information (``info``) stays information; a reassuring pass becomes unknown, since the terms or
    figures may not apply to this token at all.
    """
    if outcome.status == "pass" and not outcome.info:
        return Outcome("unknown", f"{caveat} {outcome.explanation} Unknown is not a pass.", outcome.evidence)
    return dataclasses.replace(outcome, explanation=f"{caveat} {outcome.explanation}")


RuleFunction = Callable[[Context], Outcome]
RULES: list[tuple[str, str, RuleFunction]] = []


def rule(rule_id: str, title: str, function: RuleFunction) -> None:
    """Register a rule function under its ID and title (the order of registration is the report's).

    A call after the function rather than a decorator: mutmut leaves decorated functions
    unmutated, and every rule's body must be under mutation testing (docs/testing.md).
    """
    RULES.append((rule_id, title, function))


def evaluate(
    inspection: Inspection,
    registry: Registry,
    config: RuleConfig | None = None,
    now: datetime | None = None,
    as_of: datetime | None = None,
) -> list[Finding]:
    """Run every rule, then DQ-1 (coverage) over their outcomes.

    Args:
        inspection: The facts.
        registry: The registry the identity rules consult.
        config: Thresholds, country and catalog.
        now: The wall clock (now unless given).
        as_of: The moment the facts describe, when they were measured earlier (a snapshot): the
            rules judge as of then, and only DQ-3 holds their age against ``now``.
    """
    config = config or RuleConfig.load()
    token = inspection.target.token
    opened_at = now or utc_now()
    ctx = Context(inspection, registry, config, product_for(token, config.catalog), as_of or opened_at, opened_at)
    findings = []
    for rule_id, title, function in RULES:
        outcome = judge(rule_id, function, ctx)
        assert outcome.status in STATUSES, (rule_id, outcome.status)
        assert outcome.status == "pass" or not outcome.info, rule_id  # info is a kind of pass
        findings.append(Finding(rule_id, outcome.status, title, outcome.explanation, outcome.evidence, outcome.info))
    findings.append(coverage(findings, inspection.facts))
    return findings


def judge(rule_id: str, function: RuleFunction, ctx: Context) -> Outcome:
    """One rule's outcome as a report shows it (the wallet judges RD-8 through this too).

    The issuer's terms or figures on a token its list does not confirm are labelled and never a pass.
    """
    outcome = function(ctx)
    token = ctx.inspection.target.token
    if rule_id in CATALOG_RULES and ctx.product is not None and ctx.product.listed_by:
        return unconfirmed(outcome, ctx.product.caveat)
    if rule_id in ISSUER_FIGURE_RULES and token is not None and token.official is not True:
        return unconfirmed(outcome, NOT_THE_ISSUERS_FIGURES)
    return outcome


def coverage(findings: list[Finding], facts: dict[str, Fact]) -> Finding:
    """DQ-1: always say how many checks were measured.

    A check counts as measured only when it judged at least one fact read for this report; one
    judged from Backcheck's bundled registry or catalog alone is counted apart.
    """
    judged = [f for f in findings if f.status not in ("unknown", "n/a")]
    measured = sum(1 for f in judged if any(key in facts and facts[key].known for key in f.evidence))
    applicable = sum(1 for f in findings if f.status != "n/a")
    known = sum(1 for f in facts.values() if f.known)
    status = "pass" if len(judged) == applicable else "caution"
    return Finding(
        "DQ-1",
        status,
        "Coverage",
        f"{measured} of {applicable} checks measured ({len(judged) - measured} judged from Backcheck's registry and "
        f"catalog alone, {len(findings) - applicable} do not apply); {known} of {len(facts)} facts read. Anything "
        "not measured is shown as unknown, never as safe.",
        (),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Verdict:
    """The Answer layer: counts per status, the worst findings by name, red flags raised, coverage."""

    counts: dict[str, int]
    worst: list[str]
    red_flags: list[str]
    coverage: str

    def to_json(self) -> dict[str, Any]:
        """Serialize for the report."""
        return dataclasses.asdict(self)


def verdict(findings: list[Finding]) -> Verdict:
    """Counts per status and the worst findings by name; no made-up score.

    ``counts["pass"]`` counts reassuring passes only; information findings (``pass`` with
    ``info``) are counted apart in ``counts["info"]``: they reassure nobody.
    """
    counts = {status: sum(1 for f in findings if f.status == status and not f.info) for status in STATUSES}
    counts["info"] = sum(1 for f in findings if f.info)
    worst_level = max((SEVERITY[f.status] for f in findings), default=0)
    worst = [f"{f.id} {f.title}" for f in findings if SEVERITY[f.status] == worst_level and worst_level >= 2]
    flags = sorted({f.red_flag for f in findings if f.red_flag and SEVERITY[f.status] >= 2})
    coverage_line = next((f.explanation.split(";")[0] for f in findings if f.id == "DQ-1"), "")
    return Verdict(counts, worst, flags, coverage_line)
