"""Measured reserve coverage: the issuer's shares held ÷ the float read on every chain of AAPLx.

Seven real anvil nodes (one per EVM chain id of AAPLx, started once for the module), the
loopback Solana RPC with an AAPLx mint, and the loopback xStocks API for the reserves.
"""

import asyncio
import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from backcheck.core.adapters.xstocks import XStocksApi
from backcheck.core.chains import chain_by_key
from backcheck.core.coverage import coverage_facts, measured_outstanding
from backcheck.core.facts import Fact, iso
from backcheck.core.http import Http
from backcheck.core.issuer import issuer_facts
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from tests.conftest import CLOSED_PORT_URL, start_node
from tests.helpers.coverage_aaplx import (
    AAPLX,
    EVM_CHAINS,
    EVM_FLOAT_PER_CHAIN,
    MEASURED_OUTSTANDING,
    SOLANA_FLOAT,
    set_aaplx_reserves,
    setup_aaplx_solana,
)
from tests.helpers.solana_rpc import SLOT

pytestmark = pytest.mark.chain
REGISTRY = Registry.load()


@pytest.fixture(scope="module")
def nodes():
    started = {key: start_node(chain_by_key(key).chain_id) for key in EVM_CHAINS}
    yield started
    for node in started.values():
        node.stop()


@pytest.fixture
def servers(solana_rpc, xstocks_api):
    setup_aaplx_solana(solana_rpc)
    return solana_rpc, xstocks_api


def settings_for(nodes, solana_rpc, xstocks_api, **replace) -> Settings:
    settings = Settings.load()
    for key, node in nodes.items():
        settings.override(f"rpc.{key}", replace.get(key, node.url))
    settings.override("rpc.solana", replace.get("solana", solana_rpc.url))
    settings.override("api.xstocks", xstocks_api.url)
    return settings


def inspect_coverage(settings: Settings, token=AAPLX) -> dict[str, Fact]:
    """Read every chain's float and the issuer's reserves concurrently, then derive the coverage."""

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            api = XStocksApi(http, settings.get("api.xstocks"))
            chain = chain_by_key("ethereum")
            measured, (issuer, _) = await asyncio.gather(
                measured_outstanding(token, settings, http, REGISTRY),
                issuer_facts(api, token, chain, REGISTRY.issuer(token.issuer_key)),
            )
        finally:
            await http.aclose()
        facts = {**issuer, **measured}
        return facts | coverage_facts(facts)

    return asyncio.run(go())


def test_every_chain_read_gives_the_hand_computed_sum_and_coverage(nodes, servers):
    rpc, api = servers
    proof = set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    facts = inspect_coverage(settings_for(nodes, rpc, api))

    total = facts["outstanding_measured_all_chains"]
    assert total.value == MEASURED_OUTSTANDING == Decimal("9018.9")
    parts = {row["chain"]: row for row in facts["outstanding_measured_parts"].value}
    assert sorted(parts) == sorted([*EVM_CHAINS, "solana"])
    assert parts["solana"]["float"] == str(SOLANA_FLOAT)
    assert parts["solana"]["slot"] == SLOT
    for key in EVM_CHAINS:
        block = nodes[key].rpc("eth_blockNumber")
        assert parts[key]["float"] == str(EVM_FLOAT_PER_CHAIN)
        assert parts[key]["block"] == int(block, 16)
        assert parts[key]["chain_time"].endswith("Z")
        assert f"at block {int(block, 16)}" in parts[key]["method"]
    assert f"solana (slot {SLOT})" in total.method
    assert "rebased" in total.method and "Scaled-UI multiplier" in total.method

    coverage = facts["reserves_coverage_measured"]
    assert coverage.value == Decimal("1.000000")
    assert coverage.fetched_at == proof  # freshness: the oldest part is the proof of reserve
    assert iso(proof) in coverage.unit
    assert facts["reserves_coverage"].value == Decimal("1.000000")
    assert facts["reserves_coverage_gap"].value == Decimal(0)


def test_the_sum_is_as_old_as_its_oldest_chain(nodes, servers):
    rpc, api = servers
    set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    facts = inspect_coverage(settings_for(nodes, rpc, api))
    oldest = min(
        datetime.fromisoformat(row["fetched_at"].replace("Z", "+00:00"))
        for row in facts["outstanding_measured_parts"].value
    )
    assert iso(facts["outstanding_measured_all_chains"].fetched_at) == iso(oldest)


@pytest.mark.parametrize("down", ["ink", "solana"])
def test_one_chain_refused_makes_the_coverage_unknown_naming_it(nodes, servers, down):
    rpc, api = servers
    set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    facts = inspect_coverage(settings_for(nodes, rpc, api, **{down: CLOSED_PORT_URL}))

    total = facts["outstanding_measured_all_chains"]
    assert total.value is None
    assert total.error.startswith(f"not read on {down}, so a partial sum would understate — {down}: ")
    assert "connection refused" in total.error
    assert f"{down} (not read)" in total.method
    assert facts["reserves_coverage_measured"].value is None
    assert f"not read on {down}" in facts["reserves_coverage_measured"].error
    assert "reserves_coverage_gap" not in facts
    rows = {row["chain"]: row for row in facts["outstanding_measured_parts"].value}
    assert rows[down]["float"] is None
    assert "error" not in rows[next(k for k in rows if k != down)]


def test_a_node_of_another_chain_is_refused(nodes, servers):
    rpc, api = servers
    set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    facts = inspect_coverage(settings_for(nodes, rpc, api, mantle=nodes["ethereum"].url))
    assert facts["outstanding_measured_all_chains"].error.startswith("not read on mantle,")
    assert "serves Ethereum (1), not Mantle (5000)" in facts["outstanding_measured_all_chains"].error


def test_a_solana_read_without_the_largest_holders_gives_no_float(nodes, servers):
    rpc, api = servers
    rpc.errors["getTokenLargestAccounts"] = (-32010, "excluded from account secondary indexes")
    set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    facts = inspect_coverage(settings_for(nodes, rpc, api))
    assert facts["outstanding_measured_all_chains"].error.startswith("not read on solana,")
    assert "getTokenLargestAccounts" in facts["outstanding_measured_all_chains"].error


def test_a_deployment_whose_decimals_differ_from_the_registry_fails_closed(nodes, servers):
    rpc, api = servers
    set_aaplx_reserves(api, shares_held="9018.9", circulating="9018.9")
    wrong = tuple(dataclasses.replace(d, decimals=6) if d.chain.key == "arbitrum" else d for d in AAPLX.deployments)
    facts = inspect_coverage(settings_for(nodes, rpc, api), dataclasses.replace(AAPLX, deployments=wrong))
    error = facts["outstanding_measured_all_chains"].error
    assert error.startswith("not read on arbitrum,")
    assert "arbitrum: decimals() says 18" in error
    assert "the registry lists 6" in error


def test_the_issuer_api_down_leaves_the_coverage_unknown_with_its_reason(nodes, servers):
    rpc, api = servers
    facts = inspect_coverage(settings_for(nodes, rpc, api))  # no proof of reserve for AAPLx: 404
    assert facts["outstanding_measured_all_chains"].value == MEASURED_OUTSTANDING
    assert facts["reserves_coverage_measured"].value is None
    assert facts["reserves_coverage_measured"].error.startswith("the issuer's shares held are unknown (")
    assert "404" in facts["reserves_coverage_measured"].error


def test_a_token_no_issuer_lists_has_no_measured_coverage(nodes, servers):
    rpc, api = servers
    overlay = dataclasses.replace(AAPLX, official=None)
    settings = settings_for(nodes, rpc, api)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await measured_outstanding(overlay, settings, http, REGISTRY)
        finally:
            await http.aclose()

    assert asyncio.run(go()) == {}


# The issuer's ratio against the measured one, at, just inside and just beyond the DQ-2/RS-2 tolerance
# (0.001): the gap is exact, never rounded across the boundary.
@pytest.mark.parametrize(
    ("circulating", "issuer_ratio", "gap"),
    [
        ("9027.927927927928", "0.999000", "0.001000"),  # at the tolerance
        ("9027.918890972081", "0.999001", "0.000999"),  # just inside
        ("9027.936964901867", "0.998999", "0.001001"),  # just beyond
        ("9009.890109890110", "1.001000", "-0.001000"),  # the issuer claims more than is measured
    ],
)
def test_the_gap_to_the_issuers_ratio_is_exact_at_the_tolerance(nodes, servers, circulating, issuer_ratio, gap):
    rpc, api = servers
    set_aaplx_reserves(api, shares_held="9018.9", circulating=circulating)
    facts = inspect_coverage(settings_for(nodes, rpc, api))
    assert facts["reserves_coverage_measured"].value == Decimal("1.000000")
    assert facts["reserves_coverage"].value == Decimal(issuer_ratio)
    assert facts["reserves_coverage_gap"].value == Decimal(gap)
    assert "reserves_coverage_measured − reserves_coverage" in facts["reserves_coverage_gap"].method


def test_a_shortfall_the_issuer_hides_shows_in_the_measured_ratio(nodes, servers):
    rpc, api = servers
    set_aaplx_reserves(api, shares_held="7014.7", circulating="7014.7")  # the issuer forgot Solana's float
    facts = inspect_coverage(settings_for(nodes, rpc, api))
    assert facts["reserves_coverage"].value == Decimal("1.000000")
    assert facts["reserves_coverage_measured"].value == Decimal("0.777778")  # 7014.7 ÷ 9018.9
    assert facts["reserves_coverage_gap"].value == Decimal("-0.222222")


def _fact(value, *, fetched_at=None) -> Fact:
    return Fact(value, "", "test", "", None, fetched_at or datetime(2026, 11, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("replace", "reason"),
    [
        (
            {"reserves_updated_at": Fact.unknown("implausible: ahead", unit="time", source="t", method="")},
            "implausible",
        ),
        ({"reserves_updated_at": _fact("yesterday")}, "'yesterday' is not a time"),
        ({"outstanding_measured_all_chains": _fact(Decimal(0))}, "no token is outstanding"),
    ],
)
def test_coverage_needs_a_proof_time_and_something_outstanding(replace, reason):
    facts = {
        "reserves_shares": _fact(Decimal(10)),
        "reserves_updated_at": _fact("2026-10-31T18:00:00.000Z"),
        "outstanding_measured_all_chains": _fact(Decimal(10)),
        **replace,
    }
    assert reason in coverage_facts(facts)["reserves_coverage_measured"].error


def test_without_issuer_reserves_there_is_nothing_to_cover():
    assert coverage_facts({"outstanding_measured_all_chains": _fact(Decimal(10))}) == {}


def test_an_unknown_issuer_ratio_makes_only_the_gap_unknown():
    facts = {
        "reserves_shares": _fact(Decimal(10)),
        "reserves_updated_at": _fact("2026-10-31T18:00:00.000Z"),
        "outstanding_measured_all_chains": _fact(Decimal(8)),
        "reserves_coverage": Fact.unknown("circulating supply is zero", unit="ratio", source="t", method=""),
    }
    out = coverage_facts(facts)
    assert out["reserves_coverage_measured"].value == Decimal("1.250000")
    assert out["reserves_coverage_measured"].fetched_at == datetime(2026, 10, 31, 18, tzinfo=UTC)
    assert "circulating supply is zero" in out["reserves_coverage_gap"].error


def test_a_chain_read_older_than_the_proof_sets_the_age():
    read_at = datetime(2026, 10, 31, 12, tzinfo=UTC)
    facts = {
        "reserves_shares": _fact(Decimal(10)),
        "reserves_updated_at": _fact("2026-10-31T18:00:00.000Z"),
        "outstanding_measured_all_chains": _fact(Decimal(10), fetched_at=read_at),
    }
    assert coverage_facts(facts)["reserves_coverage_measured"].fetched_at == read_at
