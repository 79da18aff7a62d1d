"""Issuers' token factories read live on anvil: the list, its block, the cache and the registry rows they make."""

import asyncio
import dataclasses
import json

import pytest
from eth_utils import keccak

from backcheck.core.adapters import factories as adapter
from backcheck.core.adapters.evm import EvmReader
from backcheck.core.chains import chain_by_key
from backcheck.core.errors import SourceError
from backcheck.core.http import Http
from backcheck.core.issuer_lists import (
    FACTORY_LIST,
    cache_path,
    cached_lists,
    factories,
    refresh_factories,
)
from backcheck.core.lookup import inspect, resolve
from backcheck.core.registry import THIRD_PARTY, Registry
from backcheck.core.report import make_report
from backcheck.core.settings import Settings
from tests.conftest import CLOSED_PORT_URL, isolated, start_node
from tests.helpers.evm import ACCOUNTS, Chain, calldata
from tests.helpers.rpc_proxy import RpcProxy, error
from tests.helpers.solc import compile_contracts

pytestmark = pytest.mark.chain
ART = compile_contracts()
DSHARES, STOCKS = ART["DShareFactoryLike"], ART["StockFactoryLike"]
DINARI_ETHEREUM = next(f for f in factories() if f.issuer == "dinari" and f.chain == "ethereum")
ROBINHOOD = next(f for f in factories() if f.issuer == "robinhood")


@pytest.fixture(scope="module")
def robinhood_node():
    node = start_node(4663)
    yield node
    node.stop()


@pytest.fixture
def robinhood(robinhood_node):
    yield from isolated(robinhood_node)


def dinari_on(chain) -> list[str]:
    """Dinari's Ethereum factory address holds this project's DShareFactoryLike, with two dShares and an EOA."""
    evm = Chain(chain.anvil)
    evm.set_code(DINARI_ETHEREUM.address, DSHARES["deployedBytecode"])
    for name, symbol in (("Apple Inc.", "AAPL.d"), ("Tesla, Inc.", "TSLA.d")):
        data = calldata(DSHARES, "createDShare(string,string,string,string)", name, symbol, f"w {name}", f"{symbol}w")
        evm.send(ACCOUNTS[0], DINARI_ETHEREUM.address, data)
    evm.send(
        ACCOUNTS[0], DINARI_ETHEREUM.address, calldata(DSHARES, "addDShare(address,address)", ACCOUNTS[5], ACCOUNTS[6])
    )
    shares, wrapped = evm.call(DINARI_ETHEREUM.address, DSHARES, "getDShares()", ["address[]", "address[]"])
    return [*shares, *wrapped]


def robinhood_on(chain) -> list[str]:
    """Robinhood's StockFactory address holds StockFactoryLike; two stocks deployed, one other event."""
    evm = Chain(chain.anvil)
    evm.set_code(ROBINHOOD.address, STOCKS["deployedBytecode"])
    stocks = []
    for n, (name, symbol) in enumerate((("Tesla • Robinhood Token", "TSLA"), ("Apple • Robinhood Token", "AAPL"))):
        receipt = evm.send(
            ACCOUNTS[0],
            ROBINHOOD.address,
            calldata(STOCKS, "deploy(bytes32,string,string)", bytes([n + 1]) * 32, name, symbol),
        )
        stocks.append("0x" + receipt["logs"][0]["data"][2 + 24 : 2 + 64])
    evm.send(ACCOUNTS[0], ROBINHOOD.address, calldata(STOCKS, "note(bytes32,address)", bytes(32), ACCOUNTS[3]))
    return stocks


def read(factory, url, chain_key=None):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await adapter.read_list(EvmReader(http, chain_by_key(chain_key or factory.chain), url), factory)
        finally:
            await http.aclose()

    return asyncio.run(go())


def settings_with(**rpcs) -> Settings:
    settings = Settings.load()
    for key, url in rpcs.items():
        settings.override(f"rpc.{key}", url)
    return settings


def refresh(settings, chains):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await refresh_factories(http, settings, chains)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_selector_and_topic_are_the_issuers_signatures():
    assert "0x" + keccak(text="getDShares()")[:4].hex() == adapter.GET_DSHARES
    assert "0x" + keccak(text="Deployed(bytes32,address,string,string)").hex() == adapter.DEPLOYED_TOPIC
    assert "0x" + DSHARES["methodIdentifiers"]["getDShares()"] == adapter.GET_DSHARES


def test_dshare_list_with_symbols_names_and_decimals_at_one_block(chain):
    listed = dinari_on(chain)
    found = read(DINARI_ETHEREUM, chain.url)
    head = int(chain.anvil.rpc("eth_blockNumber"), 16)
    assert found.block == head
    assert [t.address.lower() for t in found.tokens] == [a.lower() for a in listed]
    by_symbol = {t.symbol: t for t in found.tokens}
    assert by_symbol["AAPL.d"].name == "Apple Inc." and by_symbol["AAPL.d"].decimals == 18
    assert by_symbol["AAPL.dw"].wrapped and not by_symbol["AAPL.d"].wrapped
    eoa = next(t for t in found.tokens if t.address.lower() == ACCOUNTS[5].lower())
    assert (eoa.symbol, eoa.name, eoa.decimals) == (None, None, None)  # an account answers nothing: unknown
    assert f"at block {head}" in found.method and adapter.GET_DSHARES in found.method


def test_symbol_name_and_decimals_come_in_one_multicall_round_trip(chain):
    dinari_on(chain)
    proxy = RpcProxy(chain.url)
    try:
        read(DINARI_ETHEREUM, proxy.url)
    finally:
        proxy.close()
    assert proxy.calls == [
        ["eth_chainId", "eth_getBlockByNumber", "eth_getBlockByNumber"],
        ["eth_call"],  # getDShares()
        ["eth_call"],  # one Multicall3 call: every token's symbol, name and decimals
    ]


def test_stock_factory_deployed_events_only(robinhood):
    stocks = robinhood_on(robinhood)
    found = read(ROBINHOOD, robinhood.url)
    assert [t.address.lower() for t in found.tokens] == [s.lower() for s in stocks]  # the Noted event is no token
    assert [(t.symbol, t.decimals) for t in found.tokens] == [("TSLA", 18), ("AAPL", 18)]
    assert adapter.DEPLOYED_TOPIC in found.method


def test_a_refused_log_range_is_halved_until_the_node_answers(robinhood):
    stocks = robinhood_on(robinhood)
    proxy = RpcProxy(robinhood.url)

    def refuse_wide(item):
        if item["method"] == "eth_getLogs":
            span = int(item["params"][0]["toBlock"], 16) - int(item["params"][0]["fromBlock"], 16)
            if span > 2:
                return error(item, -32005, "query exceeds max block range")
        return None

    proxy.answer = refuse_wide
    try:
        found = read(ROBINHOOD, proxy.url)
    finally:
        proxy.close()
    assert [t.address.lower() for t in found.tokens] == [s.lower() for s in stocks]
    assert sum(m == "eth_getLogs" for call in proxy.calls for m in call) > 1


def always_refusing(url):
    proxy = RpcProxy(url)
    proxy.answer = lambda item: (
        error(item, -32005, "query exceeds max block range") if item["method"] == "eth_getLogs" else None
    )
    return proxy


def test_a_node_refusing_even_one_block_is_a_clear_error(robinhood):
    proxy = always_refusing(robinhood.url)
    try:
        with pytest.raises(SourceError, match="refused the factory's events"):
            read(ROBINHOOD, proxy.url)
    finally:
        proxy.close()


def test_a_node_that_keeps_refusing_is_left_after_a_bounded_number_of_requests(robinhood):
    robinhood.anvil.rpc("anvil_mine", hex(4 * adapter.MAX_LOG_REQUESTS))
    proxy = always_refusing(robinhood.url)
    try:
        with pytest.raises(SourceError, match="kept refusing eth_getLogs ranges"):
            read(ROBINHOOD, proxy.url)
    finally:
        proxy.close()
    asked = sum(m == "eth_getLogs" for call in proxy.calls for m in call)
    assert adapter.MAX_LOG_REQUESTS - adapter.LOGS_IN_FLIGHT < asked <= adapter.MAX_LOG_REQUESTS


def test_no_factory_at_the_address_is_a_clear_error(chain):
    with pytest.raises(SourceError, match="gave no dShare list"):
        read(DINARI_ETHEREUM, chain.url)


def test_a_node_of_another_chain_is_refused(chain):
    with pytest.raises(SourceError, match="serves Ethereum"):
        read(ROBINHOOD, chain.url)


def test_refresh_caches_each_list_with_its_block_and_the_registry_serves_it(chain, robinhood):
    listed = dinari_on(chain)
    stocks = robinhood_on(robinhood)
    results = refresh(settings_with(ethereum=chain.url, robinhood=robinhood.url), {"ethereum", "robinhood"})
    assert all(r.error is None for r in results), [r.error for r in results]
    doc = json.loads(cache_path().read_text())
    row = doc["lists"][DINARI_ETHEREUM.key]
    assert row["block"] == int(chain.anvil.rpc("eth_blockNumber"), 16) and row["block_time"] and row["fetched_at"]
    registry = Registry.load()
    dshare = resolve(registry, listed[0], "ethereum")
    assert dshare.official is True
    assert dshare.deployment.basis == FACTORY_LIST
    assert dshare.token.issuer_key == "dinari" and dshare.token.symbol == "AAPL.d"
    assert (
        DINARI_ETHEREUM.address in dshare.deployment.source
        and "dinaricrypto/sbt-deployments" in dshare.deployment.source
    )
    assert resolve(registry, "AAPL.d", "ethereum").address.lower() == listed[0].lower()
    stock = resolve(registry, stocks[0], "robinhood")
    assert stock.official is None  # only a third party names Robinhood's factory address
    assert stock.deployment.basis == THIRD_PARTY and "envio" in stock.deployment.listed_by


def test_a_failed_refresh_keeps_the_cached_list(chain):
    dinari_on(chain)
    refresh(settings_with(ethereum=chain.url), {"ethereum"})
    before = cached_lists()
    results = refresh(settings_with(ethereum=CLOSED_PORT_URL), {"ethereum"})
    assert results[0].found is None and results[0].error
    assert cached_lists() == before and before


@pytest.mark.parametrize(
    "content", ["", "{", '{"schema": "other", "lists": {}}', '{"schema": "backcheck.issuer-lists/1"}', "[]"]
)
def test_a_damaged_cache_is_no_list(content):
    cache_path().parent.mkdir(parents=True, exist_ok=True)
    cache_path().write_text(content)
    assert cached_lists() == []
    assert all(t.issuer_key != "dinari" for t in Registry.load().tokens)


GOOD_TOKEN = {"address": "0x" + "12" * 20, "symbol": "A.d", "name": "A", "decimals": 18, "wrapped": False}


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"address": "0x12"},
        {"address": "0x" + "zz" * 20},
        {"symbol": 5},
        {"name": ["x"]},
        {"decimals": 37},
        {"decimals": -1},
        {"decimals": True},
        {"wrapped": "no"},
        {"extra": 1},
    ],
    ids=[
        "good",
        "short-address",
        "not-hex-address",
        "symbol",
        "name",
        "decimals-37",
        "decimals-negative",
        "decimals-bool",
        "wrapped",
        "extra",
    ],
)
def test_a_damaged_cached_token_drops_the_list(change):
    cache_path().parent.mkdir(parents=True, exist_ok=True)
    row = {"block": 1, "block_time": "x", "fetched_at": "2026-11-30T00:00:00.000Z", "rpc": "x", "method": "x"}
    doc = {
        "schema": "backcheck.issuer-lists/1",
        "lists": {DINARI_ETHEREUM.key: {**row, "tokens": [GOOD_TOKEN | change]}},
    }
    cache_path().write_text(json.dumps(doc))
    found = cached_lists()
    assert (len(found) == 1) is (not change)
    tokens = [t for t in Registry.load().tokens if t.issuer_key == "dinari"]
    assert [(t.symbol, t.official) for t in tokens] == ([("A.d", True)] if not change else [])


def test_inspecting_a_factory_token_reports_it_official_with_its_factory(chain):
    listed = dinari_on(chain)
    settings = settings_with(ethereum=chain.url)
    refresh(settings, {"ethereum"})
    registry = Registry.load()
    target = resolve(registry, listed[0], "ethereum")

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(target, settings, http, registry)
        finally:
            await http.aclose()

    report = make_report(asyncio.run(go()), registry).document
    token = report["token"]
    assert (token["official"], token["basis"], token["issuer"]) == (True, FACTORY_LIST, "Dinari, Inc. (dShares)")
    assert DINARI_ETHEREUM.address in token["registry_source"]
    id1 = next(f for f in report["findings"] if f["id"] == "ID-1")
    assert id1["status"] == "pass", id1


def test_the_committed_factories_file_is_the_build_of_its_sources():
    import importlib.util

    from tests.helpers.paths import ROOT

    spec = importlib.util.spec_from_file_location("build_factories", ROOT / "tools" / "build_factories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = json.loads((ROOT / "resources" / "registry" / "factories.json").read_text())
    assert module.build() == committed
    official = {(f["issuer"], f["chain"]) for f in committed["factories"] if f["basis"] == "issuer"}
    assert official == {("dinari", c) for c in ("ethereum", "kinto", "blast", "arbitrum", "plume")}
    assert {f.chain for f in factories()} <= {
        c for c in ("ethereum", "kinto", "blast", "arbitrum", "plume", "base", "robinhood")
    }
    assert all(dataclasses.asdict(f)["source"] for f in factories())


def test_a_factory_list_outranks_a_third_party_listing_of_the_same_address():
    """The issuer's factory names SBET's Ethereum address (a third party lists it too): the factory's row wins."""
    third_party = next(
        d.address
        for t in Registry.load().tokens
        if t.official is None
        for d in t.deployments
        if d.chain.key == "ethereum"
    )
    cache_path().parent.mkdir(parents=True, exist_ok=True)
    row = {"block": 1, "block_time": "x", "fetched_at": "2026-11-30T00:00:00.000Z", "rpc": "x", "method": "x"}
    token = GOOD_TOKEN | {"address": third_party}
    doc = {"schema": "backcheck.issuer-lists/1", "lists": {DINARI_ETHEREUM.key: {**row, "tokens": [token]}}}
    cache_path().write_text(json.dumps(doc))
    target = resolve(Registry.load(), third_party, "ethereum")
    assert target.official is True and target.deployment.basis == FACTORY_LIST
