"""CT-9's window in chain time: found from round 1's head without a chain of header reads, exact at its edge.

Each test writes a history on the test chain: role events 31 days, 30 days and 1 s, exactly 30 days
and 29 days before the head, with blocks between them at rates that make the block-rate estimate
right, too short or too long. Only the events at or after the window's start count, whether or not
the node sends ``blockTimestamp`` with its logs, and whether or not it names a finalized block.
"""

from __future__ import annotations

import asyncio

import pytest

from backcheck.core.adapters.evm import EvmReader
from backcheck.core.adapters.evm_history import read_history
from backcheck.core.chains import chain_by_key
from backcheck.core.http import Http
from backcheck.core.lookup import Inspection, inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.rules import RuleConfig, evaluate
from backcheck.core.settings import Settings
from tests.helpers.evm import Chain
from tests.helpers.rpc_proxy import RpcProxy, error, result
from tests.helpers.solc import compile_contracts

pytestmark = pytest.mark.chain
REGISTRY = Registry.load()
TOKEN = compile_contracts()["BackedAutoFeeToken"]
DAY = 86_400
# (blocks, seconds apart) mined before the 30-days-and-1-s event, between the boundary events and the
# 29-days event, and after it: the last 64 blocks give round 1's rate (anvil finalizes 64 blocks back).
HISTORIES = {
    "steady blocks": ([(7, 3 * 3600)], [(7, 3 * 3600)], [(84, 8 * 3600)]),
    "recent blocks slower (the estimate falls short)": ([(200, 400)], [], [(200, 400), (70, 9 * 3600)]),
    "recent blocks faster (the estimate overshoots)": ([(3, 7 * 3600)], [(3, 7 * 3600)], [(80, 8 * 3600), (100, 12)]),
}
EXPECTED = ["NewPauser", "NewMultiplierUpdater"]  # exactly 30 days back counts, and 29 days back


def write_history(chain, history) -> None:
    """NewMinter 31 d, NewBurner 30 d + 1 s, NewPauser 30 d and NewMultiplierUpdater 29 d before the new head."""
    before, between, after = history
    node, anvil = Chain(chain.anvil), chain.anvil
    owner, token, someone = chain.addresses["roles"]["owner"], chain.addresses["aaplx"], chain.addresses["inventory"]
    start = int(anvil.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16) + 600
    head = start + 31 * DAY

    def at(moment: int, setter: str) -> None:
        anvil.rpc("evm_setNextBlockTimestamp", hex(moment))
        node.transact(owner, token, TOKEN, f"{setter}(address)", someone)

    def mine(runs) -> None:
        for count, interval in runs:
            anvil.rpc("anvil_mine", hex(count), hex(interval))

    at(start, "setMinter")
    mine(before)
    at(head - 30 * DAY - 1, "setBurner")
    at(head - 30 * DAY, "setPauser")
    mine(between)
    at(head - 29 * DAY, "setMultiplierUpdater")
    mine(after)
    anvil.rpc("evm_setNextBlockTimestamp", hex(head))
    anvil.rpc("evm_mine")


def strip_block_times(chain):
    """An answer hook: the node's logs without ``blockTimestamp`` (nodes that predate it)."""

    def answer(item):
        if item["method"] != "eth_getLogs":
            return None
        logs = chain.anvil.rpc("eth_getLogs", *item["params"])
        return result(item, [{k: v for k, v in log.items() if k != "blockTimestamp"} for log in logs])

    return answer


def history(url: str, token: str, days: int = 30):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            reader = EvmReader(http, chain_by_key("ethereum"), url)
            head, _ = await reader.open([])
            return await read_history(reader, [token], days, head)
        finally:
            await http.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("shape", list(HISTORIES))
@pytest.mark.parametrize("block_times", ["in the logs", "from headers"])
def test_only_events_at_or_after_the_window_start_count(chain, shape, block_times):
    write_history(chain, HISTORIES[shape])
    proxy = RpcProxy(chain.url)
    if block_times == "from headers":
        proxy.answer = strip_block_times(chain)
    try:
        found = history(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()
    events = found.fact([chain.addresses["aaplx"]]).value
    assert [e["event"] for e in events] == EXPECTED, (shape, block_times, events)


def test_a_steady_chain_reads_the_window_in_one_round_trip_after_round_one(chain):
    write_history(chain, HISTORIES["steady blocks"])
    proxy = RpcProxy(chain.url)
    try:
        found = history(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()
    assert [e["event"] for e in found.fact([chain.addresses["aaplx"]]).value] == EXPECTED
    head_read, window = proxy.calls
    assert head_read == ["eth_chainId", "eth_getBlockByNumber", "eth_getBlockByNumber"]
    assert set(window) <= {"eth_getLogs", "eth_getBlockByNumber"} and "eth_getLogs" in window


def test_an_estimate_that_falls_short_reaches_further_back_until_the_start_is_before_the_window(chain):
    write_history(chain, HISTORIES["recent blocks slower (the estimate falls short)"])
    found = history(chain.url, chain.addresses["aaplx"])
    stamp = int(chain.anvil.rpc("eth_getBlockByNumber", hex(found.start - 1), False)["timestamp"], 16)
    assert stamp < found.since.timestamp()  # every block before the first one read is outside the window
    assert found.requests >= 3


def test_a_node_without_a_finalized_block_is_probed_at_doubling_depths(chain):
    write_history(chain, HISTORIES["steady blocks"])
    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: (
        error(item, -32000, "finalized block not found")
        if item["method"] == "eth_getBlockByNumber" and item["params"][0] == "finalized"
        else None
    )
    try:
        found = history(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()
    assert [e["event"] for e in found.fact([chain.addresses["aaplx"]]).value] == EXPECTED
    assert len(proxy.calls) == 3  # round 1, the depths, the logs


def test_ct9_in_a_whole_report_counts_the_29_day_event_not_the_31_day_one(chain):
    write_history(chain, HISTORIES["steady blocks"])
    settings = Settings.load()
    settings.override("rpc.ethereum", chain.url)
    settings.override("holders.method", "logs")

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, "AAPLx", "ethereum"), settings, http, REGISTRY)
        finally:
            await http.aclose()

    result_ = asyncio.run(go())
    changes = result_.facts["authority_changes_30d"]
    assert [c["event"] for c in changes.value] == EXPECTED
    assert changes.unit.endswith("(chain time)") and "left out" in changes.method
    inspection = Inspection(result_.target, result_.facts, [], result_.generated_at)
    ct9 = next(f for f in evaluate(inspection, REGISTRY, RuleConfig.load()) if f.id == "CT-9")
    assert ct9.status == "caution" and "NewPauser" in ct9.explanation


def test_the_events_of_contracts_not_asked_about_are_left_out(chain):
    """The scan reads every contract that may upgrade the token; CT-9 keeps those the power map names."""
    token, admin = chain.addresses["aaplx"], chain.addresses["aaplx_proxy_admin"]
    found = history_of(chain, [token, admin])  # the fixture's own set-up: within the last 30 days
    both = {e["contract"] for e in found.fact([token, admin]).value}
    assert both == {token.lower(), admin.lower()}
    assert {e["contract"] for e in found.fact([token]).value} == {token.lower()}
    assert f"['{token}']" in found.fact([token]).method


def history_of(chain, addresses):
    async def go():
        http = Http(timeout=5, retries=0)
        try:
            reader = EvmReader(http, chain_by_key("ethereum"), chain.url)
            head, _ = await reader.open([])
            return await read_history(reader, addresses, 30, head)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_a_node_that_caps_log_ranges_gets_the_refused_ranges_split(chain):
    write_history(chain, HISTORIES["steady blocks"])
    proxy = RpcProxy(chain.url)

    def cap(item):
        if item["method"] == "eth_getLogs":
            query = item["params"][0]
            if int(query["toBlock"], 16) - int(query["fromBlock"], 16) + 1 > 16:
                return error(item, -32005, "query exceeds max block range 16")
        return None

    proxy.answer = cap
    try:
        found = history(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()
    assert [e["event"] for e in found.fact([chain.addresses["aaplx"]]).value] == EXPECTED
    assert found.requests > 8
