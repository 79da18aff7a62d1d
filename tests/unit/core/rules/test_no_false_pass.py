"""The first principle over every registered rule: nothing read is never a pass.

Iterates ``RULES``, so a rule added later is covered without touching this file.
"""

import pytest

from backcheck.core.rules import RULES
from tests.unit.core.rules.support import TARGETS, UNKNOWN, run
from tests.unit.core.rules.test_checks import BOUNDARIES, CASES

# Rules that judge only Backcheck's bundled, dated data, never a fact read for this report: they
# may pass with nothing read, and must then cite no fact as evidence (DQ-1 counts them apart).
STATIC = {
    "ID-1": "the address is on the issuer's list bundled in the registry (source and date); it says when the "
    "issuer's live list could not be checked",
    "ID-2": "compares a registered token's symbol with the bundled registry",
    "ID-4": "issuer entity and legal documents from the bundled catalog",
    **dict.fromkeys(
        ("RD-1", "RD-2", "RD-3", "RD-4", "RD-5", "RD-6", "RD-7", "RD-8", "RD-9"),
        "redemption and legal terms from the bundled catalog (RD-8 with the user's country setting)",
    ),
}
# Every fact a rule reads: each rule's rows name its inputs, and chain_time is CA-1's clock.
EVERY_FACT = sorted(
    {key for _, _, facts, _ in CASES for key in facts if key != "catalog terms"}
    | {key for row in BOUNDARIES for key in row[3](row[4](1)) if key != "catalog terms"}
    | {"chain_time"}
)
SCENARIOS = {"nothing read": {}, "every fact unknown": dict.fromkeys(EVERY_FACT, UNKNOWN)}


def test_every_static_rule_is_registered():
    assert set(STATIC) <= {rule_id for rule_id, *_ in RULES}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("rule_id", [rule_id for rule_id, *_ in RULES] + ["DQ-1"])
def test_nothing_measured_is_never_a_pass(rule_id, scenario):
    for name, target in TARGETS.items():
        findings = run(target, SCENARIOS[scenario], country="DE")
        result = next(f for f in findings if f.id == rule_id)
        if rule_id in STATIC and result.status == "pass":
            assert result.evidence == (), (name, result)
        else:
            assert result.status != "pass", (name, result.explanation)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_coverage_counts_nothing_as_measured(scenario):
    for target in TARGETS.values():
        dq1 = run(target, SCENARIOS[scenario])[-1]
        assert dq1.id == "DQ-1"
        assert dq1.explanation.startswith("0 of "), dq1.explanation
        assert dq1.status == "caution"
