"""A failed source leaves every fact it feeds unknown with the reason, and nothing it feeds passes.

Table-driven over each source (Solana RPC, EVM RPC, xStocks API, Jupiter, reserve feed), each
failed alone in several ways and all failed together. Each case runs the real ``inspect()`` and
``evaluate()`` against the local servers and the anvil chains, then checks, for every rule in
``RULES``: a ``pass`` neither shows a failed fact as evidence nor read one as an input.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from backcheck.core.adapters import jupiter, reserve_feed, solana, xstocks
from backcheck.core.catalog import product_for
from backcheck.core.facts import Fact, utc_now
from backcheck.core.http import Http
from backcheck.core.lookup import Inspection, chain_feeds, inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.rules import RULES, RuleConfig, evaluate
from backcheck.core.rules.engine import Context
from backcheck.core.settings import Settings
from tests.conftest import CLOSED_PORT_URL
from tests.helpers.loopback_server import Reply
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.rpc_proxy import RpcProxy
from tests.helpers.solana_rpc import DEVNET_GENESIS, NVDAX

REGISTRY = Registry.load()
AAPLX_SOLANA = "XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp"
# Facts the orchestrator derives from others: a derived fact is as failed as any of its inputs.
# On EVM the reference price is the underlying's (balances are rebased); on Solana it needs the
# multiplier. The premium uses the market price when there is one, else the issuer's quote.
DERIVED = {
    "evm": {"reference_price": {"underlying_price"}, "reserves_feed_coverage": {"reserves_feed_answer", "float"}},
    "solana": {"reference_price": {"underlying_price", "multiplier"}},
}

FAULTS: dict[str, Callable[[Any], Reply | None]] = {
    "429": lambda request: Reply({"message": "Too many requests"}, status=429, headers={"Retry-After": "0"}),
    "500": lambda request: Reply({"message": "Internal server error"}, status=500),
    "malformed JSON": lambda request: Reply(raw=b'{"jsonrpc": "2.0", "result": {trunc'),
    "error document with HTTP 200": lambda request: Reply({"statusCode": 500, "message": "Internal server error"}),
    "wrong shape": lambda request: Reply([1, "two", None]),
    "JSON-RPC error": lambda request: Reply(
        {"jsonrpc": "2.0", "id": None, "error": {"code": -32005, "message": "Node is behind by 4000 slots"}}
    ),
}


@dataclasses.dataclass(frozen=True)
class Case:
    """One token inspected with some sources failed in one way."""

    query: str
    chain: str
    failed: dict[str, str]  # source → how it fails ("refused", a FAULTS key, "wrong chain")

    def __str__(self) -> str:
        failed = ", ".join(f"{source} {how}" for source, how in self.failed.items())
        return f"{self.query}/{self.chain}: {failed}"


CASES = [
    *(
        Case("NVDAx", "solana", {"solana_rpc": how})
        for how in ("refused", "429", "500", "malformed JSON", "wrong shape", "JSON-RPC error", "wrong chain")
    ),
    *(
        Case("NVDAx", "solana", {"xstocks": how})
        for how in ("refused", "500", "malformed JSON", "wrong shape", "error document with HTTP 200")
    ),
    *(Case("NVDAx", "solana", {"jupiter": how}) for how in ("refused", "500", "malformed JSON", "wrong shape")),
    *(
        Case("AAPLx", "ethereum", {"evm_rpc": how})
        for how in ("refused", "500", "malformed JSON", "JSON-RPC error", "wrong chain")
    ),
    Case("AAPLx", "ethereum", {"jupiter": "refused"}),
    *(Case("bIB01", "ethereum", {"reserve_feed": how}) for how in ("refused", "500", "wrong chain")),
    Case("NVDAx", "solana", {"solana_rpc": "refused", "xstocks": "refused", "jupiter": "refused"}),
    Case("AAPLx", "ethereum", {"evm_rpc": "refused", "xstocks": "refused", "jupiter": "refused"}),
    Case("bIB01", "ethereum", {"evm_rpc": "refused", "reserve_feed": "refused"}),
]


class Reads(dict[str, Fact]):
    """The inspection's facts, remembering every key a rule looks up (its inputs)."""

    def __init__(self, facts: dict[str, Fact]) -> None:
        super().__init__(facts)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Fact:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)


def rule_inputs(inspection: Inspection, config: RuleConfig) -> dict[str, set[str]]:
    """Run each rule on its own and record which facts it looked up."""
    inputs = {}
    product = product_for(inspection.target.token, config.catalog)
    for rule_id, _, function in RULES:
        reads = Reads(inspection.facts)
        function(Context(dataclasses.replace(inspection, facts=reads), REGISTRY, config, product, utc_now(), utc_now()))
        inputs[rule_id] = reads.read
    return inputs


def feeds_of(source: str, chain_kind: str) -> dict[str, str]:
    """Every fact a source feeds, from the adapters' own declarations."""
    if source == "jupiter" and chain_kind == "evm":
        return {k: u for k, u in jupiter.FEEDS.items() if k != "price"}  # the Solana token's price is not used
    return {
        "solana_rpc": solana.FEEDS,
        "evm_rpc": chain_feeds("evm"),
        "xstocks": xstocks.FEEDS,
        "jupiter": jupiter.FEEDS,
        "reserve_feed": reserve_feed.FEEDS,
    }[source]


def closure(failed: set[str], inspection: Inspection) -> set[str]:
    """Failed facts plus every derived fact computed from one."""
    market = inspection.facts.get("price")
    price = "price" if market is not None and market.known else "price_issuer"
    derived = DERIVED[inspection.target.chain.kind] | {"premium": {price, "reference_price"}}
    out = set(failed)
    while True:
        more = {key for key, inputs in derived.items() if inputs & out} - out
        if not more:
            return out
        out |= more


@pytest.fixture
def servers(request, solana_rpc, xstocks_api, jupiter_api):
    """Healthy local servers for every source; a case then breaks some of them."""
    setup_nvdax(solana_rpc, xstocks_api)
    for table in ("reserves", "multipliers", "histories", "statuses", "prices"):
        docs = getattr(xstocks_api, table)
        docs["AAPLx"] = copy.deepcopy(docs["NVDAx"])
    jupiter_api.prices[AAPLX_SOLANA] = copy.deepcopy(jupiter_api.prices[NVDAX])
    proxies: list[RpcProxy] = []
    yield {"solana": solana_rpc, "xstocks": xstocks_api, "jupiter": jupiter_api, "proxies": proxies}
    for proxy in proxies:
        proxy.close()


def configure(case: Case, servers: dict[str, Any], request: pytest.FixtureRequest) -> Settings:
    """Point each source at its local server, broken the way the case says."""
    settings = Settings.load()
    urls = {
        "solana_rpc": ("rpc.solana", servers["solana"].url),
        "xstocks": ("api.xstocks", servers["xstocks"].url),
        "jupiter": ("api.jupiter", servers["jupiter"].url),
    }
    if case.chain == "ethereum":
        ethereum = request.getfixturevalue("chain").url
        urls["evm_rpc"] = ("rpc.ethereum", ethereum)
        if case.query == "bIB01":
            urls["reserve_feed"] = ("rpc.polygon", request.getfixturevalue("polygon").url)
    for source, (key, url) in urls.items():
        how = case.failed.get(source)
        if how == "refused":
            url = CLOSED_PORT_URL
        elif how == "wrong chain" and source == "solana_rpc":
            servers["solana"].genesis = DEVNET_GENESIS
        elif how == "wrong chain" and source == "evm_rpc":
            url = request.getfixturevalue("polygon").url  # a Polygon node given as Ethereum's
        elif how == "wrong chain":
            url = urls["evm_rpc"][1]  # an Ethereum node given as Polygon's
        elif how is not None and source in ("xstocks", "jupiter", "solana_rpc"):
            servers[source.removesuffix("_rpc")].fault = FAULTS[how]
        elif how is not None:
            proxy = RpcProxy(url)
            proxy.fault = FAULTS[how]
            servers["proxies"].append(proxy)
            url = proxy.url
        settings.override(key, url)
    return settings


def run(case: Case, settings: Settings) -> Inspection:
    async def go() -> Inspection:
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, case.query, case.chain), settings, http, REGISTRY)
        finally:
            await http.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_failed_source_feeds_only_unknowns_and_no_pass(case, servers, request):
    inspection = run(case, configure(case, servers, request))
    kind = inspection.target.chain.kind
    failed: set[str] = set()
    for source in case.failed:
        feeds = feeds_of(source, kind)
        missing = sorted(set(feeds) - set(inspection.facts))
        assert not missing, f"{source} failed but these facts vanished instead of becoming unknown: {missing}"
        measured = sorted(k for k in feeds if inspection.facts[k].known)
        assert not measured, f"{source} failed but these facts look measured: {measured}"
        assert all(inspection.facts[k].error for k in feeds), f"{source}: an unknown fact without a reason"
        failed |= set(feeds)
    assert any(s.state == "failed" and s.error for s in inspection.sources), inspection.sources
    failed = closure(failed, inspection)

    config = RuleConfig.load()
    findings = evaluate(inspection, REGISTRY, config)
    inputs = rule_inputs(inspection, config)
    assert {rule_id for rule_id, _, _ in RULES} <= {f.id for f in findings}
    false_passes = {
        f.id: sorted((set(f.evidence) | inputs[f.id]) & failed)
        for f in findings
        if f.status == "pass" and f.id in inputs and (set(f.evidence) | inputs[f.id]) & failed
    }
    assert not false_passes, f"pass on facts fed by a failed source ({case}): {false_passes}"
    assert next(f for f in findings if f.id == "DQ-1").status != "pass"
