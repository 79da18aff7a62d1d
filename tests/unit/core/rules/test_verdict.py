"""The Answer layer: counts per status with info apart, the worst findings, red flags, and DQ-1 coverage."""

import json

import jsonschema

from backcheck.core.resources import resource_path
from backcheck.core.rules import Finding, Verdict, verdict
from backcheck.core.rules.engine import STATUSES, coverage
from tests.unit.core.rules.support import EVM, ONDO, SOL, D, fact, run

SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())


def finding(rule_id: str, status: str, *, info: bool = False, evidence: tuple[str, ...] = ()) -> Finding:
    return Finding(rule_id, status, f"title {rule_id}", "explanation", evidence, info)


def test_info_findings_are_counted_apart_from_passes():
    summary = verdict(
        [
            finding("CT-3", "pass", info=True),
            finding("CA-5", "pass", info=True),
            finding("CT-4", "pass"),
            finding("HD-1", "caution"),
        ]
    )
    assert summary.counts == {
        "pass": 1,
        "caution": 1,
        "warning": 0,
        "critical": 0,
        "unknown": 0,
        "n/a": 0,
        "info": 2,
    }


def test_counts_add_up_to_the_findings():
    findings = run(SOL, {"multiplier": D("1.0017"), "paused": False})
    counts = verdict(findings).counts
    assert sum(counts.values()) == len(findings)
    assert counts["info"] == sum(1 for f in findings if f.info) >= 1  # CA-5: a multiplier other than 1


def test_the_verdict_fits_the_report_contract():
    summary = verdict(run(SOL, {"multiplier": D("1.0017")})).to_json()
    jsonschema.validate(summary, SCHEMA["properties"]["verdict"])
    assert set(SCHEMA["properties"]["verdict"]["properties"]["counts"]["required"]) == {*STATUSES, "info"}


def test_the_worst_findings_are_named():
    summary = verdict(run(EVM, {"paused": True}))
    assert summary.worst == ["CT-4 Paused or frozen now"]
    assert verdict([finding("CT-4", "pass"), finding("HD-1", "unknown")]).worst == []
    caution = verdict([finding("HD-1", "caution"), finding("HD-2", "caution"), finding("CT-4", "pass")])
    assert caution.worst == ["HD-1 title HD-1", "HD-2 title HD-2"]


def test_the_five_red_flags_of_seed_003_are_visible():
    findings = run(ONDO)
    flags = {f.red_flag for f in findings if f.red_flag}
    assert flags == {
        "Missing or vague proof of reserve",
        "Fuzzy redemption rules",
        "Opaque custodian",
        "Large, persistent depeg",
        "All upside, no risk",
    }
    summary = verdict(findings)
    assert "Missing or vague proof of reserve" in summary.red_flags
    assert "Large, persistent depeg" not in summary.red_flags  # PM-1 is unknown here, not raised
    assert summary.counts["warning"] >= 1
    assert summary.coverage == (
        "0 of 38 checks measured (9 judged from Backcheck's registry and catalog alone, 4 do not apply)"
    )


def test_a_verdict_of_nothing():
    assert verdict([]) == Verdict(dict.fromkeys((*STATUSES, "info"), 0), [], [], "")


def test_a_red_flag_is_raised_from_caution_up():
    assert verdict([finding("RS-1", "caution")]).red_flags == ["Missing or vague proof of reserve"]
    assert verdict([finding("RS-1", "unknown"), finding("RD-6", "pass")]).red_flags == []


def test_coverage_counts_only_checks_that_judged_a_read_fact():
    facts = {"paused": fact(False), "multiplier": fact(None)}
    findings = [
        finding("CT-4", "pass", evidence=("paused",)),  # measured
        finding("CA-5", "pass", evidence=("multiplier",)),  # cites an unknown fact: not measured
        finding("RD-1", "pass"),  # from the catalog alone
        finding("HD-1", "unknown", evidence=("paused",)),
        finding("CT-6", "n/a"),
    ]
    dq1 = coverage(findings, facts)
    assert dq1.explanation.startswith(
        "1 of 4 checks measured (2 judged from Backcheck's registry and catalog alone, 1 do not apply); 1 of 2 facts read."
    )
    assert dq1.status == "caution"
    assert coverage(findings[:3] + findings[4:], facts).status == "pass"


def test_coverage_of_a_real_evaluation():
    findings = run(SOL, {"paused": False, "mint_authority": "none"})
    dq1 = findings[-1]
    assert {f.id for f in findings if f.status == "pass" and f.evidence} == {"CT-2", "CT-4", "DQ-3"}
    id6 = next(f for f in findings if f.id == "ID-6")  # no mint key where one was recorded: measured, a warning
    assert id6.status == "warning" and "mint_authority" in id6.evidence
    assert dq1.explanation.startswith("4 of ")
    assert "2 of 2 facts read" in dq1.explanation


def test_a_finding_serializes_to_the_report_contract():
    plain = finding("CT-4", "pass", evidence=("paused",))
    assert plain.to_json() == {
        "id": "CT-4",
        "status": "pass",
        "title": "title CT-4",
        "explanation": "explanation",
        "evidence": ["paused"],
    }
    flagged = finding("RS-1", "warning").to_json()
    assert flagged["red_flag"] == "Missing or vague proof of reserve" and "info" not in flagged
    assert finding("CA-5", "pass", info=True).to_json()["info"] is True
    jsonschema.validate(flagged, SCHEMA["$defs"]["finding"])
