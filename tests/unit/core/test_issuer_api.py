import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from backcheck.core.adapters.xstocks import ENDPOINTS, FEEDS, XStocksApi, time_field
from backcheck.core.chains import chain_by_key
from backcheck.core.errors import SourceError
from backcheck.core.http import Http
from backcheck.core.issuer import issuer_facts
from backcheck.core.registry import Registry
from backcheck.core.registry_refresh import refresh
from tests.helpers.loopback_server import Reply
from tests.helpers.nvdax import setup_nvdax

REGISTRY = Registry.load()
NVDAX = next(t for t in REGISTRY.tokens if t.symbol == "NVDAx")


def run(api_url: str, job):
    async def go():
        http = Http(timeout=1, retries=1)
        try:
            return await job(XStocksApi(http, api_url))
        finally:
            await http.aclose()

    return asyncio.run(go())


def facts_for(api_url: str):
    return run(api_url, lambda api: issuer_facts(api, NVDAX, chain_by_key("solana"), REGISTRY.issuer("backed")))


def test_reserves_coverage_and_age(nvdax):
    _, api = nvdax
    facts, failures = facts_for(api.url)
    assert failures == []
    assert facts["reserves_shares"].value == Decimal(196869)
    assert facts["outstanding_all_chains"].value == Decimal("196340.26085951860836")
    assert facts["reserves_coverage"].value == (Decimal(196869) / Decimal("196340.26085951860836")).quantize(
        Decimal("0.000001")
    )
    assert facts["reserves_age_hours"].value == Decimal("6.0")
    assert facts["reserves_cadence_hours"].value == 24
    assert facts["reserves_coverage"].method == f"GET {api.url}/public/proof-of-reserves/NVDAx"
    assert facts["issuer_api_address"].value == "Xsc9qvGR1efVDFGLrVsmkzv3qi45LTBjeUKSPmx9qEh"
    assert facts["price_issuer"].value == Decimal("183.42")
    assert facts["market_trading_halted"].value is False
    assert [h["reason"] for h in facts["multiplier_history_issuer"].value] == ["Dividend", "Dividend"]


def test_scheduled_action_and_multiplier(solana_rpc, xstocks_api):
    setup_nvdax(solana_rpc, xstocks_api, pending=True)
    facts, _ = facts_for(xstocks_api.url)
    assert facts["multiplier_issuer_pending"].value == Decimal("1.0025")
    (action,) = facts["corporate_actions_upcoming"].value
    assert action["type"] == "CashDividend"
    assert facts["multiplier_issuer_reason"].value == "Dividend"


def test_a_failing_endpoint_makes_only_its_facts_unknown(nvdax):
    _, api = nvdax
    api.fault = lambda r: Reply(raw=b"<html>") if "proof-of-reserves" in r.path else None
    facts, failures = facts_for(api.url)
    assert not facts["reserves_coverage"].known
    assert "not valid JSON" in facts["reserves_coverage"].error
    assert facts["price_issuer"].known
    assert len(failures) == 1


def test_missing_quote_is_unknown_not_zero(nvdax):
    _, api = nvdax
    api.prices["NVDAx"] = {"quote": None}
    facts, _ = facts_for(api.url)
    assert facts["price_issuer"].value is None
    assert "no quote" in facts["price_issuer"].error


def test_registry_refresh_is_paged_from_zero_and_clean(xstocks_api):
    diff = run(xstocks_api.url, lambda api: refresh(api, REGISTRY))
    assert diff.clean
    pages = [p for p in xstocks_api.server.requests if p.path.endswith("/public/assets")]
    assert [p.query["page"] for p in pages] == [[str(i)] for i in range(len(pages))]
    assert len(pages) >= 6


def test_registry_refresh_reports_new_removed_changed(xstocks_api):
    assets = xstocks_api.assets
    aapl = next(a for a in assets if a["symbol"] == "AAPLx")
    eth = next(d for d in aapl["deployments"] if d["network"] == "Ethereum")
    eth["address"] = "0x1111111111111111111111111111111111111111"
    tsla = next(a for a in assets if a["symbol"] == "TSLAx")
    tsla["deployments"] = [d for d in tsla["deployments"] if d["network"] != "Ink"]
    assets.append(
        {
            "symbol": "NEWx",
            "name": "New xStock",
            "deployments": [
                {"network": "Solana", "address": "XsNew1111111111111111111111111111111111111"},
                {"network": "Tron", "address": "T123"},
            ],
        }
    )
    diff = run(xstocks_api.url, lambda api: refresh(api, REGISTRY))
    assert [(r.symbol, r.chain) for r in diff.new] == [("NEWx", "solana")]
    assert [(r.symbol, r.chain) for r in diff.removed] == [("TSLAx", "ink")]
    ((old, new),) = diff.changed
    assert (old.symbol, old.chain, new.address) == (
        "AAPLx",
        "ethereum",
        "0x1111111111111111111111111111111111111111",
    )
    assert diff.other_networks == ["Tron"]


def test_a_listing_that_never_ends_is_stopped(xstocks_api):
    xstocks_api.fault = lambda r: Reply({"nodes": [], "page": {"hasNextPage": True}}) if "assets" in r.path else None
    with pytest.raises(SourceError, match="more pages after 50"):
        run(xstocks_api.url, lambda api: refresh(api, REGISTRY))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-09-14T08:00:00.000Z", datetime(2026, 9, 14, 8, tzinfo=UTC)),
        (1789000200, datetime(2026, 9, 10, 0, 30, tzinfo=UTC)),
        (1789000200000, datetime(2026, 9, 10, 0, 30, tzinfo=UTC)),
        (0, None),
        (None, None),
    ],
)
def test_time_field(value, expected):
    assert time_field(value) == expected


def test_unreadable_time():
    with pytest.raises(SourceError, match="cannot be read"):
        time_field("next tuesday")


def test_a_read_writes_exactly_the_declared_facts(nvdax):
    _, api = nvdax
    facts, failures = facts_for(api.url)
    assert failures == []
    assert set(facts) == set(FEEDS)
    assert all(facts[k].known for k in FEEDS)


def test_an_error_document_sent_with_http_200_is_an_error_not_data(nvdax):
    _, api = nvdax
    api.fault = lambda r: (
        Reply({"statusCode": 404, "message": "Asset not found"}) if r.path.endswith("/public/assets/NVDAx") else None
    )
    facts, failures = facts_for(api.url)
    assert not facts["issuer_api_address"].known  # never "not listed on this chain"
    assert "answered with an error: 404 Asset not found" in facts["issuer_api_address"].error
    assert [endpoint for endpoint, _ in failures] == ["issuer_api_address"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sharesHeld", "NaN", "not a finite number"),
        ("sharesHeld", "Infinity", "not a finite number"),
        ("circulatingSupply", "-196340", "is negative"),
        ("sharesHeld", True, "not a number"),
        ("sharesHeld", {"value": 1}, "not a number"),
    ],
)
def test_an_amount_that_is_no_amount_makes_the_reserve_facts_unknown(nvdax, field, value, message):
    _, api = nvdax
    api.reserves["NVDAx"][field] = value
    facts, _ = facts_for(api.url)
    for key in ENDPOINTS["proof_of_reserves"]:
        assert not facts[key].known and message in facts[key].error, key
    assert facts["price_issuer"].known


@pytest.mark.parametrize(
    ("table", "doc"),
    [
        ("histories", {"nodes": ["not an object"]}),
        ("histories", {"nodes": [{"multiplier": [], "previousMultiplier": 1}]}),
        ("statuses", ["a list, not an object"]),
        ("reserves", {"sharesHeld": "1", "circulatingSupply": "1", "timestamp": 1e300}),
    ],
)
def test_answers_of_the_wrong_types_are_unknown_with_a_reason_not_a_traceback(nvdax, table, doc):
    _, api = nvdax
    getattr(api, table)["NVDAx"] = doc
    facts, failures = facts_for(api.url)
    assert len(failures) == 1
    endpoint = {"histories": "multiplier_history", "statuses": "system_status", "reserves": "proof_of_reserves"}[table]
    for key in ENDPOINTS[endpoint]:
        assert not facts[key].known and facts[key].error, key


def test_a_deployment_list_of_the_wrong_type_is_unknown(nvdax):
    _, api = nvdax
    api.fault = lambda r: Reply({"symbol": "NVDAx", "deployments": "Solana"}) if r.path.endswith("/NVDAx") else None
    facts, _ = facts_for(api.url)
    assert not facts["issuer_api_address"].known
    assert "is not the asset document of NVDAx" in facts["issuer_api_address"].error


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"data": [{"items": None}], "status": "ok"}, "is not the asset document of NVDAx"),
        ({"jsonrpc": "2.0", "id": 1, "error": {"code": -32000, "message": "x"}}, "is not the asset document of NVDAx"),
        ({"symbol": "AAPLx", "deployments": []}, "is not the asset document of NVDAx"),
        ({"symbol": "NVDAx", "deployments": [["Solana", "Xsc9"]]}, "a deployment without a network name"),
        ({"symbol": "NVDAx", "deployments": [{"network": "Solana", "address": 7}]}, "not text"),
    ],
    ids=["another shape", "a JSON-RPC error", "another asset", "a deployment of another shape", "a numeric address"],
)
def test_only_this_tokens_asset_document_can_say_not_listed(nvdax, doc, message):
    _, api = nvdax
    api.fault = lambda r: Reply(doc) if r.path.endswith("/public/assets/NVDAx") else None
    facts, failures = facts_for(api.url)
    fact = facts["issuer_api_address"]
    assert fact.value is None and message in fact.error
    assert [endpoint for endpoint, _ in failures] == ["issuer_api_address"]
