"""The walkthrough: seed 003's steps, the five questions, the five red flags, and MK-1 recorded."""

from decimal import Decimal

import pytest

from backcheck.core.facts import Fact
from backcheck.core.lookup import Inspection
from backcheck.core.report import make_report
from backcheck.core.walkthrough import SCRIPT, record_marketing, steps
from tests.unit.core.rules.support import EVM, NOW, REGISTRY, SOURCE

FACTS = {
    "paused": Fact(True, "flag", SOURCE, "eth_call paused()", 17, NOW),
    "float": Fact(Decimal("1002.1"), "tokens", SOURCE, "totalSupply() − issuer wallets", 17, NOW),
    "reserves_age_hours": Fact.unknown("the issuer API timed out", unit="hours", source=SOURCE, method="GET /por"),
}


@pytest.fixture
def report():
    return make_report(Inspection(EVM, FACTS, [], NOW), REGISTRY, now=NOW)


def test_eleven_steps_seed_003_first_then_the_questions_and_the_red_flags(report):
    walk = steps(report.document)
    assert len(walk) == len(SCRIPT) == 11
    assert walk[0].title == "Find the official contract address"
    assert [s.title.split(":")[0] for s in walk[6:]] == [f"Red flag {n}" for n in range(1, 6)]
    assert [s.asks_marketing for s in walk] == [False] * 10 + [True]
    assert all(s.teach and s.red_flag and s.question.endswith(("?", ".")) for s in walk)


def test_a_step_shows_the_reports_figure_with_its_provenance(report):
    control = steps(report.document)[4]
    assert control.figure == "paused: yes"
    assert control.provenance.startswith(f"{SOURCE} · eth_call paused() · block/slot 17 · fetched 2026-06-01")
    assert control.findings[0][:2] == ("CT-4", "critical")  # worst first
    supply = steps(report.document)[1]
    assert supply.figure == "float: 1002.1 tokens"


def test_an_unknown_figure_says_why(report):
    red_flag_1 = steps(report.document)[6]
    assert (
        red_flag_1.figure == "reserves age hours: unknown (the issuer API timed out)" and red_flag_1.provenance is None
    )


def test_the_presenters_marketing_answer_is_recorded_and_judged(report):
    assert next(f for f in report.findings if f.id == "MK-1").status == "unknown"
    assert steps(report.document)[10].figure.startswith("Not answered yet")
    judged = record_marketing(report, "yes", REGISTRY)
    mk1 = next(f for f in judged.findings if f.id == "MK-1")
    assert mk1.status == "warning" and "All upside, no risk" in judged.verdict.red_flags
    fact = judged.document["facts"]["marketing_all_upside"]
    assert fact["value"] == "yes" and fact["source"] == "the presenter, in Backcheck's walkthrough"
    assert steps(judged.document)[10].figure.startswith("Recorded answer: yes")
    assert next(f for f in record_marketing(report, "no", REGISTRY).findings if f.id == "MK-1").status == "pass"
    with pytest.raises(ValueError, match="maybe"):
        record_marketing(report, "maybe", REGISTRY)
