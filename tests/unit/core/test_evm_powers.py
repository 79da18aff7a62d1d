"""The EVM issuer-power map and reserve feeds, scenario by scenario, on real anvil chains."""

import asyncio
import time
from decimal import Decimal

import pytest

from backcheck.core.http import Http
from backcheck.core.lookup import inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from tests.helpers.evm import Chain, calldata
from tests.helpers.solc import compile_contracts

pytestmark = pytest.mark.chain
REGISTRY = Registry.load()
ART = compile_contracts()
TOKEN, V1, FEED = ART["BackedAutoFeeToken"], ART["BackedTokenV1"], ART["ReserveFeed"]


def inspect_facts(query: str, ethereum: str, polygon: str = "http://127.0.0.1:9"):
    settings = Settings.load()
    settings.override("rpc.ethereum", ethereum)
    settings.override("rpc.polygon", polygon)

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await inspect(resolve(REGISTRY, query, "ethereum"), settings, http, REGISTRY)
        finally:
            await http.aclose()

    return asyncio.run(go()).facts


def values(facts, *keys):
    return {k: facts[k].value for k in keys}


def test_single_key_admin_and_roles(chain):
    facts = inspect_facts("AAPLx", chain.url)
    roles = chain.addresses["roles"]
    assert facts["proxy_admin"].value.lower() == chain.addresses["aaplx_proxy_admin"]
    assert facts["proxy_implementation"].value.lower() == chain.addresses["aaplx_implementation"]
    assert facts["proxy_admin_controller"].value == roles["owner"]
    assert facts["proxy_admin_controller_kind"].value == "plain account (a single private key)"
    assert values(facts, "mint_authority", "pause_authority", "burn_authority", "multiplier_updater", "owner") == {
        "mint_authority": roles["minter"],
        "pause_authority": roles["pauser"],
        "burn_authority": roles["burner"],
        "multiplier_updater": roles["multiplier_updater"],
        "owner": roles["owner"],
    }
    assert facts["mint_authority_kind"].value == "plain account (a single private key)"
    assert values(facts, "paused", "sanctions_list", "fee_per_year", "token_version") == {
        "paused": False,
        "sanctions_list": "none",
        "fee_per_year": Decimal(0),
        "token_version": "1.1.0",
    }
    powers = {row["power"]: row for row in facts["issuer_powers"].value}
    assert set(powers) == {
        "owner",
        "mint_authority",
        "burn_authority",
        "pause_authority",
        "multiplier_updater",
        "upgrade",
        "sanctions_list",
    }
    assert powers["upgrade"]["kind"].startswith("owned contract")
    assert facts["issuer_inventory"].value == Decimal("9018.9")  # 9,000 × 1.0021
    assert facts["float"].value == Decimal("1002.1")
    history = facts["multiplier_history"].value
    assert [h["multiplier"] for h in history] == ["1", "1.0021"]


def transfer_admin(chain, to: str) -> None:
    Chain(chain.anvil).transact(
        chain.addresses["roles"]["owner"],
        chain.addresses["aaplx_proxy_admin"],
        ART["ProxyAdmin"],
        "transferOwnership(address)",
        to,
    )


def test_two_of_three_multisig_admin(chain):
    transfer_admin(chain, chain.addresses["safe_2_of_3"])
    facts = inspect_facts("AAPLx", chain.url)
    assert facts["proxy_admin_controller"].value.lower() == chain.addresses["safe_2_of_3"]
    assert facts["proxy_admin_controller_kind"].value == "multisig (2 of 3 signers)"


def test_timelocked_admin(chain):
    transfer_admin(chain, chain.addresses["timelock_48h"])
    facts = inspect_facts("AAPLx", chain.url)
    assert facts["proxy_admin_controller_kind"].value == "timelock (minimum delay 48 h)"


def test_paused_token(chain):
    Chain(chain.anvil).transact(
        chain.addresses["roles"]["pauser"], chain.addresses["aaplx"], TOKEN, "setPause(bool)", True
    )
    facts = inspect_facts("AAPLx", chain.url)
    assert facts["paused"].value is True
    pauser = next(r for r in facts["issuer_powers"].value if r["power"] == "pause_authority")
    assert pauser["state"] == "paused now"


def test_sanctions_list_set(chain):
    Chain(chain.anvil).transact(
        chain.addresses["roles"]["owner"],
        chain.addresses["aaplx"],
        TOKEN,
        "setSanctionsList(address)",
        chain.addresses["sanctions_list"],
    )
    facts = inspect_facts("AAPLx", chain.url)
    assert facts["sanctions_list"].value.lower() == chain.addresses["sanctions_list"]
    row = next(r for r in facts["issuer_powers"].value if r["power"] == "sanctions_list")
    assert row["state"] == "in the transfer path"


def test_pending_multiplier_change(chain):
    block = chain.anvil.rpc("eth_getBlockByNumber", "latest", False)
    when = int(block["timestamp"], 16) + 86_400
    Chain(chain.anvil).transact(
        chain.addresses["roles"]["multiplier_updater"],
        chain.addresses["aaplx"],
        TOKEN,
        "updateMultiplierWithActivationTime(uint256,uint256)",
        2 * 10**18,
        when,
    )
    facts = inspect_facts("AAPLx", chain.url)
    assert facts["multiplier"].value == Decimal("1.0021")
    assert facts["multiplier_pending"].value == Decimal(2)
    assert facts["multiplier_pending_at"].value.startswith(time.strftime("%Y-%m-%dT", time.gmtime(when)))
    assert [h["multiplier"] for h in facts["multiplier_history"].value] == ["1", "1.0021", "2"]


def test_fee_drag_per_year(chain):
    Chain(chain.anvil).transact(
        chain.addresses["roles"]["owner"], chain.addresses["aaplx"], TOKEN, "setFeePerPeriod(uint256)", 10**14
    )  # 0.01 % per daily period
    facts = inspect_facts("AAPLx", chain.url)
    expected = 1 - (1 - Decimal("0.0001")) ** 365
    assert abs(facts["fee_per_year"].value - expected) < Decimal("0.000001")


def test_v1_token_without_multiplier_functions(chain, polygon):
    facts = inspect_facts("bIB01", chain.url, polygon.url)
    assert facts["multiplier"].value == "not present"
    assert "reverted: this token has no getCurrentMultiplier()" in facts["multiplier"].method
    assert facts["multiplier_updater"].value == "not present"
    assert facts["total_supply"].value == Decimal(10_000)
    assert facts["float"].value == Decimal(6_000)


def set_round(polygon, answer: int, updated_at: int, round_id: int = 7, answered_in: int = 7) -> None:
    Chain(polygon.anvil).transact(
        polygon.addresses["roles"]["owner"],
        polygon.addresses["bib01_feed"],
        FEED,
        "setRound(uint80,int256,uint256,uint256,uint80)",
        round_id,
        answer,
        updated_at,
        updated_at,
        answered_in,
    )


def chain_time(node) -> int:
    return int(node.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)


def test_fresh_feed_covers_the_float(chain, polygon):
    set_round(polygon, 6_000 * 10**8, chain_time(polygon.anvil))
    facts = inspect_facts("bIB01", chain.url, polygon.url)
    assert facts["reserves_feed_answer"].value == Decimal(6_000)
    assert facts["reserves_feed_age_hours"].value <= Decimal("0.1")
    assert facts["reserves_feed_round_check"].value == "ok"
    assert facts["reserves_feed_heartbeat_hours"].value == 24
    assert facts["reserves_feed_coverage"].value == Decimal(1)
    assert facts["reserves_feed_answer"].source.startswith(f"EVM RPC polygon ({polygon.url})")


def test_stale_feed(chain, polygon):
    set_round(polygon, 6_000 * 10**8, chain_time(polygon.anvil) - 72 * 3600)
    facts = inspect_facts("bIB01", chain.url, polygon.url)
    assert Decimal(71) < facts["reserves_feed_age_hours"].value < Decimal(73)


def test_supply_above_reserves(chain, polygon):
    set_round(polygon, 5_000 * 10**8, chain_time(polygon.anvil))
    facts = inspect_facts("bIB01", chain.url, polygon.url)
    assert facts["reserves_feed_coverage"].value == Decimal("0.833333")


def test_invalid_round(chain, polygon):
    set_round(polygon, 0, 0, round_id=9, answered_in=8)
    facts = inspect_facts("bIB01", chain.url, polygon.url)
    check = facts["reserves_feed_round_check"].value
    assert "answer is 0" in check and "updatedAt is 0" in check and "answeredInRound 8 is older than roundId 9" in check
    assert facts["reserves_feed_age_hours"].value is None


def test_feed_chain_unreachable_leaves_the_token_facts(chain):
    facts = inspect_facts("bIB01", chain.url, "http://127.0.0.1:9")
    assert facts["total_supply"].known
    assert "reserve feed: Could not reach" in facts["reserves_feed_answer"].error
    assert "an input is unknown" in facts["reserves_feed_coverage"].error


def test_feed_on_the_wrong_chain_is_refused(chain):
    facts = inspect_facts("bIB01", chain.url, chain.url)  # an Ethereum node given as Polygon's
    assert "serves Ethereum (1), not Polygon PoS (137)" in facts["reserves_feed_answer"].error


def test_calldata_helper_is_the_real_encoding():
    assert calldata(TOKEN, "setPause(bool)", True) == "0xbedb86fb" + "0" * 63 + "1"


def test_recent_authority_change_is_seen(chain):
    from backcheck.core.rules import RuleConfig, evaluate

    chain.anvil.rpc("evm_increaseTime", hex(31 * 86_400))  # the fixture's own role set-up is now old
    chain.anvil.rpc("evm_mine")
    Chain(chain.anvil).transact(
        chain.addresses["roles"]["owner"],
        chain.addresses["aaplx"],
        TOKEN,
        "setMinter(address)",
        chain.addresses["roles"]["burner"],
    )
    facts = inspect_facts("AAPLx", chain.url)
    changes = facts["authority_changes_30d"].value
    assert [c["event"] for c in changes] == ["NewMinter"]
    assert "eth_getLogs" in facts["authority_changes_30d"].method
    from backcheck.core.lookup import Inspection

    inspection = Inspection(resolve(REGISTRY, "AAPLx", "ethereum"), facts, [], facts["paused"].fetched_at)
    ct9 = next(f for f in evaluate(inspection, REGISTRY, RuleConfig.load()) if f.id == "CT-9")
    assert ct9.status == "caution"
    assert "NewMinter at block" in ct9.explanation


def test_no_change_in_the_window(chain):
    chain.anvil.rpc("evm_increaseTime", hex(31 * 86_400))
    chain.anvil.rpc("evm_mine")
    facts = inspect_facts("AAPLx", chain.url)
    assert facts["authority_changes_30d"].value == []
    assert "block" in facts["authority_changes_30d"].unit


def test_block_at_a_time_by_interpolation(chain):
    from datetime import UTC, datetime

    from backcheck.core.adapters.evm import EvmReader
    from backcheck.core.adapters.evm_history import block_at
    from backcheck.core.chains import chain_by_key

    head = int(chain.anvil.rpc("eth_blockNumber"), 16)
    stamps = [int(chain.anvil.rpc("eth_getBlockByNumber", hex(b), False)["timestamp"], 16) for b in range(head + 1)]
    target = stamps[head // 2]

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await block_at(
                EvmReader(http, chain_by_key("ethereum"), chain.url), datetime.fromtimestamp(target, UTC), head
            )
        finally:
            await http.aclose()

    found = asyncio.run(go())
    assert stamps[found] >= target
    assert found == 0 or stamps[found - 1] < target
