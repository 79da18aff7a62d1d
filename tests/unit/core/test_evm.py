import asyncio
from decimal import Decimal

import pytest

from backcheck.core.adapters.evm import EvmReader
from backcheck.core.adapters.evm_powers import FEEDS, read_powers
from backcheck.core.chains import chain_by_key
from backcheck.core.errors import SourceError
from backcheck.core.http import Http
from tests.helpers.loopback_server import Reply
from tests.helpers.rpc_proxy import RpcProxy, methods, result

pytestmark = pytest.mark.chain

EOA = "0x976EA74026E726554dB657fA54763abd0C3a0aa9"
INVENTORY = "0x5F7A4c11bde4f218f0025Ef444c369d838ffa2aD"


def read(url: str, address: str, chain: str = "ethereum"):
    async def go():
        http = Http(timeout=5, retries=1)
        try:
            reader = EvmReader(http, chain_by_key(chain), url)
            return await read_powers(reader, address, [INVENTORY])
        finally:
            await http.aclose()

    return asyncio.run(go())


def direct_supply(chain, address: str) -> int:
    return int(chain.anvil.rpc("eth_call", {"to": address, "data": "0x18160ddd"}, "latest"), 16)


def test_reads_the_official_token(chain):
    addresses = chain.addresses
    facts = read(chain.url, addresses["aaplx"])
    block = int(chain.anvil.rpc("eth_blockNumber"), 16)
    assert facts["decimals"].value == 18
    assert facts["total_supply_raw"].value == direct_supply(chain, addresses["aaplx"])
    assert facts["total_supply"].value == Decimal(addresses["expected"]["aaplx_total_supply"])
    assert facts["multiplier"].value == Decimal(addresses["expected"]["aaplx_multiplier"])
    assert facts["token_symbol"].value == "AAPLx"
    supply = facts["total_supply"]
    assert supply.block == block
    assert supply.source == f"EVM RPC ethereum ({chain.url})"
    assert '"data": "0x18160ddd"' in supply.method and f"at block {block}" in supply.method


def test_supply_follows_the_chain(chain):
    """A mint changes what is read: the figure comes from the node, not from a fixture."""
    from tests.helpers.evm import Chain
    from tests.helpers.solc import compile_contracts

    token = compile_contracts()["BackedAutoFeeToken"]
    addresses = chain.addresses
    Chain(chain.anvil).transact(
        addresses["roles"]["minter"],
        addresses["aaplx"],
        token,
        "mint(address,uint256)",
        addresses["inventory"],
        979 * 10**18,
    )
    facts = read(chain.url, addresses["aaplx"])
    assert facts["total_supply_raw"].value == direct_supply(chain, addresses["aaplx"])
    assert facts["total_supply"].value > Decimal(addresses["expected"]["aaplx_total_supply"]) + 978


def test_an_account_without_code_is_not_a_token(chain):
    facts = read(chain.url, EOA)
    assert facts["contract_code"].value == "none"
    assert all(not f.known for k, f in facts.items() if k not in ("contract_code", "chain_time"))
    assert set(facts) == set(FEEDS)
    assert "no contract code at" in facts["total_supply"].error
    assert "self-destructed" in facts["total_supply"].error


def test_a_contract_that_is_not_a_token(chain):
    facts = read(chain.url, chain.addresses["safe_2_of_3"])
    assert "is a contract but not a token: decimals() reverted" in facts["total_supply"].error


ROUND_ONE = ["eth_chainId", "eth_getBlockByNumber", "eth_getBlockByNumber"]  # the chain id, the head, finalized


def test_token_reads_travel_with_the_chain_id_check(chain):
    proxy = RpcProxy(chain.url)
    try:
        read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()
    token_reads, holders, admin_owner = proxy.calls
    # The chain id and the head block, the three EIP-1967 slots, the code, and every token read and
    # interface probe (one Multicall3 call): one round trip.
    assert token_reads == [*ROUND_ONE, *["eth_getStorageAt"] * 3, "eth_getCode", "eth_call"]
    # Then what each power holder is (owner, minter, burner, pauser, updater, ProxyAdmin) and the
    # implementation's code …
    assert holders == ["eth_getCode"] * 7 + ["eth_call"]
    # … and what the ProxyAdmin's owner is: its address is in a storage slot (round 1), its owner()
    # comes back in round 2, so what that owner is takes a third round trip.
    assert admin_owner == ["eth_getCode", "eth_call"]


def test_wrong_chain_id_is_refused(chain):
    with pytest.raises(SourceError, match=r"serves Ethereum \(1\), not Arbitrum One \(42161\)"):
        read(chain.url, chain.addresses["aaplx"], chain="arbitrum")


def test_the_chain_id_is_judged_before_any_answer_of_its_batch_is_used(chain):
    """Another chain's answers would not decode as the token's reads: the chain id is the reason given."""
    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: (
        result(item, "0x89")
        if item["method"] == "eth_chainId"
        else result(item, "0xdeadbeef")
        if item["method"] == "eth_call"
        else None
    )
    try:
        with pytest.raises(SourceError, match=r"serves Polygon PoS \(137\), not Ethereum \(1\)"):
            read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()
    assert len(proxy.calls) == 1  # nothing after round 1


@pytest.mark.parametrize("answer", [None, "chain one", 1], ids=["null", "not hex", "a number"])
def test_no_usable_chain_id_is_refused(chain, answer):
    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: result(item, answer) if item["method"] == "eth_chainId" else None
    try:
        with pytest.raises(SourceError, match="gave no usable chain id"):
            read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()


def test_a_node_without_a_head_block_is_refused(chain):
    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: (
        result(item, None) if item["method"] == "eth_getBlockByNumber" and item["params"][0] == "latest" else None
    )
    try:
        with pytest.raises(SourceError, match="gave no usable head block"):
            read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()


def test_node_without_multicall3(chain):
    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: result(item, "0x") if item["method"] == "eth_call" else None
    try:
        with pytest.raises(SourceError, match="no Multicall3"):
            read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()


def test_malformed_answer(chain):
    proxy = RpcProxy(chain.url)
    proxy.fault = lambda r: Reply(raw=b"<html>bad gateway") if "eth_call" in methods(r) else None
    try:
        with pytest.raises(SourceError, match="not valid JSON"):
            read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()


def _one_result_short(item):
    from eth_abi import encode

    return result(item, "0x" + encode(["(bool,bytes)[]"], [[(True, b"")]]).hex())


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (lambda item: result(item, "0x" + "ff" * 64), "Multicall3 answer that does not decode"),
        (_one_result_short, "answered 1 Multicall3 results for"),
    ],
    ids=["garbage bytes", "one result for many calls"],
)
def test_a_multicall_answer_that_lies_is_a_source_error(chain, answer, expected):
    proxy = RpcProxy(chain.url)
    proxy.answer = lambda item: answer(item) if item["method"] == "eth_call" else None
    try:
        with pytest.raises(SourceError, match=expected):
            read(proxy.url, chain.addresses["aaplx"])
    finally:
        proxy.close()


def test_unreachable_node():
    with pytest.raises(SourceError, match="Could not reach"):
        read("http://127.0.0.1:9", "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a")


def test_a_beacon_token_takes_no_extra_round_trip(chain):
    """The beacon's implementation() rides with the holders' round; its code with the beacon owner's."""
    proxy = RpcProxy(chain.url)
    try:
        facts = read(proxy.url, chain.addresses["ondo_token"])
    finally:
        proxy.close()
    assert facts["token_interface"].known
    token_reads, holders, beacon_owner = proxy.calls
    assert token_reads == [*ROUND_ONE, *["eth_getStorageAt"] * 3, "eth_getCode", "eth_call"]
    # Role admin, two minters, burner, pauser and the beacon; implementation() in the Multicall3 call …
    assert holders == ["eth_getCode"] * 6 + ["eth_call"]
    # … then the beacon's owner (a Safe) and the implementation's code.
    assert beacon_owner == ["eth_getCode", "eth_getCode", "eth_call"]


@pytest.mark.parametrize(
    "calls",
    [
        [],
        [("0xcA11bde05977b3631167028862bE2a173976CA11", bytes.fromhex("42cbb15c"))],
        [
            (INVENTORY, b""),
            (EOA.lower(), bytes(range(33))),
            ("0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a", bytes(64)),
        ],
    ],
    ids=["none", "one", "empty, 33 and 64 bytes of data"],
)
def test_the_multicall_encoding_is_the_abi_encoding(calls):
    from eth_abi import encode

    from backcheck.core.adapters.evm import AGGREGATE3, encode_multicall

    expected = AGGREGATE3 + encode(["(address,bool,bytes)[]"], [[(t, True, d) for t, d in calls]])
    assert encode_multicall(calls) == expected


def test_a_multicall_target_that_is_no_address_is_refused():
    from backcheck.core.adapters.evm import encode_multicall

    with pytest.raises(ValueError, match="not an address"):
        encode_multicall([("0x1234", b"")])
