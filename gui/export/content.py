"""What an exported report says, in reading order, built once from the report document.

The PDF and the HTML both render this through the same template, so they never disagree.
Answer first (verdict, the five questions), then every finding, the evidence, the charts, where
the report comes from and what it does not prove. Fields added to the report contract later
(``kind``, ``as_of``, ``made_by`` …) are read with defaults, so an older document exports too.
Every string here is plain text: the template escapes it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from backcheck.core.rules.engine import SEVERITY
from backcheck.gui.charts import amount, decimal, percent

# Icon + word for each status (never colour alone); the design's marks (docs: design overview).
STATUS = {
    "critical": ("✖", "CRITICAL"),
    "warning": ("▲", "WARNING"),
    "caution": ("◆", "CAUTION"),
    "unknown": ("?", "UNKNOWN"),
    "pass": ("✔", "PASS"),
    "info": ("●", "INFO"),
    "n/a": ("–", "N/A"),
}
COUNT_ORDER = ("critical", "warning", "caution", "unknown", "pass", "info", "n/a")
NAME_CHARS = 80
PLURAL = {"warning": "warnings", "caution": "cautions", "pass": "passes"}

# Which findings answer which question: exact IDs first, then ID prefixes, else "Other checks".
QUESTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("identity", "What is this token?", ("ID-", "RD-9")),
    ("backing", "Is it backed 1:1 right now?", ("RS-", "DQ-2")),
    ("control", "Who can control it?", ("CT-",)),
    ("holders", "Who holds it?", ("HD-",)),
    ("exit", "How do I get out?", ("RD-", "PM-")),
    ("units", "Plus: how many shares is one token worth?", ("CA-",)),
    ("quality", "How complete and how fresh is this report?", ("DQ-", "MK-")),
)
OTHER = ("other", "Other checks", ())

NOT_PROVEN = (
    "It shows what the chain and the sources said as of the time above; either may have changed since.",
    "A proof of reserve is the issuer's or an oracle's statement. Backcheck cannot see the custodian's "
    "accounts or audit the shares held.",
    '"Official" means the issuer\'s own list holds the address. It says nothing about whether the issuer '
    "is sound or will honour a redemption.",
    "Redemption and legal terms come from Backcheck's catalog of dated sources. Your rights are in the "
    "issuer's final terms; this is not legal advice.",
    "A power held by one key is a risk, not proof of misuse; a power absent today can arrive with an upgrade "
    "if the contract is upgradeable.",
    "Checks marked unknown were not measured. Unknown is not a pass.",
    "It is not investment advice and says nothing about the share's price or prospects.",
)


@dataclasses.dataclass(frozen=True, slots=True)
class Status:
    """A status as shown: a CSS-safe key, an icon and a word."""

    key: str
    icon: str
    word: str


@dataclasses.dataclass(frozen=True, slots=True)
class FindingView:
    """One finding as the export shows it."""

    id: str
    status: Status
    title: str
    explanation: str
    evidence: tuple[str, ...]
    red_flag: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Question:
    """One of the five questions: its overall status, one line of figures, and its findings."""

    key: str
    title: str
    status: Status
    figures: str
    findings: tuple[FindingView, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class FactRow:
    """One row of the evidence table (``value`` is ``unknown — reason`` when not measured)."""

    key: str
    value: str
    known: bool
    unit: str
    source: str
    method: str
    block: str
    fetched_at: str


def status_of(finding: Mapping[str, Any]) -> Status:
    """The shown status of a finding: info findings are INFO, not PASS."""
    key = "info" if finding.get("info") else str(finding.get("status", "unknown"))
    icon, word = STATUS.get(key, ("?", key.upper()))
    return Status(key if key in STATUS else "unknown", icon, word)


def finding_views(document: Mapping[str, Any]) -> list[FindingView]:
    """Every finding, worst first, in report order within a status."""
    views = [
        FindingView(
            str(f.get("id", "")),
            status_of(f),
            str(f.get("title", "")),
            str(f.get("explanation", "")),
            tuple(str(key) for key in f.get("evidence", [])),
            # A red flag is named only when the finding raised it (caution or worse), as the verdict does.
            f.get("red_flag") if _severity(status_of(f).key) >= SEVERITY["caution"] else None,
        )
        for f in document.get("findings", [])
    ]
    return sorted(views, key=lambda v: -_severity(v.status.key))


def question_of(finding_id: str) -> str:
    """The key of the question a finding answers."""
    for key, _title, match in QUESTIONS:
        if finding_id in match:
            return key
    for key, _title, match in QUESTIONS:
        if any(finding_id.startswith(prefix) for prefix in match if prefix.endswith("-")):
            return key
    return OTHER[0]


def questions(document: Mapping[str, Any]) -> list[Question]:
    """The five questions (and the two extra groups), each with the findings that answer it."""
    findings = finding_views(document)
    out = []
    for key, title, _match in (*QUESTIONS, OTHER):
        mine = tuple(f for f in findings if question_of(f.id) == key)
        if not mine and key == OTHER[0]:
            continue
        out.append(Question(key, title, _group_status(mine), FIGURES.get(key, _none)(document), mine))
    return out


def verdict_line(document: Mapping[str, Any]) -> tuple[Status, str]:
    """The worst status and the counts per status, worst first (``2 warnings · 3 cautions …``)."""
    counts = document.get("verdict", {}).get("counts", {})
    parts = [
        f"{n} {PLURAL.get(status, status) if n > 1 else status}"
        for status in COUNT_ORDER
        if (n := int(counts.get(status, 0)))
    ]
    findings = finding_views(document)
    worst = findings[0].status if findings else Status("unknown", *STATUS["unknown"])
    return worst, " · ".join(parts) or "no findings"


def worst_findings(document: Mapping[str, Any]) -> list[FindingView]:
    """The findings at the worst status, when that is caution or worse."""
    findings = finding_views(document)
    if not findings or _severity(findings[0].status.key) < SEVERITY["caution"]:
        return []
    level = _severity(findings[0].status.key)
    return [f for f in findings if _severity(f.status.key) == level]


def evidence_rows(facts: Mapping[str, Mapping[str, Any]]) -> list[FactRow]:
    """Every fact with its provenance; an unknown one says why."""
    rows = []
    for key, fact in facts.items():
        known = fact.get("value") is not None
        value = format_value(fact.get("value")) if known else f"unknown — {fact.get('error') or 'not measured'}"
        block = fact.get("block")
        rows.append(
            FactRow(
                key,
                value,
                known,
                str(fact.get("unit") or ""),
                str(fact.get("source") or ""),
                str(fact.get("method") or ""),
                "" if block is None else str(block),
                str(fact.get("fetched_at") or ""),
            )
        )
    return rows


def format_value(value: object) -> str:
    """A fact's value as text: lists one item a line, records as ``key: value`` pairs."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(format_value(item) for item in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v) if v is not None else '—'}" for k, v in value.items())
    if isinstance(value, str) and (number := decimal(value)) is not None and "e" not in value.lower():
        return f"{number:,f}"
    return value if isinstance(value, str) else json.dumps(value)


def shorten(text: object, limit: int = NAME_CHARS) -> str:
    """A name cut to ``limit`` characters: anyone can give a token a page-long name to bury the answer."""
    text = str(text)
    return text if len(text) <= limit else f"{text[: limit - 1]}… (shortened; in full in the evidence)"


def _severity(key: str) -> int:
    return SEVERITY.get(key, SEVERITY["pass"])


def _group_status(findings: tuple[FindingView, ...]) -> Status:
    """The worst status among a question's findings; all info → INFO; none judged → N/A."""
    judged = [f for f in findings if f.status.key != "n/a"]
    if not judged:
        return Status("n/a", *STATUS["n/a"])
    worst = max(judged, key=lambda f: _severity(f.status.key)).status
    if worst.key in ("pass", "info"):
        key = "pass" if any(f.status.key == "pass" for f in judged) else "info"
        return Status(key, *STATUS[key])
    return worst


def _fact(document: Mapping[str, Any], key: str) -> str:
    """A fact's value as a short phrase, ``unknown`` when not measured, ``not read`` when absent."""
    fact = document.get("facts", {}).get(key)
    if fact is None:
        return "not read"
    return "unknown" if fact.get("value") is None else format_value(fact["value"])


def _ratio(document: Mapping[str, Any], key: str) -> str:
    fact = document.get("facts", {}).get(key)
    return percent(decimal(fact.get("value"))) if fact else "not read"


def _identity(document: Mapping[str, Any]) -> str:
    token = document.get("token", {})
    underlying = token.get("underlying") or {}
    official = {True: "yes, on the issuer's list", False: "NO, not on the issuer's list"}.get(
        token.get("official"), "unknown"
    )
    return (
        f"{shorten(token.get('symbol') or '?')} ({shorten(token.get('name') or 'no name')}) by "
        f"{token.get('issuer') or 'unknown issuer'}"
        f" on {token.get('chain') or '?'}; underlying {underlying.get('symbol') or 'unknown'}"
        f" (ISIN {underlying.get('isin') or 'unknown'}); official: {official}."
    )


def _backing(document: Mapping[str, Any]) -> str:
    facts = document.get("facts", {})
    if "reserves_coverage" in facts:
        return (
            f"Reserves cover {_ratio(document, 'reserves_coverage')} of the outstanding supply (issuer's figures); "
            f"proof {_fact(document, 'reserves_age_hours')} h old, promised every "
            f"{_fact(document, 'reserves_cadence_hours')} h."
        )
    if "reserves_feed_coverage" in facts:
        return (
            f"The reserve feed covers {_ratio(document, 'reserves_feed_coverage')} of the float; its answer is "
            f"{_fact(document, 'reserves_feed_age_hours')} h old."
        )
    return "No proof of reserve was read for this token."


def _control(document: Mapping[str, Any]) -> str:
    powers = document.get("facts", {}).get("issuer_powers", {}).get("value")
    paused = _fact(document, "paused")
    if not isinstance(powers, list):
        return f"Issuer powers: unknown. Paused now: {paused}."
    held = [p for p in powers if p.get("state") not in ("not set", "not present")]
    single = [p for p in held if "single private key" in str(p.get("kind", ""))]
    return f"{len(held)} issuer powers held, {len(single)} of them by a single key. Paused now: {paused}."


def _holders(document: Mapping[str, Any]) -> str:
    return (
        f"Largest holder {_ratio(document, 'holders_top1_share')} of the float, top 10 "
        f"{_ratio(document, 'holders_top10_share')}; holders: {_fact(document, 'holders_count')}."
    )


def _exit(document: Mapping[str, Any]) -> str:
    return f"Market price against the shares' value: {_ratio(document, 'premium')}."


def _units(document: Mapping[str, Any]) -> str:
    multiplier = decimal(document.get("facts", {}).get("multiplier", {}).get("value"))
    pending = _fact(document, "multiplier_pending")
    later = "" if pending in ("none", "not read") else f"; change scheduled: {pending}"
    return f"1 token = {amount(multiplier) if multiplier is not None else 'unknown'} shares{later}."


def _quality(document: Mapping[str, Any]) -> str:
    return f"{document.get('verdict', {}).get('coverage') or 'Coverage unknown'}."


def _none(document: Mapping[str, Any]) -> str:
    return ""


FIGURES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "identity": _identity,
    "backing": _backing,
    "control": _control,
    "holders": _holders,
    "exit": _exit,
    "units": _units,
    "quality": _quality,
}
