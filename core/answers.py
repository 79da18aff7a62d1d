"""The five questions of a retail holder, answered from a report (product.md "The five questions").

Each answer gathers the findings that answer its question: its status is the worst of them, so
one unknown check makes the card unknown, never pass (unknown is not safe), and one sentence and
the one figure that matters come with it. The verdict line is built from findings and facts, never
from a made-up score. The window, the exports and the walkthrough all show these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .chains import CHAINS
from .rules.engine import SEVERITY

CHAIN_NAMES = {c.key: c.name for c in CHAINS} | {"all": "every EVM chain"}

# Each question and the rule IDs that answer it, in the order of product.md.
QUESTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("what", "What is it?", ("ID-1", "ID-2", "ID-3", "ID-4", "ID-5", "ID-6", "RD-9", "CA-5")),
    ("backed", "Is it backed 1:1 now?", ("RS-1", "RS-2", "RS-3", "RS-4", "RS-6", "RS-7", "DQ-2")),
    ("control", "Who can control it?", ("CT-1", "CT-2", "CT-3", "CT-4", "CT-5", "CT-6", "CT-7", "CT-8", "CT-9",
                                        "CA-1", "CA-2")),
    ("holders", "Who holds it?", ("HD-1", "HD-2", "HD-3")),
    ("exit", "How do I get out?", ("RD-1", "RD-2", "RD-3", "RD-4", "RD-5", "RD-6", "RD-7", "RD-8", "PM-1", "PM-2",
                                   "PM-3")),
)  # fmt: skip
# Status shown as icon + word (+ colour in a view): never colour alone; unknown and stale differ from pass.
ICONS = {
    "pass": "✔",
    "info": "●",
    "caution": "◆",
    "warning": "▲",
    "critical": "✖",
    "unknown": "?",
    "stale": "⏱",
    "n/a": "–",
}
WORDS = {
    "pass": "Pass",
    "info": "Info",
    "caution": "Caution",
    "warning": "Warning",
    "critical": "Critical",
    "unknown": "Unknown",
    "stale": "Stale",
    "n/a": "Does not apply",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    """One question answered.

    Attributes:
        key: ``what``, ``backed``, ``control``, ``holders`` or ``exit``.
        question: The question as a holder asks it.
        status: The worst status of its findings (``pass`` only when every applicable one passed).
        sentence: One plain sentence: the worst finding's first sentence, or what the passes say.
        figure: The one figure that matters, with its unit, or ``None`` when it is unknown.
        as_of: When that figure was measured (ISO time), if it was.
        findings: The IDs of the findings behind the answer, worst first.
        measured: "N of M checks measured" for this question.
    """

    key: str
    question: str
    status: str
    sentence: str
    figure: str | None
    as_of: str | None
    findings: tuple[str, ...]
    measured: str

    @property
    def shown_figure(self) -> str:
        """The figure, or what it would have been and that it was not measured."""
        return self.figure or UNKNOWN_FIGURES[self.key]

    @property
    def shown_as_of(self) -> str | None:
        """``as_of`` as a person reads it (``2026-06-01 15:00 UTC``)."""
        return f"{self.as_of[:10]} {self.as_of[11:16]} UTC" if self.as_of and len(self.as_of) >= 16 else self.as_of

    def to_json(self) -> dict[str, Any]:
        """Serialize for exports."""
        return dataclasses.asdict(self)


UNKNOWN_FIGURES = {
    "what": "Official status unknown",
    "backed": "Reserve coverage: not measured",
    "control": "Paused or not: not measured",
    "holders": "Top holder's share: not measured",
    "exit": "Price vs the shares' value: not measured",
}


def _first_sentence(text: str) -> str:
    """The first sentence of an explanation (they are written as plain sentences)."""
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def _fact(document: dict[str, Any], key: str) -> dict[str, Any] | None:
    fact = document["facts"].get(key)
    return fact if isinstance(fact, dict) and fact.get("value") is not None else None


def percent(value: object, digits: int = 2) -> str | None:
    """A fraction (``"0.25"``) as a percentage (``"25.00 %"``); ``None`` for anything not a finite number."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return f"{number * 100:.{digits}f} %" if number.is_finite() else None


def _figure(key: str, document: dict[str, Any]) -> tuple[str | None, str | None]:
    """The figure of one card and when it was measured."""
    token = document["token"]
    if key == "what":
        return standing(token)[0], None
    if key == "backed":
        for name in ("reserves_coverage_measured", "reserves_coverage"):
            fact = _fact(document, name)
            if fact is not None and (shown := percent(fact["value"])):
                age = _fact(document, "reserves_age_hours")
                old = f", {age['value']} h old" if age else ""
                whose = "measured by Backcheck" if name.endswith("measured") else "issuer's proof"
                return f"{shown} covered ({whose}{old})", fact["fetched_at"]
        return None, None
    if key == "control":
        paused = _fact(document, "paused")
        if paused is None:
            return None, None
        return ("Paused now" if paused["value"] is True else "Not paused"), paused["fetched_at"]
    if key == "holders":
        top = _fact(document, "holders_top1_share")
        shown = percent(top["value"]) if top else None
        return (f"Top holder {shown} of the float", top["fetched_at"]) if top and shown else (None, None)
    premium = _fact(document, "premium")
    shown = percent(premium["value"]) if premium else None
    if premium and shown:
        return f"Price {'+' if not shown.startswith('-') else ''}{shown} vs the shares' value", premium["fetched_at"]
    return None, None


PASS_SENTENCES = {
    "what": "The address is the issuer's official token, and what you hold is stated.",
    "backed": "The reserves cover the tokens outstanding, per a proof within its promised cadence.",
    "control": "The issuer's powers are held as the checks expect, and nothing is paused now.",
    "holders": "No single holder dominates the public float.",
    "exit": "The redemption terms are stated, and the price sits near the value of the shares.",
}


def group_status(findings: Iterable[Mapping[str, Any]]) -> str:
    """The status of a group of findings: the worst applicable one, so one unknown is never a pass.

    Only info passes make ``info``; nothing applicable makes ``n/a``.
    """
    applicable = [f for f in findings if f["status"] != "n/a"]
    if not applicable:
        return "n/a"
    worst = max(applicable, key=lambda f: SEVERITY[f["status"]])["status"]
    if worst != "pass":
        return str(worst)
    return "info" if all(f.get("info") for f in applicable) else "pass"


def answer(key: str, question: str, rule_ids: tuple[str, ...], document: dict[str, Any]) -> Answer:
    """Answer one question from a report document."""
    findings = [f for f in document["findings"] if f["id"] in rule_ids and f["status"] != "n/a"]
    findings.sort(key=lambda f: -SEVERITY[f["status"]])
    judged = [f for f in findings if f["status"] != "unknown"]
    measured = f"{len(judged)} of {len(findings)} checks measured"
    figure, as_of = _figure(key, document)
    status = group_status(findings)
    if status == "n/a":
        return Answer(key, question, "n/a", "No check applies to this token.", figure, as_of, (), measured)
    worst = findings[0]
    if status in ("pass", "info"):
        sentence = PASS_SENTENCES[key]
    elif status == "unknown":
        # The title names the red flag ("Keys differ …"): quoted as the check's name, not stated as a finding.
        sentence = (
            f"Not measured: the check “{worst['title']}” ({worst['id']}) could not be run, so this is not a pass."
        )
    else:
        sentence = f"{worst['id']} {worst['title']}: {_first_sentence(worst['explanation'])}"
    return Answer(key, question, status, sentence, figure, as_of, tuple(f["id"] for f in findings), measured)


def answers(document: dict[str, Any]) -> list[Answer]:
    """The five answers of a report, in the order of the questions."""
    return [answer(key, question, ids, document) for key, question, ids in QUESTIONS]


def standing(token: dict[str, Any]) -> tuple[str, str]:
    """Whose list holds the token, as a badge and as a sentence (``{name}``, ``{issuer}``, ``{chain}`` to fill).

    Official only on the issuer's own list; a third party's list is a lead, not proof; a row the
    issuer removed is not official now; a token the user added is vouched for by nobody else.
    """
    basis, lister = token.get("basis"), token.get("listed_by") or "a third party"
    if token["official"] is True:
        return "Official: on the issuer's list", "{name} is {issuer}'s official token on {chain}."
    if basis == "third-party":
        return (
            f"Listed by {lister}, not confirmed by the issuer",
            f"{{name}} is listed by {lister}, not confirmed by the issuer's own list.",
        )
    if basis == "withdrawn":
        return "Withdrawn from the issuer's list", "{name} was on the issuer's list and was removed: not official now."
    if token["official"] is None:
        return "Added by you", "{name} was added by you; no issuer's list confirms it."
    return (
        "NOT on any issuer's list",
        "{name} at this address is NOT on any issuer's list: treat it as an impostor until proven otherwise.",
    )


def verdict_line(document: dict[str, Any]) -> str:
    """The Answer layer in plain words: what it is, whether it is backed now, the worst finding."""
    token = document["token"]
    name = token["symbol"] or token["address"]
    chain = CHAIN_NAMES.get(token["chain"], token["chain"])
    what = standing(token)[1].format(name=name, issuer=token["issuer"] or "the issuer", chain=chain)
    backed_answer = next(a for a in answers(document) if a.key == "backed")
    backed = f"Backing: {backed_answer.figure}" if backed_answer.figure else "Backing"
    if backed_answer.status not in ("pass", "info"):
        backed += f" — {WORDS[backed_answer.status].lower()}: {backed_answer.sentence}"
    backed = backed if backed.endswith(".") else f"{backed}."
    worst = document["verdict"]["worst"]
    worst_line = f" Worst: {'; '.join(worst)}." if worst else " No finding above unknown."
    return f"{what} {backed}{worst_line}"


COUNTED = ("critical", "warning", "caution", "unknown", "info", "pass")  # worst first; info apart from passes


def counts_line(document: Mapping[str, Any]) -> str:
    """The verdict's counts, worst first, each with its icon (``✖ 1 critical, ◆ 5 caution, ✔ 19 pass``).

    Each count is held together by no-break spaces, so a line never wraps between an icon and its word.
    """
    counts = document["verdict"]["counts"]
    return ", ".join(f"{ICONS[status]}\u00a0{n}\u00a0{status}" for status in COUNTED if (n := counts.get(status, 0)))
