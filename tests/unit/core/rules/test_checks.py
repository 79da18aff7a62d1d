"""Every rule of the checklist, every status it can return (unknown when an input is missing)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from backcheck.core.chains import chain_by_key
from backcheck.core.facts import Fact, iso, utc_now
from backcheck.core.lookup import Inspection, Target, resolve
from backcheck.core.registry import Registry
from backcheck.core.rules import RULES, RuleConfig, evaluate, verdict

REGISTRY = Registry.load()
SOL = resolve(REGISTRY, "NVDAx", "solana")
EVM = resolve(REGISTRY, "AAPLx", "ethereum")
BTOKEN = resolve(REGISTRY, "bIB01", "ethereum")
ONDO = resolve(REGISTRY, "AAPLon", "ethereum")
IMPOSTOR = Target("0x1", chain_by_key("ethereum"), "0x1111111111111111111111111111111111111111", None, None)
OVERLAY = replace(SOL, token=replace(SOL.token, official=None))
UNKNOWN = object()  # a fact present with value None and an error
D = Decimal
SOON = iso(utc_now() + timedelta(hours=3))
LATER = iso(utc_now() + timedelta(days=3))
NOW = iso(utc_now())
OLD = iso(utc_now() - timedelta(hours=5))


def fact(key, value):
    if value is UNKNOWN:
        return Fact.unknown("node timed out", unit="", source="test", method="test")
    return Fact(value, "unit", "test", "test", 1, utc_now())


def finding(rule_id, target, facts=None, country=""):
    inspection = Inspection(target, {k: fact(k, v) for k, v in (facts or {}).items()}, [], utc_now())
    config = replace(RuleConfig.load(), country=country)
    return next(f for f in evaluate(inspection, REGISTRY, config) if f.id == rule_id)


CASES = [
    # ID-1 official token
    ("ID-1", SOL, {"issuer_api_address": SOL.address}, "pass"),
    ("ID-1", SOL, {"issuer_api_address": "XsOther"}, "warning"),
    ("ID-1", SOL, {"metadata_uri": "https://evil.example/x.json"}, "caution"),
    ("ID-1", OVERLAY, {}, "unknown"),
    ("ID-1", IMPOSTOR, {"token_symbol": "AAPLx", "token_name": "Apple xStock"}, "critical"),
    ("ID-1", IMPOSTOR, {"token_symbol": UNKNOWN}, "unknown"),
    ("ID-1", IMPOSTOR, {"token_symbol": "FOO", "token_name": "Foo"}, "unknown"),
    # ID-2 ticker collision
    ("ID-2", EVM, {}, "pass"),
    ("ID-2", IMPOSTOR, {"token_symbol": "AAPLx"}, "caution"),
    ("ID-2", IMPOSTOR, {"token_symbol": UNKNOWN}, "unknown"),
    # ID-3 source verified
    ("ID-3", SOL, {}, "n/a"),
    ("ID-3", EVM, {}, "unknown"),
    ("ID-3", EVM, {"source_verified": True}, "pass"),
    ("ID-3", EVM, {"source_verified": False}, "warning"),
    ("ID-3", EVM, {"source_verified": UNKNOWN}, "unknown"),
    # ID-4 named issuer and documents
    ("ID-4", EVM, {}, "pass"),
    ("ID-4", IMPOSTOR, {}, "warning"),
    # ID-5 metadata key
    ("ID-5", EVM, {}, "n/a"),
    (
        "ID-5",
        SOL,
        {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": "plain account (x)"},
        "caution",
    ),
    (
        "ID-5",
        SOL,
        {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": "multisig (Squads v4)"},
        "pass",
    ),
    ("ID-5", SOL, {"metadata_update_authority": "5aMN", "metadata_update_authority_kind": UNKNOWN}, "unknown"),
    ("ID-5", SOL, {"metadata_update_authority": "none"}, "pass"),
    # RS-1 stale proof
    ("RS-1", SOL, {"reserves_age_hours": D(6), "reserves_cadence_hours": D(24)}, "pass"),
    ("RS-1", SOL, {"reserves_age_hours": D(49), "reserves_cadence_hours": D(24)}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": D(60), "reserves_cadence_hours": UNKNOWN}, "pass"),
    ("RS-1", SOL, {"reserves_age_hours": D(73), "reserves_cadence_hours": UNKNOWN}, "warning"),
    ("RS-1", SOL, {"reserves_age_hours": UNKNOWN}, "unknown"),
    ("RS-1", EVM, {}, "unknown"),
    # RS-2 shortfall
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("1.002")}, "pass"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("0.9995")}, "pass"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": D("0.95")}, "critical"),
    ("RS-2", BTOKEN, {"reserves_feed_age_hours": D(1), "reserves_feed_coverage": D("0.8")}, "critical"),
    ("RS-2", SOL, {"reserves_age_hours": D(1), "reserves_coverage": UNKNOWN}, "unknown"),
    ("RS-2", EVM, {}, "unknown"),
    # RS-3 figures add up
    ("RS-3", SOL, {"float": D(100), "outstanding_all_chains": D(1000)}, "pass"),
    ("RS-3", SOL, {"float": D(1002), "outstanding_all_chains": D(1000)}, "warning"),
    ("RS-3", SOL, {"float": D(100), "outstanding_all_chains": UNKNOWN}, "unknown"),
    # RS-4 evidence
    ("RS-4", BTOKEN, {"reserves_feed_answer": D(6000)}, "pass"),
    ("RS-4", SOL, {"reserves_shares": D(196869)}, "caution"),
    ("RS-4", ONDO, {}, "warning"),
    ("RS-4", SOL, {"reserves_shares": UNKNOWN}, "unknown"),
    # RS-6 oracle round
    ("RS-6", SOL, {}, "n/a"),
    ("RS-6", BTOKEN, {"reserves_feed_answer": D(1), "reserves_feed_round_check": "ok"}, "pass"),
    ("RS-6", BTOKEN, {"reserves_feed_answer": D(1), "reserves_feed_round_check": "answer is 0"}, "warning"),
    ("RS-6", BTOKEN, {"reserves_feed_answer": D(1), "reserves_feed_round_check": UNKNOWN}, "unknown"),
    # RS-7 supply jump
    ("RS-7", SOL, {"outstanding_all_chains": D(100), "outstanding_now_all_chains": D(105)}, "pass"),
    ("RS-7", SOL, {"outstanding_all_chains": D(100), "outstanding_now_all_chains": D(120)}, "caution"),
    ("RS-7", SOL, {"outstanding_all_chains": D(100)}, "unknown"),
    # CT-1 upgrade power
    ("CT-1", SOL, {}, "n/a"),
    (
        "CT-1",
        EVM,
        {"proxy_admin": "0xa", "proxy_admin_controller_kind": "plain account (a single private key)"},
        "warning",
    ),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": "multisig (2 of 3 signers)"}, "caution"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": "timelock (minimum delay 48 h)"}, "pass"),
    ("CT-1", EVM, {"proxy_admin": "0xa", "proxy_admin_controller_kind": "timelock (minimum delay 2 h)"}, "caution"),
    ("CT-1", EVM, {"proxy_admin": "none (not upgradeable through EIP-1967)"}, "pass"),
    ("CT-1", EVM, {"proxy_admin": UNKNOWN}, "unknown"),
    # CT-2 mint power
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": "plain account (a single private key)"}, "warning"),
    ("CT-2", EVM, {"mint_authority": "0xm", "mint_authority_kind": "multisig (2 of 3 signers)"}, "pass"),
    ("CT-2", SOL, {"mint_authority": "none"}, "pass"),
    ("CT-2", SOL, {"mint_authority": "7pt9", "mint_authority_kind": UNKNOWN}, "unknown"),
    ("CT-2", SOL, {"mint_authority": UNKNOWN}, "unknown"),
    # CT-3 freeze/pause powers
    ("CT-3", SOL, {"freeze_authority": "none", "pause_authority": "none"}, "pass"),
    (
        "CT-3",
        SOL,
        {"freeze_authority": "JDq", "freeze_authority_kind": "plain account (x)", "pause_authority": "none"},
        "caution",
    ),
    (
        "CT-3",
        SOL,
        {"freeze_authority": "JDq", "freeze_authority_kind": "multisig (Squads v4)", "pause_authority": "none"},
        "pass",
    ),
    ("CT-3", SOL, {"freeze_authority": "JDq", "freeze_authority_kind": UNKNOWN, "pause_authority": "none"}, "unknown"),
    ("CT-3", EVM, {}, "unknown"),
    # CT-4 paused
    ("CT-4", EVM, {"paused": True}, "critical"),
    ("CT-4", EVM, {"paused": False}, "pass"),
    ("CT-4", SOL, {"paused": False, "market_trading_halted": True}, "caution"),
    ("CT-4", EVM, {"paused": UNKNOWN}, "unknown"),
    # CT-5 permanent delegate
    ("CT-5", SOL, {"permanent_delegate": "5aMN", "permanent_delegate_kind": "plain account (x)"}, "warning"),
    ("CT-5", SOL, {"permanent_delegate": "5aMN", "permanent_delegate_kind": "multisig (Squads v4)"}, "caution"),
    ("CT-5", EVM, {"permanent_delegate": "none (no forced transfer)"}, "pass"),
    ("CT-5", SOL, {"permanent_delegate": "5aMN", "permanent_delegate_kind": UNKNOWN}, "unknown"),
    # CT-6 default frozen
    ("CT-6", EVM, {}, "n/a"),
    ("CT-6", SOL, {"default_account_state": "frozen"}, "caution"),
    ("CT-6", SOL, {"default_account_state": "initialized"}, "pass"),
    ("CT-6", SOL, {"default_account_state": UNKNOWN}, "unknown"),
    # CT-7 transfer hook
    ("CT-7", EVM, {}, "n/a"),
    ("CT-7", SOL, {"transfer_hook_program": "HookProgram111"}, "caution"),
    ("CT-7", SOL, {"transfer_hook_program": "none", "transfer_hook_authority": "5aMN"}, "pass"),
    ("CT-7", SOL, {"transfer_hook_program": UNKNOWN}, "unknown"),
    # CT-8 transfer fee
    ("CT-8", SOL, {"transfer_fee": D(25)}, "caution"),
    ("CT-8", SOL, {"transfer_fee": D(0)}, "pass"),
    ("CT-8", EVM, {"fee_per_year": D("0.0025")}, "pass"),
    ("CT-8", SOL, {"transfer_fee": UNKNOWN}, "unknown"),
    # CT-9 authority changes
    ("CT-9", EVM, {}, "unknown"),
    ("CT-9", EVM, {"authority_changes_30d": "minter changed"}, "caution"),
    ("CT-9", EVM, {"authority_changes_30d": ""}, "pass"),
    # HD-1 / HD-2 / HD-3
    ("HD-1", SOL, {"holders_top1_share": D("0.10")}, "pass"),
    ("HD-1", SOL, {"holders_top1_share": D("0.30")}, "caution"),
    ("HD-1", SOL, {"holders_top1_share": D("0.60")}, "warning"),
    ("HD-1", SOL, {"holders_top1_share": UNKNOWN}, "unknown"),
    ("HD-2", SOL, {"holders_top10_share": D("0.40")}, "pass"),
    ("HD-2", SOL, {"holders_top10_share": D("0.60")}, "caution"),
    ("HD-2", SOL, {"holders_top10_share": D("0.90")}, "warning"),
    ("HD-2", SOL, {}, "unknown"),
    ("HD-3", SOL, {"float": D(50), "total_supply": D(1000)}, "pass"),
    ("HD-3", SOL, {"float": D(5), "total_supply": D(1000)}, "caution"),
    ("HD-3", SOL, {"float": D(0), "total_supply": D(0)}, "n/a"),
    ("HD-3", SOL, {"float": UNKNOWN, "total_supply": D(1000)}, "unknown"),
    # PM-1 / PM-2 / PM-3
    (
        "PM-1",
        SOL,
        {"premium": D("0.004"), "price": D(100), "reference_price": D("99.6"), "market_session": "regular"},
        "pass",
    ),
    (
        "PM-1",
        SOL,
        {"premium": D("-0.02"), "price": D(98), "reference_price": D(100), "market_session": "regular"},
        "caution",
    ),
    (
        "PM-1",
        SOL,
        {"premium": D("0.05"), "price": D(105), "reference_price": D(100), "market_session": "closed (weekend)"},
        "warning",
    ),
    ("PM-1", SOL, {"price": D(100)}, "unknown"),
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": NOW}, "pass"),
    ("PM-2", SOL, {"market_session": "regular", "reference_price_updated_at": OLD}, "caution"),
    ("PM-2", SOL, {"market_session": "after-hours", "reference_price_updated_at": OLD}, "n/a"),
    ("PM-2", SOL, {"market_session": "regular"}, "unknown"),
    ("PM-3", SOL, {"reference_price": D(100)}, "pass"),
    ("PM-3", SOL, {"reference_price": UNKNOWN}, "unknown"),
    # CA-1 / CA-2 / CA-5
    ("CA-1", SOL, {"multiplier_pending": "none"}, "pass"),
    ("CA-1", SOL, {"multiplier_pending": D("1.0025"), "multiplier_pending_at": LATER}, "pass"),
    ("CA-1", SOL, {"multiplier_pending": D("2"), "multiplier_pending_at": SOON}, "caution"),
    ("CA-1", SOL, {}, "unknown"),
    ("CA-2", SOL, {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}]}, "pass"),
    ("CA-2", SOL, {"multiplier_history_issuer": [{"multiplier": "1.01", "reason": None}]}, "caution"),
    (
        "CA-2",
        EVM,
        {
            "multiplier_history_issuer": [{"multiplier": "1.01", "reason": "Dividend"}],
            "multiplier_history": [{"multiplier": "1"}, {"multiplier": "1.01"}, {"multiplier": "1.5"}],
        },
        "caution",
    ),
    ("CA-2", SOL, {"multiplier_history_issuer": UNKNOWN}, "unknown"),
    ("CA-5", SOL, {"multiplier": D("1.0017")}, "pass"),
    ("CA-5", EVM, {"multiplier": "not present"}, "pass"),
    ("CA-5", SOL, {"multiplier": UNKNOWN}, "unknown"),
    # RD-* from the catalog
    ("RD-1", SOL, {}, "pass"),
    ("RD-1", ONDO, {}, "warning"),
    ("RD-1", IMPOSTOR, {}, "unknown"),
    ("RD-2", SOL, {}, "unknown"),
    ("RD-3", SOL, {}, "pass"),
    ("RD-3", ONDO, {}, "unknown"),
    ("RD-4", SOL, {}, "caution"),
    ("RD-4", IMPOSTOR, {}, "unknown"),
    ("RD-5", SOL, {}, "pass"),
    ("RD-5", ONDO, {}, "unknown"),
    ("RD-6", SOL, {}, "pass"),
    ("RD-6", BTOKEN, {}, "warning"),
    ("RD-6", IMPOSTOR, {}, "unknown"),
    ("RD-7", SOL, {}, "pass"),
    ("RD-7", BTOKEN, {}, "caution"),
    ("RD-7", IMPOSTOR, {}, "unknown"),
    ("RD-8", SOL, {}, "unknown"),
    ("RD-9", SOL, {}, "pass"),
    ("RD-9", IMPOSTOR, {}, "unknown"),
    ("MK-1", SOL, {}, "unknown"),
    # DQ-2 / DQ-3
    ("DQ-2", SOL, {"multiplier": D("1.0017"), "multiplier_issuer": D("1.0017")}, "pass"),
    ("DQ-2", SOL, {"multiplier": D("1.0017"), "multiplier_issuer": D("1.05")}, "caution"),
    ("DQ-2", SOL, {}, "unknown"),
    ("DQ-3", SOL, {"multiplier": D(1)}, "pass"),
    ("DQ-3", SOL, {}, "unknown"),
]


@pytest.mark.parametrize(
    ("rule_id", "target", "facts", "status"), CASES, ids=[f"{c[0]}-{i}-{c[3]}" for i, c in enumerate(CASES)]
)
def test_rule_status(rule_id, target, facts, status):
    result = finding(rule_id, target, facts)
    assert result.status == status, result.explanation
    assert len(result.explanation) > 20


def test_every_rule_of_the_brief_has_cases_for_its_statuses():
    ids = {rule_id for rule_id, *_ in RULES}
    assert ids == {c[0] for c in CASES}
    expected = {
        "ID-1",
        "ID-2",
        "ID-3",
        "ID-4",
        "ID-5",
        "RS-1",
        "RS-2",
        "RS-3",
        "RS-4",
        "RS-6",
        "RS-7",
        "CT-1",
        "CT-2",
        "CT-3",
        "CT-4",
        "CT-5",
        "CT-6",
        "CT-7",
        "CT-8",
        "CT-9",
        "HD-1",
        "HD-2",
        "HD-3",
        "PM-1",
        "PM-2",
        "PM-3",
        "CA-1",
        "CA-2",
        "CA-5",
        "RD-1",
        "RD-2",
        "RD-3",
        "RD-4",
        "RD-5",
        "RD-6",
        "RD-7",
        "RD-8",
        "RD-9",
        "MK-1",
        "DQ-2",
        "DQ-3",
    }
    assert ids == expected
    for rule_id in ids:
        statuses = {c[3] for c in CASES if c[0] == rule_id}
        assert "unknown" in statuses or "n/a" in statuses or rule_id in {"ID-4", "RD-8"}, rule_id


def test_country_drives_rd8():
    assert finding("RD-8", SOL, country="US").status == "warning"
    assert finding("RD-8", SOL, country="DE").status == "pass"
    assert "Set your country" in finding("RD-8", SOL).explanation


def test_a_missing_input_is_named_with_its_reason():
    result = finding("HD-1", SOL, {"holders_top1_share": UNKNOWN})
    assert "holders top1 share is unknown (node timed out)" in result.explanation
    assert "Unknown is not a pass" in result.explanation


def test_the_five_red_flags_of_seed_003_are_visible():
    findings = evaluate(Inspection(ONDO, {}, [], utc_now()), REGISTRY, RuleConfig.load())
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
    assert summary.counts["warning"] >= 1
    assert summary.coverage.startswith("DQ-1") is False


def test_coverage_counts_measured_checks():
    findings = evaluate(Inspection(SOL, {"paused": fact("paused", False)}, [], utc_now()), REGISTRY, RuleConfig.load())
    dq1 = findings[-1]
    assert dq1.id == "DQ-1"
    assert dq1.status == "caution"
    measured = sum(1 for f in findings[:-1] if f.status not in ("unknown", "n/a"))
    assert f"{measured} of" in dq1.explanation


def test_thresholds_are_overridable_in_settings():
    from backcheck.core.settings import Settings

    settings = Settings.load()
    settings.override("threshold.HD-1.caution", "0.05")
    config = RuleConfig.load(settings)
    inspection = Inspection(SOL, {"holders_top1_share": fact("", D("0.10"))}, [], utc_now())
    assert next(f for f in evaluate(inspection, REGISTRY, config) if f.id == "HD-1").status == "caution"
    assert config.version == "1.0.0"


def test_verdict_names_the_worst_findings():
    inspection = Inspection(EVM, {"paused": fact("paused", True)}, [], datetime.now(UTC))
    summary = verdict(evaluate(inspection, REGISTRY, RuleConfig.load()))
    assert summary.worst == ["CT-4 Paused or frozen now"]
