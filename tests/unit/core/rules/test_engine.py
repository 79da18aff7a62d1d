"""The rule plumbing: settings into thresholds and country, how a context reads facts, who governs a power."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from backcheck.core.facts import nobody
from backcheck.core.lookup import Inspection
from backcheck.core.rules import RuleConfig, evaluate
from backcheck.core.rules.engine import Context, governed_by
from backcheck.core.settings import Settings
from tests.unit.core.rules.support import CONFIG, NOW, REGISTRY, SOL, UNKNOWN, D, at, fact, finding


def context(**facts: object) -> Context:
    return Context(Inspection(SOL, {k: fact(v) for k, v in facts.items()}, [], NOW), REGISTRY, CONFIG, None, NOW, NOW)


def test_settings_give_the_country_and_every_threshold():
    settings = Settings.load()
    settings.override("country", "de")
    settings.override("threshold.HD-1.caution", "0.05")
    config = RuleConfig.load(settings)
    assert config.country == "DE"
    assert config.thresholds["HD-1.caution"] == Decimal("0.05")
    assert config.thresholds.keys() == RuleConfig.load().thresholds.keys()
    assert config.catalog == CONFIG.catalog and config.catalog


def test_without_settings_the_defaults_apply():
    config = RuleConfig.load()
    assert config.country == ""
    assert config.thresholds["HD-1.caution"] == Decimal("0.25")
    assert config.thresholds["RS-2.max_plausible"] == Decimal("1.5")


def test_the_wall_clock_is_the_default_now():
    before = datetime.now(UTC)
    findings = evaluate(Inspection(SOL, {"multiplier": fact(D(1), fetched_at=before)}, [], before), REGISTRY)
    dq3 = next(f for f in findings if f.id == "DQ-3")
    assert dq3.status == "pass" and "0.0 h ago" in dq3.explanation


@pytest.mark.parametrize(
    ("value", "number"),
    [(D("1.5"), D("1.5")), (25, D(25)), (True, D(1)), ("25", None), (None, None)],
)
def test_a_number_is_a_decimal_or_an_integer(value, number):
    assert context(x=value).number("x") == number


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        (at(hours=1), datetime(2026, 6, 1, 16, tzinfo=UTC)),
        ("2026-06-01T16:00:00+00:00", datetime(2026, 6, 1, 16, tzinfo=UTC)),
        ("2026-06-01T16:00:00", None),  # no zone: which clock is unknown
        ("none", None),
        (None, None),
        (1780000000, None),
    ],
)
def test_a_time_is_an_iso_time_with_a_zone(value, moment):
    assert context(x=value).time("x") == moment


def test_missing_names_each_input_and_its_reason():
    ctx = context(known=D(1), failed=UNKNOWN)
    result = ctx.missing("absent", "failed", "known")
    assert result.status == "unknown" and result.evidence == ("absent", "failed", "known")
    assert result.explanation == (
        "Not measured: absent was not read; failed is unknown (node timed out). Unknown is not a pass."
    )
    unusable = context(when="soon", other=D(2)).missing("when", "other")
    assert unusable.explanation == (
        "Not measured: when is 'soon', which Backcheck cannot judge; other is Decimal('2'), which Backcheck cannot "
        "judge. Unknown is not a pass."
    )


def test_impossible_names_each_figure_that_cannot_be_true():
    ctx = context(a=D(-1), b=D("NaN"), c=D(2), d=D(1), e="text")
    assert ctx.impossible("d", "e", "absent") is None
    assert ctx.impossible("c", upper=D(2)) is None
    result = ctx.impossible("a", "b", "c", "d", upper=D("1.5"))
    assert result is not None and result.status == "unknown" and result.evidence == ("a", "b", "c", "d")
    assert result.explanation.startswith("Not plausible: a is -1; b is NaN; c is 2, which cannot be true.")


@pytest.mark.parametrize(
    ("kind", "governance"),
    [
        ("plain account (a single private key)", "single key"),
        ("multisig (2 of 3 signers)", "multisig"),
        ("timelock (minimum delay 48 h)", "timelock"),
        ("owned contract (e.g. a ProxyAdmin), owned by 0xA: plain account (a single private key)", "single key"),
        ("owned contract (x), owned by 0xA: owned contract (y), owned by 0xB: multisig (2 of 3 signers)", "multisig"),
        ("owned contract (x), owned by 0xA: timelock (minimum delay 2 h)", "timelock"),
        ("contract (no owner, multisig or timelock interface found)", "unclassified"),
        ("program-owned account (owner Prog111)", "unclassified"),
        ("a multisig-like contract", "unclassified"),
    ],
)
def test_who_governs_a_power(kind, governance):
    assert governed_by(kind) == governance


@pytest.mark.parametrize(
    ("value", "none"),
    [
        ("none", True),
        ("none (no forced transfer)", True),
        ("not present", True),
        ("0xabc", False),
        ("", False),
        ("noneQmTg6TzZuV8yLfmMRRuXsz8D8FjrHDZBEWFZPDz", False),  # a vanity key, not nobody
        ("nonexistent", False),
        ("None", False),
    ],
)
def test_nobody_holds_a_power(value, none):
    assert nobody(value) is none


def test_info_is_only_ever_a_pass():
    findings = [finding(rule_id, SOL) for rule_id in ("CT-3", "CA-5", "RD-3", "RD-5", "RD-9")]
    assert all(f.status == "pass" for f in findings if f.info)
