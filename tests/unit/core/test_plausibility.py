"""Plausibility before judgement: each bound at, just inside and just beyond it, and lies end to end."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from backcheck.core.errors import SourceError
from backcheck.core.facts import Fact, iso
from backcheck.core.http import Http
from backcheck.core.lookup import inspect, resolve
from backcheck.core.plausibility import BOUNDS, CHAIN_CLOCK_DRIFT, CLOCK_SKEW, amount, check, clock_drift
from backcheck.core.registry import Registry
from backcheck.core.rules import RuleConfig, evaluate
from backcheck.core.settings import Settings
from tests.helpers.evm import Chain
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.solc import compile_contracts

REGISTRY = Registry.load()
FETCHED = datetime(2026, 3, 2, 12, tzinfo=UTC)  # any fixed moment: no test reads today's date


def fact(value, unit: str = "") -> Fact:
    return Fact(value, unit, "a source", "a call", None, FETCHED)


@pytest.mark.parametrize(
    ("value", "expected"), [("0", Decimal(0)), ("196869", Decimal(196869)), (1.5, Decimal("1.5")), (7, Decimal(7))]
)
def test_an_amount_is_finite_and_not_negative(value, expected):
    assert amount(value, "x") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "not a finite number"),
        ("-NaN", "not a finite number"),
        ("sNaN", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("-1E-30", "negative"),
        ("-1", "negative"),
        ("ten", "not a number"),
        (True, "not a number"),
        (None, "not a number"),
        ([1], "not a number"),
    ],
)
def test_no_amount_is_refused_at_parse_time(value, message):
    with pytest.raises(SourceError, match=message):
        amount(value, "x")


@pytest.mark.parametrize(
    ("offset", "trusted"),
    [
        (CHAIN_CLOCK_DRIFT, True),
        (CHAIN_CLOCK_DRIFT - timedelta(seconds=1), True),
        (CHAIN_CLOCK_DRIFT + timedelta(seconds=1), False),
        (-CHAIN_CLOCK_DRIFT, True),
        (-CHAIN_CLOCK_DRIFT - timedelta(seconds=1), False),
    ],
)
def test_a_chain_clock_far_from_this_computers_is_not_trusted(offset, trusted):
    problem = clock_drift(FETCHED + offset, FETCHED)
    assert (problem is None) == trusted
    if not trusted:
        assert ("ahead of" if offset > timedelta(0) else "behind") in problem


@pytest.mark.parametrize(
    ("ahead", "plausible"),
    [
        (CLOCK_SKEW, True),
        (CLOCK_SKEW - timedelta(milliseconds=1), True),
        (CLOCK_SKEW + timedelta(milliseconds=1), False),
    ],
)
def test_a_time_in_the_future_of_its_fetch(ahead, plausible):
    facts = {"reference_price_updated_at": fact(iso(FETCHED + ahead), "time")}
    checked = check(facts)["reference_price_updated_at"]
    assert checked.known == plausible
    if not plausible:
        assert "ahead of this computer's clock at the fetch" in checked.error


@pytest.mark.parametrize(
    ("age_hours", "plausible"),
    [("-0.08", True), ("0", True), ("-0.09", False), ("-8760", False)],  # the skew is 5 min = 0.0833 h
)
def test_a_proof_of_reserve_dated_in_the_future(age_hours, plausible):
    age = Decimal(age_hours)
    facts = {
        "reserves_updated_at": fact(iso(FETCHED - timedelta(hours=float(age))), "time"),
        "reserves_age_hours": fact(age, "hours"),
    }
    checked = check(facts)
    assert checked["reserves_age_hours"].known == plausible
    assert checked["reserves_updated_at"].known == plausible
    if not plausible:
        assert "a time in the future cannot be judged" in checked["reserves_age_hours"].error


COVERAGE_MAX = Decimal(BOUNDS["ratios"]["reserves_coverage"]["max"])


@pytest.mark.parametrize(("step", "plausible"), [("0", True), ("-0.000001", True), ("0.000001", False)])
def test_coverage_beyond_the_sane_bound_names_both_figures(step, plausible):
    facts = {
        "reserves_coverage": fact(COVERAGE_MAX + Decimal(step), "ratio"),
        "reserves_shares": fact(Decimal("19686900000000"), "shares"),
        "outstanding_all_chains": fact(Decimal("196340.26"), "tokens"),
    }
    checked = check(facts)
    for key in facts:
        assert checked[key].known == plausible, key
    if not plausible:
        error = checked["reserves_coverage"].error
        assert "reserves_shares 19,686,900,000,000" in error and "outstanding_all_chains 196,340.26" in error


@pytest.mark.parametrize(
    ("key", "value", "plausible"),
    [
        ("total_supply", Decimal(0), True),
        ("total_supply", Decimal("-0.00000001"), False),
        ("holders_count", -1, False),
        ("total_supply", Decimal("NaN"), False),
        ("price", Decimal("Infinity"), False),
        ("premium", Decimal("-0.02"), True),  # a discount is a negative premium
        ("premium", Decimal("NaN"), False),
        ("reserves_age_hours", Decimal("-0.05"), True),  # within the clock skew
        ("paused", False, True),
    ],
)
def test_negative_and_non_finite_figures(key, value, plausible):
    checked = check({key: fact(value)})[key]
    assert checked.known == plausible
    if not plausible:
        assert checked.error.startswith("implausible:")


def test_plausible_facts_are_left_as_they_are():
    facts = {"total_supply": fact(Decimal(10)), "reserves_coverage": fact(Decimal("1.0027"))}
    assert check(facts) == facts


def read_twice(block: int, value: str, source: str = "the node") -> dict[str, Fact]:
    """The inspected chain's facts at block 59 and the coverage's own read of ``source`` at ``block``."""
    facts = {
        key: Fact(Decimal(v), "", "the node", "a call", 59, FETCHED)
        for key, v in (("float", "1002.1"), ("total_supply", "10021"), ("holders_top1_share", "0.49"))
    }
    part = {"chain": "ethereum", "float": value, "block": block, "source": source}
    facts["outstanding_measured_parts"] = Fact([part], "", "derived", "Σ float", None, FETCHED)
    return facts


@pytest.mark.parametrize(
    ("block", "value", "source", "plausible"),
    [
        (59, "1002.1", "the node", True),
        (59, "1002.100", "the node", True),
        (59, "1002100", "the node", False),
        (59, "1002.2", "the node", False),
        (60, "1002.2", "the node", True),  # a later block may hold another supply
        (59, "1002.2", "another node", True),  # two nodes at one height can be on two forks
    ],
)
def test_one_node_answering_one_block_twice_must_give_one_float(block, value, source, plausible):
    checked = check(read_twice(block, value, source))
    for key in ("float", "total_supply", "holders_top1_share"):
        assert checked[key].known == plausible, key
        if not plausible:
            assert "answered two reads of block/slot 59 with different floats" in checked[key].error
    assert checked["outstanding_measured_parts"].known


def inspect_nvdax(rpc, api, jupiter):
    settings = Settings.load()
    for key, url in (("rpc.solana", rpc.url), ("api.xstocks", api.url), ("api.jupiter", jupiter.url)):
        settings.override(key, url)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, "NVDAx", "solana"), settings, http, REGISTRY)
        finally:
            await http.aclose()

    inspection = asyncio.run(go())
    return inspection, {f.id: f for f in evaluate(inspection, REGISTRY, RuleConfig.load())}


def test_a_proof_of_reserve_a_year_ahead_is_unknown_not_fresh(solana_rpc, xstocks_api, jupiter_api):
    setup_nvdax(solana_rpc, xstocks_api, por_age_hours=-8760)
    inspection, findings = inspect_nvdax(solana_rpc, xstocks_api, jupiter_api)
    assert "a time in the future cannot be judged" in inspection.facts["reserves_age_hours"].error
    assert findings["RS-1"].status != "pass"


def test_shares_held_times_1e8_is_unknown_not_covered(solana_rpc, xstocks_api, jupiter_api):
    setup_nvdax(solana_rpc, xstocks_api)
    xstocks_api.reserves["NVDAx"]["sharesHeld"] = "19686900000000"
    inspection, findings = inspect_nvdax(solana_rpc, xstocks_api, jupiter_api)
    assert "beyond the sane bound" in inspection.facts["reserves_coverage"].error
    assert not inspection.facts["reserves_shares"].known
    assert findings["RS-2"].status != "pass"


def test_a_jupiter_update_in_the_future_is_unknown(solana_rpc, xstocks_api, jupiter_api):
    setup_nvdax(solana_rpc, xstocks_api)
    jupiter_api.prices[next(iter(jupiter_api.prices))]["stockData"]["updatedAt"] += 86_400
    inspection, findings = inspect_nvdax(solana_rpc, xstocks_api, jupiter_api)
    assert "cannot be judged" in inspection.facts["reference_price_updated_at"].error
    assert findings["PM-2"].status != "pass"


def test_a_reserve_feed_updated_a_year_ahead_is_unknown_not_fresh(chain, polygon):
    feed = polygon.addresses["bib01_feed"]
    now = int(polygon.anvil.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)
    Chain(polygon.anvil).transact(
        polygon.addresses["roles"]["owner"],
        feed,
        compile_contracts()["ReserveFeed"],
        "setRound(uint80,int256,uint256,uint256,uint80)",
        7,
        6_000 * 10**8,
        now + 365 * 86_400,
        now + 365 * 86_400,
        7,
    )
    settings = Settings.load()
    settings.override("rpc.ethereum", chain.url)
    settings.override("rpc.polygon", polygon.url)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, "bIB01", "ethereum"), settings, http, REGISTRY)
        finally:
            await http.aclose()

    inspection = asyncio.run(go())
    assert "a time in the future cannot be judged" in inspection.facts["reserves_feed_age_hours"].error
    assert not inspection.facts["reserves_feed_updated_at"].known
    findings = evaluate(inspection, REGISTRY, RuleConfig.load())
    assert all(f.status != "pass" for f in findings if "reserves_feed_age_hours" in f.evidence)


def test_decimals_that_disagree_with_the_issuers_list_make_every_amount_unknown():
    from backcheck.core.plausibility import listed_decimals

    NOW = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)  # noqa: N806 - a fixed clock, as elsewhere

    read = {
        "decimals": Fact(2, "digits", "Solana RPC (x)", "getAccountInfo", 5, NOW),
        "total_supply": Fact(Decimal("3212747449663.8"), "tokens", "Solana RPC (x)", "getTokenSupply", 5, NOW),
        "paused": Fact(False, "flag", "Solana RPC (x)", "mint", 5, NOW),
    }
    out = listed_decimals(read, 8, "the xStocks list")
    assert set(out) == {"decimals", "total_supply"}  # the flag does not depend on decimals
    assert "says the token has 2 decimals, but the xStocks list lists 8" in out["total_supply"].error
    assert listed_decimals({**read, "decimals": Fact(8, "digits", "x", "m", 5, NOW)}, 8, "list") == {}
    assert listed_decimals({k: v for k, v in read.items() if k != "decimals"}, 8, "list") == {}
