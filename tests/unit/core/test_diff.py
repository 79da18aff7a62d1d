"""diff: what changed between two reports of one token, the changes that matter first."""

import dataclasses
from decimal import Decimal

import pytest

from backcheck.core.diff import diff, format_diff
from backcheck.core.errors import BadInput
from backcheck.core.lookup import Inspection
from backcheck.core.report import make_report
from tests.unit.core.rules.support import EVM, NOW, REGISTRY, SOL, fact

BASE = {
    "paused": fact(False),
    "total_supply": fact(Decimal(1000)),
    "token_name": fact("Apple xStock"),
    "chain_time": fact("2026-06-01T14:00:00+00:00"),
    "owner": fact("0x00000000000000000000000000000000000000aa"),
}


def report(target=EVM, **changed):
    return make_report(Inspection(target, {**BASE, **changed}, [], NOW), REGISTRY, now=NOW)


def test_nothing_changed():
    result = diff(report(), report(chain_time=fact("2026-06-02T14:00:00+00:00")))
    assert result.changes == []  # the chain's clock moves on its own: not a change of the token
    assert "Nothing changed" in format_diff(result)


def test_a_pause_leads_then_control_then_supply_then_the_rest():
    old = report()
    new = report(
        paused=fact(True),
        total_supply=fact(Decimal(1500)),
        token_name=fact("Apple xStock v2"),
        owner=fact("0x00000000000000000000000000000000000000bb"),
    )
    result = diff(old, new)
    keys = [c.key for c in result.changes]
    assert keys[0] == "CT-4" and result.changes[0].before == "pass" and result.changes[0].after == "critical"
    facts = [k for k in keys if not k[:2].isupper()]
    assert facts == ["owner", "paused", "total_supply", "token_name"]
    supply = next(c for c in result.changes if c.key == "total_supply")
    assert supply.sentence == "total supply: 1,000 → 1,500 (+50.0%)."
    paused = next(c for c in result.changes if c.key == "paused")
    assert "now is" in paused.sentence
    assert result.to_json()["schema"] == "backcheck.diff/1"


def test_a_fact_that_became_unknown_is_a_change():
    from backcheck.core.facts import Fact

    lost = Fact.unknown("the node timed out", unit="flag", source="x", method="paused()")
    result = diff(report(), report(paused=lost))
    change = next(c for c in result.changes if c.key == "paused")
    assert change.after is None and "unknown (the node timed out)" in change.sentence


def test_an_improvement_comes_after_the_facts_of_control_and_supply():
    result = diff(report(paused=fact(True)), report(paused=fact(False), total_supply=fact(Decimal(900))))
    assert [(c.kind, c.key) for c in result.changes] == [
        ("fact", "paused"),
        ("fact", "total_supply"),
        ("finding", "CT-4"),
    ]
    assert result.changes[2].sentence.startswith("CT-4 Paused or frozen now: critical → pass.")


def test_different_tokens_are_refused():
    with pytest.raises(BadInput, match="different tokens"):
        diff(report(), report(target=SOL))
    other = dataclasses.replace(EVM, address="0x" + "1" * 40)
    with pytest.raises(BadInput, match="diff compares one token over time"):
        diff(report(), report(target=other))
