"""ID-6 on the project's own chains: matching keys, rotated keys, a copycat, a new token with the issuer's keys.

EVM: the anvil test chain, with test-only records (the chain's role accounts stand in for the issuer's
keys; the shipped resource holds no xStocks EVM keys). Solana: the loopback RPC serving NVDAx-shaped
mints, judged against the shipped records, which hold the real xStocks keys.
"""

import asyncio
import copy
from dataclasses import replace
from typing import Any

import pytest

from backcheck.core.authorities import Authorities, IssuerKeys, Recorded
from backcheck.core.http import Http
from backcheck.core.lookup import Inspection, inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.rules import RuleConfig, evaluate
from backcheck.core.settings import Settings
from tests.helpers.evm import ACCOUNTS, Chain
from tests.helpers.solana_rpc import NVDAX, SolanaRpc, nvdax_mint, pubkey
from tests.helpers.solc import compile_contracts

REGISTRY = Registry.load()
TOKEN = compile_contracts()["BackedAutoFeeToken"]
ADMIN_SLOT = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103"
RECORDED_ON = "2026-06-01"


def inspect_on(query: str, chain: str, **urls: str) -> Inspection:
    settings = Settings.load()
    for key, url in urls.items():
        settings.override(key, url)

    async def go() -> Inspection:
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, query, chain), settings, http, REGISTRY)
        finally:
            await http.aclose()

    return asyncio.run(go())


def judged(inspection: Inspection, authorities: Authorities | None = None) -> dict[str, Any]:
    config = RuleConfig.load()
    if authorities is not None:
        config = replace(config, authorities=authorities)
    return {f.id: f for f in evaluate(inspection, REGISTRY, config)}


def recorded_keys(addresses: dict[str, Any]) -> Authorities:
    """The test chain's AAPLx role accounts recorded as Backed's EVM keys (test data only)."""
    roles = addresses["roles"]
    held = {
        "proxy_admin": addresses["aaplx_proxy_admin"],
        "proxy_admin_controller": roles["owner"],
        "owner": roles["owner"],
        "mint_authority": roles["minter"],
        "pause_authority": roles["pauser"],
        "multiplier_updater": roles["multiplier_updater"],
    }
    records = {
        fact: (Recorded(address, RECORDED_ON, "issuer", "test chain roles", "tests/chain/addresses.json"),)
        for fact, address in held.items()
    }
    return Authorities({("backed", "evm"): IssuerKeys("backed", "evm", records)})


@pytest.mark.chain
class TestEvm:
    def test_official_with_matching_keys_passes(self, chain):
        result = judged(inspect_on("AAPLx", "ethereum", **{"rpc.ethereum": chain.url}), recorded_keys(chain.addresses))
        assert result["ID-1"].status != "critical"
        assert result["ID-6"].status == "pass", result["ID-6"].explanation
        assert set(result["ID-6"].evidence) >= {"proxy_admin", "owner", "mint_authority"}

    def test_official_with_a_rotated_minter_warns_with_the_record_date(self, chain):
        roles = chain.addresses["roles"]
        Chain(chain.anvil).transact(roles["owner"], chain.addresses["aaplx"], TOKEN, "setMinter(address)", ACCOUNTS[8])
        result = judged(inspect_on("AAPLx", "ethereum", **{"rpc.ethereum": chain.url}), recorded_keys(chain.addresses))
        text = result["ID-6"].explanation
        assert result["ID-6"].status == "warning", text
        assert f"differ from those recorded on {RECORDED_ON}" in text
        assert f"mint authority is {ACCOUNTS[8]}" in text
        assert "check the issuer's announcements" in text

    def test_a_copycat_has_the_name_but_not_the_keys(self, chain):
        impostor = chain.addresses["impostor"]
        Chain(chain.anvil).transact(
            chain.addresses["roles"]["owner"], impostor, TOKEN, "setMinter(address)", ACCOUNTS[8]
        )
        result = judged(inspect_on(impostor, "ethereum", **{"rpc.ethereum": chain.url}), recorded_keys(chain.addresses))
        assert result["ID-1"].status == "critical"
        assert result["ID-6"].status == "critical", result["ID-6"].explanation
        assert "proxy admin is" in result["ID-6"].explanation  # its own ProxyAdmin, not the issuer's
        assert "a copycat can copy a name, not the issuer's keys" in result["ID-6"].explanation.lower()

    def test_an_unlisted_token_with_the_issuers_keys_is_likely_new(self, chain):
        impostor = chain.addresses["impostor"]
        Chain(chain.anvil).set_storage(impostor, ADMIN_SLOT, chain.addresses["aaplx_proxy_admin"])
        result = judged(inspect_on(impostor, "ethereum", **{"rpc.ethereum": chain.url}), recorded_keys(chain.addresses))
        assert result["ID-1"].status == "critical"  # still on no issuer list
        assert result["ID-6"].status == "caution", result["ID-6"].explanation
        assert "likely a new official token not yet in Backcheck's registry" in result["ID-6"].explanation

    def test_without_recorded_evm_keys_the_shipped_records_say_unknown(self, chain):
        result = judged(inspect_on("AAPLx", "ethereum", **{"rpc.ethereum": chain.url}))
        assert result["ID-6"].status == "unknown"
        assert "not-found" in result["ID-6"].explanation  # xStocks EVM holders are not published


def mint(at: str = NVDAX, symbol: str = "NVDAx", **keys: str) -> dict[str, Any]:
    """An NVDAx-shaped mint with the given authorities (mint, freeze, delegate, metadata, scaled, pause)."""
    doc = copy.deepcopy(nvdax_mint())
    info = doc["data"]["parsed"]["info"]
    info["mintAuthority"] = keys.get("mint", info["mintAuthority"])
    info["freezeAuthority"] = keys.get("freeze", info["freezeAuthority"])
    for ext in info["extensions"]:
        state = ext.get("state", {})
        if ext["extension"] == "permanentDelegate":
            state["delegate"] = keys.get("delegate", state["delegate"])
        elif ext["extension"] == "tokenMetadata":
            state.update(updateAuthority=keys.get("metadata", state["updateAuthority"]), mint=at, symbol=symbol)
        elif ext["extension"] == "scaledUiAmountConfig":
            state["authority"] = keys.get("scaled", state["authority"])
        elif ext["extension"] == "pausableConfig":
            state["authority"] = keys.get("pause", state["authority"])
    return doc


def judge_mint(rpc: SolanaRpc, address: str, doc: dict[str, Any]) -> dict[str, Any]:
    rpc.accounts[address] = doc
    return judged(inspect_on(address, "solana", **{"rpc.solana": rpc.url}))


OTHER = {part: pubkey(f"copycat-{part}") for part in ("mint", "freeze", "delegate", "metadata", "scaled", "pause")}


def test_solana_official_with_the_recorded_keys_passes(solana_rpc):
    result = judge_mint(solana_rpc, NVDAX, mint())
    assert result["ID-6"].status == "pass", result["ID-6"].explanation
    assert "recorded on 2026-09-12" in result["ID-6"].explanation


def test_solana_official_with_a_rotated_freeze_key_warns(solana_rpc):
    rotated = pubkey("rotated-freeze")
    result = judge_mint(solana_rpc, NVDAX, mint(freeze=rotated))
    text = result["ID-6"].explanation
    assert result["ID-6"].status == "warning", text
    assert f"freeze authority is {rotated}, recorded as JDq14BWvqCRFNu1krb12bcRpbGtJZ1FLEakMw6FdxJNs" in text
    assert "A rotation or a compromise" in text


def test_solana_copycat_with_other_keys_is_critical(solana_rpc):
    copycat = pubkey("copycat-mint")
    result = judge_mint(solana_rpc, copycat, mint(copycat, **OTHER))
    assert result["ID-1"].status == "critical"
    assert result["ID-6"].status == "critical", result["ID-6"].explanation
    assert "not the issuer's" in result["ID-6"].explanation


@pytest.mark.parametrize("symbol", ["NVDAx", "NEWx"])
def test_solana_unlisted_mint_with_the_issuers_keys_is_likely_new(solana_rpc, symbol):
    fresh = pubkey(f"new-xstock-{symbol}")
    result = judge_mint(solana_rpc, fresh, mint(fresh, symbol))
    assert result["ID-6"].status == "caution", result["ID-6"].explanation
    assert "Refresh the registry" in result["ID-6"].explanation
