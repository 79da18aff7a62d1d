"""What an exported report says, in reading order, built once from the report document.

The PDF and the HTML both render this through the same template, so they never disagree. The
answer layer — verdict line, the five questions with their status, figure and sentence, the status
marks — is :mod:`backcheck.core.answers`, as in the window; this module adds only what an export
shows besides: the findings no question holds, every finding, the evidence table, long names
shortened, and what the report does not prove. Fields added to the report contract later
(``kind``, ``as_of``, ``made_by`` …) are read with defaults, so an older document exports too.
Every string here is plain text: the template escapes it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from backcheck.core.answers import ICONS, QUESTIONS, WORDS, answers, group_status, verdict_line
from backcheck.core.rules.engine import SEVERITY
from backcheck.gui.charts import amount, decimal

# Icon and word of every status a finding can have (the export adds only colours, in its CSS).
STATUS = {key: (ICONS[key], WORDS[key]) for key in (*SEVERITY, "info")}
NAME_CHARS = 80
# Findings that answer none of the five questions, by ID prefix; the last group takes the rest.
EXTRA_GROUPS = (
    ("units", "Plus: how many shares is one token worth?", ("CA-",)),
    ("quality", "How complete and how fresh is this report?", ("DQ-", "MK-")),
    ("other", "Other checks", ("",)),
)

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
class FindingView:
    """One finding as the export shows it (``status`` is a key of :data:`STATUS`)."""

    id: str
    status: str
    title: str
    explanation: str
    evidence: tuple[str, ...]
    red_flag: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Group:
    """One of the five questions as core answers it, or a group of the findings no question holds.

    Attributes:
        key: The answer's key, or that of :data:`EXTRA_GROUPS`.
        title: The question.
        status: A key of :data:`STATUS`; ``None`` for a group that holds only a figure.
        figure: The one figure that matters (``""`` when the group has none).
        as_of: When the figure was measured, as a person reads it.
        sentence: The answer in one sentence (``""`` for an extra group).
        measured: "N of M checks measured" (``""`` for an extra group).
        findings: Its findings, worst first.
    """

    key: str
    title: str
    status: str | None
    figure: str
    as_of: str | None
    sentence: str
    measured: str
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


def status_of(finding: Mapping[str, Any]) -> str:
    """The shown status of a finding: info findings are Info, not Pass; anything unrecognised is unknown."""
    key = "info" if finding.get("info") else str(finding.get("status", "unknown"))
    return key if key in STATUS else "unknown"


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
            f.get("red_flag") if _severity(status_of(f)) >= SEVERITY["caution"] else None,
        )
        for f in document.get("findings", [])
    ]
    return sorted(views, key=lambda v: -_severity(v.status))


def groups(document: Mapping[str, Any]) -> list[Group]:
    """The five answers with the findings behind them, then the extra groups that hold a finding or a figure.

    Findings that do not apply are left out here, as in the answers; "Every finding" lists them.
    """
    views = finding_views(document)
    out = [
        Group(
            a.key, a.question, a.status, a.shown_figure, a.shown_as_of, a.sentence, a.measured, _of(views, a.findings)
        )
        for a in answers(dict(document))
    ]
    placed = {rule_id for _key, _question, ids in QUESTIONS for rule_id in ids}
    rest = [f for f in document.get("findings", []) if f.get("id") not in placed and f.get("status") != "n/a"]
    for key, title, prefixes in EXTRA_GROUPS:
        mine = [f for f in rest if str(f.get("id", "")).startswith(prefixes)]
        rest = [f for f in rest if f not in mine]
        figure = _units(document) if key == "units" else ""
        if mine or figure:
            status = group_status(mine) if mine else None
            out.append(Group(key, title, status, figure, None, "", "", _of(views, [f.get("id") for f in mine])))
    return out


def verdict(document: Mapping[str, Any]) -> str:
    """Core's verdict line, with the token's symbol shortened: anyone can give a token a page-long one."""
    token = document["token"]
    symbol = shorten(token["symbol"]) if token.get("symbol") else token.get("symbol")
    return verdict_line({**document, "token": {**token, "symbol": symbol}})


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


def _of(views: list[FindingView], ids: Iterable[object]) -> tuple[FindingView, ...]:
    """The views of the findings ``ids``, in the views' order (worst first)."""
    wanted = set(ids)
    return tuple(v for v in views if v.id in wanted)


def _units(document: Mapping[str, Any]) -> str:
    """The multiplier as a figure, with a change already scheduled (CA-1 judges it; this only shows it)."""
    facts = document.get("facts", {})
    shares = amount(decimal(facts.get("multiplier", {}).get("value")))
    now = f"1 token = {shares} {'share' if shares == '1' else 'shares'}"
    pending = facts.get("multiplier_pending")
    if pending is None or pending.get("value") == "none":
        return f"{now}."
    later = decimal(pending.get("value"))
    return f"{now}; scheduled change: {'unknown' if later is None else f'to {amount(later)} shares'}."
