"""EVM holders from logs (incremental, cached, resilient) and from explorer APIs."""

import asyncio
import dataclasses
from decimal import Decimal

import pytest

from backcheck.core.adapters import explorers
from backcheck.core.adapters.evm import EvmReader
from backcheck.core.adapters.evm_powers import read_powers
from backcheck.core.chains import chain_by_key
from backcheck.core.errors import SourceError
from backcheck.core.evm_holders import FEEDS, holder_facts
from backcheck.core.http import Http
from backcheck.core.logscan import TRANSFER_SHARES, LogCache, Scanner
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings, cache_dir
from tests.conftest import start_node
from tests.helpers.evm import ACCOUNTS, Chain, calldata
from tests.helpers.loopback_server import LoopbackServer, Reply
from tests.helpers.rpc_proxy import RpcProxy, error
from tests.helpers.solc import compile_contracts
from tests.helpers.transfers import generate

pytestmark = pytest.mark.chain
REGISTRY = Registry.load()
TOKEN = compile_contracts()["BackedAutoFeeToken"]
INVENTORY = "0x5F7A4c11bde4f218f0025Ef444c369d838ffa2aD"


def settings(**values) -> Settings:
    s = Settings.load()
    s.override("logs.confirmations", "0")
    for key, value in values.items():
        s.override(key.replace("__", "."), value)
    return s


def read_holders(url: str, token: str, s: Settings):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            reader = EvmReader(http, chain_by_key("ethereum"), url)
            facts = await read_powers(reader, token, [INVENTORY])
            head = facts["total_supply"].block
            return facts, *(await holder_facts(reader, s, token, facts, REGISTRY.label, head))
        finally:
            await http.aclose()

    return asyncio.run(go())


def scan(url: str, token: str, **scanner_args):
    async def go():
        http = Http(timeout=5, retries=0)
        cache = LogCache(cache_dir() / "logs.sqlite")
        try:
            head = int(
                (await http.post_json(url, {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber"}))["result"], 16
            )
            return await Scanner(http, url, cache, **scanner_args).scan(1, token, TRANSFER_SHARES, head)
        finally:
            cache.close()
            await http.aclose()

    return asyncio.run(go())


def balance_shares(chain, holder: str) -> int:
    return Chain(chain.anvil).call(chain.addresses["aaplx"], TOKEN, "sharesOf(address)", ["uint256"], holder)


def test_holders_from_logs_with_the_inventory_labelled(chain):
    _, found, used, _ = read_holders(chain.url, chain.addresses["aaplx"], settings(holders__method="logs"))
    assert used == "logs"
    holders = found["holders"].value
    assert holders[0]["owner"].lower() == INVENTORY.lower()
    assert "inventory" in holders[0]["label"].lower()
    assert found["holders_count"].value == 6
    assert found["holders_sum_check"].value == "matches"
    # Float = 1,002.1 tokens; the largest ordinary holder is account 5 (shares × 1.0021 of it).
    largest = Decimal(balance_shares(chain, ACCOUNTS[5])) / 10**18 * Decimal("1.0021")
    assert found["holders_top1_share"].value == (largest / Decimal("1002.1")).quantize(Decimal("0.000001"))
    assert "eth_getLogs" in found["holders_top1_share"].method
    assert found["holders_hhi"].unit.endswith("over every holder")


def test_auto_falls_back_to_logs_when_explorers_fail(chain):
    _, found, used, failures = read_holders(chain.url, chain.addresses["aaplx"], settings())
    assert used == "logs"
    assert any(f.startswith("blockscout:") for f in failures)
    assert any(f.startswith("ethplorer:") for f in failures)
    assert "goldrush: no GoldRush key in the keyring" in failures
    assert found["holders_count"].value == 6


def test_rescan_reads_only_new_blocks(chain):
    token = chain.addresses["aaplx"]
    first = scan(chain.url, token)
    assert first.logs > 0
    again = scan(chain.url, token)
    assert (again.logs, again.requests) == (0, 0)
    Chain(chain.anvil).transact(ACCOUNTS[6], token, TOKEN, "transfer(address,uint256)", ACCOUNTS[7], 10**18)
    third = scan(chain.url, token)
    assert third.resumed_from == first.scanned_to + 1
    assert third.logs == 1
    assert third.balances[ACCOUNTS[7].lower()] == balance_shares(chain, ACCOUNTS[7])


def test_node_that_caps_log_ranges(chain):
    proxy = RpcProxy(chain.url)

    def cap(item):
        if item["method"] == "eth_getLogs":
            f = item["params"][0]
            if int(f["toBlock"], 16) - int(f["fromBlock"], 16) + 1 > 5:
                return error(item, -32005, "query exceeds max block range 5")
        return None

    proxy.answer = cap
    try:
        capped = scan(proxy.url, chain.addresses["aaplx"], chunk=64)
    finally:
        proxy.close()
    assert capped.balances[INVENTORY.lower()] == balance_shares(chain, INVENTORY)
    assert capped.balances[ACCOUNTS[6].lower()] == balance_shares(chain, ACCOUNTS[6])


def test_error_mid_scan_keeps_progress_and_resumes(chain):
    from backcheck.core.errors import SourceError

    proxy = RpcProxy(chain.url)
    seen = []

    def fail_later(item):
        if item["method"] == "eth_getLogs":
            seen.append(item)
            if len(seen) > 3:
                return error(item, -32603, "internal error: database is locked")
        return None

    proxy.answer = fail_later
    try:
        with pytest.raises(SourceError, match="stopped at block .* the next run resumes there"):
            scan(proxy.url, chain.addresses["aaplx"], chunk=4, in_flight=1)
    finally:
        proxy.close()
    resumed = scan(chain.url, chain.addresses["aaplx"])
    assert resumed.resumed_from > resumed.deploy_block
    assert resumed.balances[INVENTORY.lower()] == balance_shares(chain, INVENTORY)


def test_a_hundred_thousand_transfers_among_ten_thousand_holders(tmp_path):
    node = start_node(1)
    try:
        import json

        from tests.helpers.paths import ADDRESSES

        addresses = json.loads(ADDRESSES.read_text())
        chain = Chain(node)
        generate(chain, addresses["aaplx"], TOKEN, addresses["roles"]["minter"], 10_000, 100_000)
        result = scan(node.url, addresses["aaplx"])
        assert result.logs >= 100_000
        holders = [h for h in result.balances if h.startswith("0x") and h not in {a.lower() for a in ACCOUNTS}]
        assert len(holders) >= 10_000
        for probe in (holders[0], holders[-1], ACCOUNTS[0]):
            assert result.balances[probe.lower()] == chain.call(
                addresses["aaplx"], TOKEN, "sharesOf(address)", ["uint256"], probe
            )
        again = scan(node.url, addresses["aaplx"])
        assert again.requests == 0
    finally:
        node.stop()


@pytest.fixture
def explorer():
    server = LoopbackServer({})
    yield server
    server.close()


def test_blockscout_holders(chain, explorer):
    token = chain.addresses["aaplx"]
    explorer.routes[("GET", f"/api/v2/tokens/{token}/holders")] = lambda r: Reply(
        {
            "items": [
                {
                    "address": {"hash": INVENTORY, "is_contract": False},
                    "value": str(9018_900000000000000000),
                    "token_id": None,
                },
                {
                    "address": {"hash": ACCOUNTS[5], "is_contract": False},
                    "value": str(491_029000000000000000),
                    "token_id": None,
                },
            ],
            "next_page_params": None,
        }
    )
    explorer.routes[("GET", f"/api/v2/tokens/{token}/counters")] = lambda r: Reply(
        {"token_holders_count": "6", "transfers_count": "22"}
    )
    _, found, used, _ = read_holders(chain.url, token, settings(explorer__blockscout__ethereum=explorer.url))
    assert used == "blockscout"
    assert found["holders_count"].value == 6
    assert found["holders"].value[0]["label"]
    assert found["holders_top1_share"].value == Decimal("0.490000")
    assert found["holders_top1_share"].source.startswith(f"blockscout ({explorer.url}")
    # Declared facts, less the sum check: an explorer's first page cannot be added up to the supply.
    assert set(found) == set(FEEDS) - {"holders_sum_check"}


def test_ethplorer_freekey(chain, explorer):
    token = chain.addresses["aaplx"]
    explorer.routes[("GET", f"/getTopTokenHolders/{token}")] = lambda r: Reply(
        {
            "holders": [
                {
                    "address": ACCOUNTS[5].lower(),
                    "balance": 491.029,
                    "share": 49.0,
                    "rawBalance": "491029000000000000000",
                }
            ]
        }
    )
    explorer.routes[("GET", f"/getTokenInfo/{token}")] = lambda r: Reply({"holdersCount": 6, "decimals": "18"})
    _, found, used, _ = read_holders(
        chain.url, token, settings(holders__method="ethplorer", api__ethplorer=explorer.url)
    )
    assert used == "ethplorer"
    assert explorer.requests[0].query["apiKey"] == ["freekey"]
    assert found["holders_count"].value == 6
    assert "a lower bound" in found["holders_hhi"].unit


def test_goldrush_key_comes_from_the_keyring(chain, explorer, memory_keyring):
    token = chain.addresses["aaplx"]
    memory_keyring.set_password("backcheck", "goldrush", "gr-secret")
    explorer.routes[("GET", f"/v1/eth-mainnet/tokens/{token}/token_holders_v2/")] = lambda r: Reply(
        {
            "data": {
                "items": [{"address": ACCOUNTS[5], "balance": "491029000000000000000"}],
                "pagination": {"has_more": True, "page_number": 0, "total_count": 6},
            }
        }
    )
    _, found, used, _ = read_holders(chain.url, token, settings(holders__method="goldrush", api__goldrush=explorer.url))
    assert used == "goldrush"
    assert explorer.requests[0].headers["Authorization"] == "Bearer gr-secret"
    assert "gr-secret" not in found["holders"].method


@pytest.mark.parametrize(("impl_verified", "expected"), [(True, "pass"), (False, "warning")])
def test_verified_source_via_blockscout(chain, explorer, impl_verified, expected):
    from backcheck.core.addresses import evm_checksum
    from backcheck.core.lookup import inspect, resolve
    from backcheck.core.rules import RuleConfig, evaluate

    token, implementation = chain.addresses["aaplx"], chain.addresses["aaplx_implementation"]
    for address, verified in ((token, True), (implementation, impl_verified)):
        for form in {address, address.lower(), evm_checksum(address)}:
            explorer.routes[("GET", f"/api/v2/smart-contracts/{form}")] = lambda r, v=verified: Reply(
                {"is_verified": v, "name": "TransparentProxy"}
            )
    s = settings(holders__method="logs", explorer__blockscout__ethereum=explorer.url, rpc__ethereum=chain.url)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, "AAPLx", "ethereum"), s, http, REGISTRY)
        finally:
            await http.aclose()

    result = asyncio.run(go())
    assert result.facts["source_verified"].value is impl_verified
    assert "smart-contracts" in result.facts["source_verified"].method
    id3 = next(f for f in evaluate(result, REGISTRY, RuleConfig.load()) if f.id == "ID-3")
    assert id3.status == expected


def test_verification_unknown_when_the_explorer_is_down(chain):
    from backcheck.core.lookup import inspect, resolve

    s = settings(holders__method="logs", rpc__ethereum=chain.url)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, "AAPLx", "ethereum"), s, http, REGISTRY)
        finally:
            await http.aclose()

    fact = asyncio.run(go()).facts["source_verified"]
    assert fact.value is None
    assert "the explorer could not tell" in fact.error


def read_holders_with_supply(url: str, token: str, s: Settings, scale: int):
    """Holders judged against a total supply a lying node multiplied by ``scale``."""

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            reader = EvmReader(http, chain_by_key("ethereum"), url)
            facts = await read_powers(reader, token, [INVENTORY])
            supply = facts["total_supply"]
            facts["total_supply"] = dataclasses.replace(supply, value=supply.value * scale)
            return await holder_facts(reader, s, token, facts, REGISTRY.label, supply.block)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_a_log_scan_writes_exactly_the_declared_facts(chain):
    _, found, _, _ = read_holders(chain.url, chain.addresses["aaplx"], settings(holders__method="logs"))
    assert set(found) == set(FEEDS)


@pytest.mark.parametrize("scale", [1000, 1])
def test_balances_that_do_not_add_up_to_the_supply_make_the_holders_unknown(chain, scale):
    found, _, _ = read_holders_with_supply(chain.url, chain.addresses["aaplx"], settings(holders__method="logs"), scale)
    assert found["holders_sum_check"].known
    if scale == 1:
        assert found["holders_sum_check"].value == "matches"
        assert found["holders_top1_share"].known and found["holders_count"].value == 6
        return
    assert found["holders_sum_check"].value.startswith("differs: Σ balances")
    for key in set(FEEDS) - {"holders_sum_check"}:
        assert not found[key].known, key
        assert "add up to" in found[key].error and "at the same block" in found[key].error


def test_unconfirmed_blocks_are_read_fresh_and_never_cached(chain):
    """A chain younger than logs.confirmations: every block is read, none is cached."""
    token = chain.addresses["aaplx"]
    _, found, used, _ = read_holders(chain.url, token, settings(holders__method="logs", logs__confirmations="10000"))
    assert used == "logs"
    assert found["holders_count"].value == 6
    assert found["holders_sum_check"].value == "matches"
    cache = LogCache(cache_dir() / "logs.sqlite")
    try:
        assert cache.load(1, token.lower(), TRANSFER_SHARES) is None
    finally:
        cache.close()


def test_a_cache_folder_that_is_a_file_makes_only_the_holders_unknown(chain, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("BACKCHECK_CACHE_DIR", str(blocker))
    facts, found, _, failures = read_holders(chain.url, chain.addresses["aaplx"], settings(holders__method="logs"))
    assert facts["total_supply"].known
    assert not found["holders_top1_share"].known
    assert "log-scan cache cannot be opened" in found["holders_top1_share"].error
    assert any("cache" in f for f in failures)


def test_balances_that_do_not_add_up_give_the_holder_source_its_reason(chain):
    _, _, failures = read_holders_with_supply(
        chain.url, chain.addresses["aaplx"], settings(holders__method="logs"), 1000
    )
    assert len(failures) == 1 and failures[0].startswith("logs: the balances rebuilt from logs add up to")


def blockscout_listing(explorer, token: str, rows: list[tuple[str, int]], count: int, **extra) -> None:
    """Serve a Blockscout holders page of ``rows`` (address, raw balance) with a holder count."""
    items = [{"address": {"hash": a, "is_contract": False}, "value": str(b), "token_id": None} for a, b in rows]
    explorer.routes[("GET", f"/api/v2/tokens/{token}/holders")] = lambda r: Reply(
        {"items": items, "next_page_params": None, **extra}
    )
    explorer.routes[("GET", f"/api/v2/tokens/{token}/counters")] = lambda r: Reply({"token_holders_count": str(count)})


def chain_holders(chain, token: str) -> list[tuple[str, int]]:
    """Every holder of the token with its balanceOf (raw, rebased) on the test chain."""
    holders = [INVENTORY, *ACCOUNTS]
    found = [
        (h, int(chain.anvil.rpc("eth_call", {"to": token, "data": calldata(TOKEN, "balanceOf(address)", h)}), 16))
        for h in holders
    ]
    return sorted(((h, b) for h, b in found if b), key=lambda row: -row[1])


@pytest.mark.parametrize(
    ("lie", "complete", "message"),
    [
        (lambda rows: [(a, b // 10**6) for a, b in rows], False, "balanceOf on chain says"),
        (lambda rows: [(a, b // 10**6) for a, b in rows], True, "every holder's balances add up to"),
        (lambda rows: rows[1:], True, "every holder's balances add up to"),
        (lambda rows: [(a, b * 2) for a, b in rows], False, "the listed balances add up to"),
        (lambda rows: [("0x1234", rows[0][1]), *rows[1:]], True, "not 0x and 40 hex digits"),
    ],
    ids=["a page divided by 10^6", "all divided by 10^6", "the largest left out", "twice the supply", "not an address"],
)
def test_an_explorer_listing_the_chain_contradicts_is_refused(chain, explorer, lie, complete, message):
    token = chain.addresses["aaplx"]
    rows = lie(chain_holders(chain, token))
    blockscout_listing(explorer, token, rows, len(rows), **({} if complete else {"next_page_params": {"page": 2}}))
    _, found, used, failures = read_holders(
        chain.url, token, settings(holders__method="blockscout", explorer__blockscout__ethereum=explorer.url)
    )
    assert used == "blockscout"
    assert not found["holders_top1_share"].known and not found["holders_count"].known
    assert len(failures) == 1 and failures[0].startswith("blockscout: ") and message in failures[0], failures


def test_an_explorer_listing_the_chain_confirms_is_used(chain, explorer):
    token = chain.addresses["aaplx"]
    rows = chain_holders(chain, token)
    blockscout_listing(explorer, token, rows, len(rows))
    _, found, used, failures = read_holders(
        chain.url, token, settings(holders__method="blockscout", explorer__blockscout__ethereum=explorer.url)
    )
    assert (used, failures) == ("blockscout", [])
    assert found["holders_count"].value == len(rows) and "over every holder" in found["holders_top1_share"].unit


@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_a_verification_flag_that_is_not_true_or_false_is_unknown(chain, explorer, flag):
    token = chain.addresses["aaplx"]
    explorer.routes[("GET", f"/api/v2/smart-contracts/{token}")] = lambda r: Reply({"is_verified": flag})

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await explorers.source_verified(http, explorer.url, [token])
        finally:
            await http.aclose()

    with pytest.raises(SourceError, match="no true or false in 'is_verified'"):
        asyncio.run(go())


@pytest.mark.parametrize(
    ("answer", "verified"),
    [
        ({"deployed_bytecode": "0x6080", "creation_bytecode": "0x6080"}, False),  # Blockscout's unverified answer
        ({"creation_status": "success"}, False),
        ({"is_verified": True, "deployed_bytecode": "0x6080"}, True),
        ({"message": "Not found"}, None),  # neither the flag nor bytecode: not an answer about the source
    ],
)
def test_blockscouts_answer_for_an_unverified_contract_is_not_verified(chain, explorer, answer, verified):
    token = chain.addresses["aaplx"]
    explorer.routes[("GET", f"/api/v2/smart-contracts/{token}")] = lambda r: Reply(answer)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await explorers.source_verified(http, explorer.url, [token])
        finally:
            await http.aclose()

    if verified is None:
        with pytest.raises(SourceError, match="did not answer like Blockscout v2"):
            asyncio.run(go())
    else:
        assert asyncio.run(go())[0] is verified


@pytest.mark.parametrize("deployed", [0, 1, 16, 17, 123_456, 999_999, 1_000_000])
def test_the_deploy_block_is_found_with_sixteen_probes_per_round_trip(chain, deployed):
    """A node with history (code from ``deployed`` on): the first block with code, in ≤ 6 round trips for 10^6 blocks."""
    from backcheck.core.logscan import deploy_block
    from tests.helpers.rpc_proxy import result

    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: (
        result(item, "0x6080" if int(item["params"][1], 16) >= deployed else "0x")
        if item["method"] == "eth_getCode"
        else None
    )

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await deploy_block(http, proxy.url, chain.addresses["aaplx"], 1_000_000)
        finally:
            await http.aclose()

    try:
        found = asyncio.run(go())
    finally:
        proxy.close()
    assert found == deployed
    assert len(proxy.calls) <= 6 and all(len(c) <= 16 for c in proxy.calls), proxy.calls
