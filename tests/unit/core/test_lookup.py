import asyncio

import pytest

from backcheck.core.errors import BadInput
from backcheck.core.http import Http
from backcheck.core.lookup import inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings

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
        ("AAPL", "ethereum", "matches several tokens: AAPLon, AAPLx"),
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
