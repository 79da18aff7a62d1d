"""The educator's walkthrough (F12): seed 003's steps, the five questions, the five red flags.

Seed 003's "how to check it yourself" comes first, each step with this report's own figure and its
provenance. A step teaches what to look at and why it matters, shows the figure from the report with where it
came from, says what a red flag would look like here, and asks the class a question. The last
red flag (MK-1, all upside and no risk) only a person can judge: :func:`record_marketing` puts the
presenter's answer into the report as a fact and judges the report again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .answers import WORDS, answers, percent
from .facts import Fact, utc_now
from .registry import Registry
from .report import Origin, Report, make_report
from .rules import RuleConfig
from .rules.engine import SEVERITY
from .rules.redemption import MARKETING

MARKETING_ANSWERS = ("yes", "no", "unsure")


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """One step of the walkthrough.

    Attributes:
        title: What this step checks.
        teach: What to look at and why it matters (two or three sentences).
        figure: This report's figure for the step, or what is unknown.
        provenance: Where the figure came from (source · method · block · fetched at), if measured.
        red_flag: What a red flag would look like here.
        question: A question for the class.
        findings: The findings behind the step, worst first, as (ID, status, title).
        asks_marketing: The step where the presenter answers MK-1.
    """

    title: str
    teach: str
    figure: str
    provenance: str | None
    red_flag: str
    question: str
    findings: tuple[tuple[str, str, str], ...]
    asks_marketing: bool = False


# (title, teach, figure fact keys in order of preference, red flag, question, rule IDs)
SCRIPT: tuple[tuple[str, str, tuple[str, ...], str, str, tuple[str, ...]], ...] = (
    (
        "Find the official contract address",
        "First confirm the token code, the issuer and the chain, and get the exact address from the issuer's own "
        "list. Impostors copy names and symbols; only the issuer's list makes an address official.",
        ("issuer_api_address",),
        "The address is on no issuer's list while its name or symbol imitates a tracked token (ID-1).",
        "Where would you look up the official address, and why not in a search engine?",
        ("ID-1", "ID-2"),
    ),
    (
        "Look at the supply on the chain",
        "The chain says how many tokens exist. Part of them can sit in the issuer's own wallets, unsold: the "
        "float, supply minus those wallets, is what is really out there.",
        ("float", "total_supply"),
        "A supply that jumped since the last reserve report with no explanation (RS-7).",
        "Why is the total supply not the same as the tokens held by the public?",
        ("HD-3", "RS-7"),
    ),
    (
        "Match the supply to the proof of reserve",
        "Compare the tokens outstanding with the shares the issuer says it holds, and check the proof's timestamp "
        "first: a proof is a snapshot, and the older it is, the less it tells you.",
        ("reserves_coverage_measured", "reserves_coverage", "reserves_age_hours"),
        "Fewer shares than tokens (RS-2), or a proof older than twice its promised cadence (RS-1).",
        "What could have changed since the proof was taken?",
        ("RS-1", "RS-2", "RS-3", "DQ-2"),
    ),
    (
        "Look at the holder distribution",
        "Glance at how the float is spread. The issuer's, bridges' and pools' wallets are labelled and set "
        "apart; a large share piled into a few unlabelled addresses is worth a second thought.",
        ("holders_top1_share", "holders_top10_share"),
        "One holder above a quarter of the float, or ten holders above half (HD-1, HD-2).",
        "What could one large holder do to the price, and to you?",
        ("HD-1", "HD-2"),
    ),
    (
        "Who can control it?",
        "A regulated issuer holds powers: mint, burn, pause, freeze, upgrade. That is expected, not a scam. What "
        "matters is who holds each power (one key, a multisig, a timelock) and whether it is used right now.",
        ("paused", "proxy_admin_controller_kind", "mint_authority_kind"),
        "The token paused now (CT-4), or an upgrade or mint power behind one single key (CT-1, CT-2).",
        "If one key holds the upgrade power, what happens if that key is stolen?",
        ("CT-1", "CT-2", "CT-3", "CT-4", "CT-5", "CT-9"),
    ),
    (
        "How do I get out?",
        "Who may redeem with the issuer, from what amount, how fast, for cash or shares? Many holders can only "
        "sell on the market, at the market's price.",
        ("premium",),
        "No retail redemption right, or settlement that is slow or not stated (RD-1, RD-4).",
        "If you cannot redeem, who buys your tokens when everyone wants out?",
        ("RD-1", "RD-2", "RD-3", "RD-4", "RD-5"),
    ),
    (
        "Red flag 1: missing or vague proof of reserve",
        "No public reserves page, or a slogan with no verifiable detail and no timestamp. A proof by an "
        "independent party, tied to named custody accounts, is worth more than the issuer's own word.",
        ("reserves_age_hours", "reserves_updated_at"),
        "Only the issuer's own report, or no proof at all (RS-4); a stale one (RS-1).",
        "Who checks the issuer's proof, and how would you know?",
        ("RS-1", "RS-4"),
    ),
    (
        "Red flag 2: fuzzy redemption rules",
        "No clear answer on who can redeem, at what price, or what it takes; terms the issuer may change alone.",
        (),
        "No retail redemption, a high minimum, slow or undefined settlement, KYC to hold (RD-1 … RD-5).",
        "Would you buy something you may not be able to give back?",
        ("RD-1", "RD-2", "RD-3", "RD-4", "RD-5"),
    ),
    (
        "Red flag 3: an opaque custodian",
        "Who holds the real shares, in which account, segregated from the issuer's own assets? If the issuer "
        "fails, segregation decides what holders recover.",
        (),
        "No named custodian (RD-6), or no independent security agent for the holders (RD-7).",
        "If the issuer went bankrupt tomorrow, who would the shares belong to?",
        ("RD-6", "RD-7"),
    ),
    (
        "Red flag 4: a large, persistent depeg",
        "1:1 means shares in custody, not a price welded to their value. Outside market hours the price is a "
        "guess; a deep, lasting discount can be the market pricing in trouble.",
        ("premium", "market_session"),
        "The price far from the shares' value, for longer than liquidity explains (PM-1).",
        "Is a discount a bargain or a warning? How would you tell?",
        ("PM-1", "PM-2", "PM-3"),
    ),
    (
        "Red flag 5: all upside, no risk",
        "Marketing that promises guaranteed gains or loss-free redemption, with nothing on issuer, custody or "
        "regulatory risk. Only a person can read the marketing: look at the issuer's and sellers' pages now.",
        (MARKETING,),
        "Promises of gains with no word on the risks (MK-1).",
        "Does the marketing you just saw mention any risk at all? Record the class's answer.",
        ("MK-1",),
    ),
)


MARKETING_SHOWN = {
    "yes": "Recorded answer: yes — the marketing promises gains with no word on the risks.",
    "no": "Recorded answer: no — the marketing states the risks and promises no gains.",
    "unsure": "Recorded answer: not sure — look again, or ask the issuer.",
}


def _figure(document: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, str | None]:
    marketing = document["facts"].get(MARKETING)
    if keys == (MARKETING,) and isinstance(marketing, dict) and marketing.get("value") in MARKETING_SHOWN:
        return MARKETING_SHOWN[marketing["value"]], f"{marketing['source']} · fetched {marketing['fetched_at']}"
    for key in keys:
        fact = document["facts"].get(key)
        if isinstance(fact, dict) and fact.get("value") is not None:
            block = f" · block/slot {fact['block']}" if fact.get("block") is not None else ""
            value = fact["value"]
            if isinstance(value, bool):
                shown = f"{key.replace('_', ' ')}: {'yes' if value else 'no'}"
            elif key.endswith(("_coverage", "_coverage_measured", "_share")) and (shown_percent := percent(value)):
                shown = f"{key.replace('_', ' ')}: {shown_percent} ({fact.get('unit')})"
            else:
                shown = f"{key.replace('_', ' ')}: {value} {fact.get('unit') or ''}".rstrip()
            return shown, f"{fact['source']} · {fact['method']}{block} · fetched {fact['fetched_at']}"
    if not keys:
        return "From Backcheck's catalog of the issuer's documents (see the findings below).", None
    if keys == (MARKETING,):
        return "Not answered yet: ask the class, then record the answer.", None
    fact = document["facts"].get(keys[0])
    why = fact.get("error") if isinstance(fact, dict) else "not read for this report"
    return f"{keys[0].replace('_', ' ')}: unknown ({why})", None


def steps(document: dict[str, Any]) -> list[Step]:
    """The walkthrough of one report, in teaching order."""
    by_id = {f["id"]: f for f in document["findings"]}
    out = []
    for title, teach, keys, red_flag, question, rule_ids in SCRIPT:
        found = sorted((by_id[i] for i in rule_ids if i in by_id), key=lambda f: -SEVERITY[f["status"]])
        figure, provenance = _figure(document, keys)
        out.append(
            Step(
                title,
                teach,
                figure,
                provenance,
                red_flag,
                question,
                tuple((f["id"], f["status"], f["title"]) for f in found),
                asks_marketing=rule_ids == ("MK-1",),
            )
        )
    return out


def summary(document: dict[str, Any]) -> str:
    """The closing line: the five answers' statuses in words."""
    return " · ".join(f"{a.question} {WORDS[a.status]}" for a in answers(document))


def record_marketing(report: Report, answer: str, registry: Registry, config: RuleConfig | None = None) -> Report:
    """The presenter's MK-1 answer as a fact of the report, judged again.

    Raises:
        ValueError: ``answer`` is not one of :data:`MARKETING_ANSWERS` (a programming error).
    """
    if answer not in MARKETING_ANSWERS:
        raise ValueError(answer)
    fact = Fact(
        answer,
        "answer (yes: the marketing promises gains with no risk)",
        "the presenter, in Backcheck's walkthrough",
        "asked: does the marketing promise guaranteed gains or loss-free redemption with nothing on the risks?",
        None,
        utc_now(),
    )
    inspection = dataclasses.replace(report.inspection, facts={**report.inspection.facts, MARKETING: fact})
    document = report.document
    origin = Origin(document["kind"], document["made_by"], document.get("snapshot"), document.get("demo"))
    return make_report(inspection, registry, config, origin=origin)
