"""ID-1 and DQ-1 on hand-built inspections: every status each can return."""

from dataclasses import replace

import pytest

from backcheck.core.chains import chain_by_key
from backcheck.core.facts import Fact, utc_now
from backcheck.core.lookup import Inspection, Target, resolve
from backcheck.core.registry import Registry
from backcheck.core.rules import coverage, official_token

REGISTRY = Registry.load()


def fact(value):
    return Fact(value, "text", "test", "test", None, utc_now())


def inspection(target: Target, **facts) -> Inspection:
    return Inspection(target, {k: fact(v) for k, v in facts.items()}, [], utc_now())


@pytest.fixture
def nvdax() -> Target:
    return resolve(REGISTRY, "NVDAx", "solana")


def test_pass_when_listed_and_the_live_api_agrees(nvdax):
    f = official_token(
        inspection(
            nvdax,
            issuer_api_address=nvdax.address,
            metadata_uri="https://xstocks-metadata.backed.fi/tokens/Solana/NVDAx/metadata.json",
            metadata_update_authority="5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq",
        ),
        REGISTRY,
    )
    assert f.status == "pass"
    assert "live API confirms it" in f.explanation


def test_warning_when_the_live_api_lists_another_address(nvdax):
    f = official_token(inspection(nvdax, issuer_api_address="XsOther111111111111111111111111111111111111"), REGISTRY)
    assert f.status == "warning"
    assert "XsOther" in f.explanation


def test_caution_when_metadata_departs_from_the_issuers(nvdax):
    f = official_token(
        inspection(
            nvdax,
            metadata_uri="https://evil.example/meta.json",
            metadata_update_authority="5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq",
        ),
        REGISTRY,
    )
    assert f.status == "caution"
    assert "not under the issuer's https://xstocks-metadata.backed.fi/tokens/Solana/" in f.explanation


def test_unknown_for_a_token_you_added(nvdax):
    overlay = replace(nvdax, token=replace(nvdax.token, official=None))
    assert official_token(inspection(overlay), REGISTRY).status == "unknown"


def test_critical_for_an_impostor():
    target = Target("0x1", chain_by_key("ethereum"), "0x1111111111111111111111111111111111111111", None, None)
    f = official_token(inspection(target, token_symbol="NVDAx", token_name="NVIDIA xStock"), REGISTRY)
    assert f.status == "critical"


def test_unknown_when_the_symbol_cannot_be_read():
    target = Target("0x1", chain_by_key("ethereum"), "0x1111111111111111111111111111111111111111", None, None)
    missing = Inspection(
        target, {"token_symbol": Fact.unknown("reverted", unit="text", source="s", method="m")}, [], utc_now()
    )
    assert official_token(missing, REGISTRY).status == "unknown"


def test_unknown_for_an_unlisted_token_that_imitates_nothing():
    target = Target("0x1", chain_by_key("ethereum"), "0x1111111111111111111111111111111111111111", None, None)
    assert official_token(inspection(target, token_symbol="FOO", token_name="Foo"), REGISTRY).status == "unknown"


def test_coverage_counts_measured_checks_and_facts(nvdax):
    measured = official_token(inspection(nvdax), REGISTRY)
    f = coverage([measured], {"a": fact(1), "b": Fact.unknown("x", unit="", source="s", method="m")})
    assert f.status == "caution"
    assert f.explanation.startswith("1 of 1 checks measured; 1 of 2 facts read")
    assert coverage([measured], {"a": fact(1)}).status == "pass"
