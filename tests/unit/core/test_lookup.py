import asyncio
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from backcheck.core import coverage
from backcheck.core.adapters import jupiter, reserve_feed, xstocks
from backcheck.core.errors import BadInput, SourceError
from backcheck.core.facts import Fact
from backcheck.core.http import Http
from backcheck.core.lookup import chain_feeds, derived_facts, inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.solana_rpc import NVDAX

AAPLX = "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a"


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


def test_symbol_and_chain(registry):
    target = resolve(registry, "AAPLx", "eth")
    assert (target.chain.key, target.address, target.official) == ("ethereum", AAPLX, True)


def test_address_listed_on_several_chains_needs_a_chain(registry):
    with pytest.raises(BadInput, match="Choose the chain.*arbitrum"):
        resolve(registry, AAPLX.lower(), None)


def test_unlisted_address_is_not_official(registry):
    target = resolve(registry, "0x8a791620dd6260079bf849dc5567adc3f2fdc318", "ethereum")
    assert target.official is False and target.token is None


@pytest.mark.parametrize(
    ("query", "chain", "message"),
    [
        ("ZZZZQ", None, "No token matches 'ZZZZQ'"),
        ("!!!", None, "No token matches"),
        ("", None, "Type a ticker"),
        ("AAPLx", None, "on several chains .*choose one with --chain"),
        ("AAPL", "ethereum", re.escape("matches several tokens: AAPLon (Ondo Global Markets), AAPLx (Backed Assets)")),
        (AAPLX, "solana", "is an EVM address .* but Solana was chosen"),
        ("XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp", "ethereum", "looks like a Solana address"),
        ("0x9D275685dC284C8eB1C79f6ABA7a63Dc75ec890a", "ethereum", "invalid EIP-55 checksum"),
        ("AAPLx", "moonchain", "Unknown chain 'moonchain'"),
    ],
)
def test_bad_input_has_one_clear_sentence(registry, query, chain, message):
    with pytest.raises(BadInput, match=message):
        resolve(registry, query, chain)


def test_unreachable_rpc_makes_facts_unknown_with_reason(registry):
    settings = Settings.load()
    settings.override("rpc.ethereum", "http://127.0.0.1:9")

    async def go():
        http = Http(retries=0)
        try:
            return await inspect(resolve(registry, "AAPLx", "ethereum"), settings, http, registry)
        finally:
            await http.aclose()

    result = asyncio.run(go())
    assert not result.reached_any_source
    assert result.sources[0].state == "failed"
    chain_facts = [f for f in result.facts.values() if f.source.startswith("EVM RPC")]
    assert chain_facts
    assert all(f.value is None and "Could not reach" in f.error for f in chain_facts)


def inspect_on_anvil(registry, query: str, **urls: str):
    settings = Settings.load()
    for key, url in urls.items():
        settings.override(key.replace("__", "."), url)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(registry, query, "ethereum"), settings, http, registry)
        finally:
            await http.aclose()

    return asyncio.run(go())


# Facts no adapter reads: the orchestrator derives them, or the NYSE calendar gives them.
LOCAL = {
    "market_session",
    "reference_price",
    "premium",
    "reserves_feed_coverage",
    "reserves_coverage_measured",
    "reserves_coverage_gap",
}


def test_an_evm_read_writes_exactly_the_declared_facts(registry, chain, solana_rpc, xstocks_api, jupiter_api):
    """Every key comes from some adapter's FEEDS, and every declared chain fact is there."""
    setup_nvdax(solana_rpc, xstocks_api)
    for table in ("reserves", "multipliers", "histories", "statuses", "prices"):
        getattr(xstocks_api, table)["AAPLx"] = getattr(xstocks_api, table)["NVDAx"]
    result = inspect_on_anvil(
        registry, "AAPLx", rpc__ethereum=chain.url, api__xstocks=xstocks_api.url, api__jupiter=jupiter_api.url
    )
    declared = chain_feeds("evm") | xstocks.FEEDS | jupiter.FEEDS | coverage.FEEDS
    assert set(result.facts) - LOCAL <= set(declared), sorted(set(result.facts) - LOCAL - set(declared))
    assert set(chain_feeds("evm")) <= set(result.facts)
    assert result.facts["authority_changes_30d"].known  # evm_history
    assert "source_verified" in result.facts  # explorers (unknown here: no explorer runs locally)


def test_a_reserve_feed_read_writes_exactly_the_declared_facts(registry, chain, polygon):
    result = inspect_on_anvil(registry, "bIB01", rpc__ethereum=chain.url, rpc__polygon=polygon.url)
    feed_facts = {k for k, f in result.facts.items() if k.startswith("reserves_feed") and k != "reserves_feed_coverage"}
    assert feed_facts == set(reserve_feed.FEEDS)
    assert all(result.facts[k].known for k in reserve_feed.FEEDS)


def test_a_price_read_writes_every_declared_fact(jupiter_api):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await jupiter.price_facts(http, jupiter_api.url, NVDAX)
        finally:
            await http.aclose()

    assert set(asyncio.run(go())) == set(jupiter.FEEDS)
    del jupiter_api.prices[NVDAX]["stockData"]
    facts = asyncio.run(go())
    assert set(facts) == set(jupiter.FEEDS)
    assert facts["price"].known
    assert "no stockData" in facts["underlying_price"].error


@pytest.mark.parametrize(("field", "value"), [("usdPrice", "NaN"), ("usdPrice", -1.0), ("usdPrice", "Infinity")])
def test_a_price_that_is_no_amount_is_refused(jupiter_api, field, value):
    jupiter_api.prices[NVDAX][field] = value

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await jupiter.price_facts(http, jupiter_api.url, NVDAX)
        finally:
            await http.aclose()

    with pytest.raises(SourceError, match="usdPrice"):
        asyncio.run(go())


@pytest.mark.parametrize(("chain_kind", "priced"), [("solana", False), ("evm", True)])
def test_without_the_multiplier_a_solana_reference_price_is_not_made_up(chain_kind, priced):
    now = datetime(2026, 3, 2, tzinfo=UTC)
    facts = {
        "underlying_price": Fact(Decimal("183.5"), "USD", "Jupiter", "GET", None, now),
        "price": Fact(Decimal("184"), "USD", "Jupiter", "GET", None, now),
        "multiplier": Fact.unknown("the RPC failed", unit="shares per raw token", source="Solana RPC", method=""),
    }
    derived = derived_facts(facts, "one chain", chain_kind)
    assert ("reference_price" in derived, "premium" in derived) == (priced, priced)


def longest_chain(spans: list[tuple[float, float, list[str]]]) -> list[list[str]]:
    """The longest run of requests each sent after the one before was answered (the critical path)."""
    ordered = sorted(spans)
    best: list[list[int]] = []
    for i, (start, _, _) in enumerate(ordered):
        before = [best[j] for j in range(i) if ordered[j][1] <= start]
        best.append([*max(before, key=len, default=[]), i])
    return [ordered[i][2] for i in max(best, key=len, default=[])]


@pytest.mark.chain
def test_a_whole_evm_report_waits_for_three_round_trips(registry, chain):
    """Round 1 carries the chain id and the head with every token read; the rest runs side by side."""
    from tests.helpers.rpc_proxy import RpcProxy

    proxy = RpcProxy(chain.url, latency=0.2)  # long enough that side-by-side requests always overlap
    try:
        result = inspect_on_anvil(registry, "AAPLx", rpc__ethereum=proxy.url, holders__method="logs")
    finally:
        proxy.close()
    assert result.facts["holders_count"].known and result.facts["authority_changes_30d"].known
    path = longest_chain(proxy.spans)
    assert len(path) == 3, path
    first, *later = sorted(proxy.spans)
    assert first[2][:3] == ["eth_chainId", "eth_getBlockByNumber", "eth_getBlockByNumber"]
    assert "eth_call" in first[2] and "eth_getStorageAt" in first[2]
    # Round 2: the power holders, the holders' log scan, CT-9's scan and the coverage's read, all at once.
    second = [methods for start, _, methods in later if start < first[1] + 0.2]
    assert sum("eth_getLogs" in m for m in second) == 2 and len(second) == 4, second
    assert not any("eth_chainId" in m or m == ["eth_blockNumber"] for _, _, m in later)
