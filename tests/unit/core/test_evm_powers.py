"""The EVM issuer-power map and reserve feeds, scenario by scenario, on real anvil chains."""

import asyncio
import time
from decimal import Decimal

import pytest

from backcheck.core.adapters.evm_powers import POWERS, SEL
from backcheck.core.addresses import keccak256
from backcheck.core.http import Http
from backcheck.core.lookup import inspect, resolve
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from tests.helpers.evm import ACCOUNTS, Chain, calldata
from tests.helpers.fault_server import FaultServer, first_word, multicall
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
    assert facts["authority_changes_30d"].unit.endswith("(chain time)")


# Tokens that are not Backed's: an ordinary OpenZeppelin-style token and an Ondo-style BeaconProxy.
GENERIC, ONDO = ART["GenericToken"], ART["OndoStyleToken"]
POWER_KEYS = ("owner", "role_admin", *POWERS)


def findings(chain, address: str) -> tuple[dict, dict]:
    from backcheck.core.lookup import Inspection
    from backcheck.core.rules import RuleConfig, evaluate

    facts = inspect_facts(address, chain.url)
    inspection = Inspection(resolve(REGISTRY, address, "ethereum"), facts, [], facts["paused"].fetched_at)
    return facts, {f.id: f for f in evaluate(inspection, REGISTRY, RuleConfig.load())}


def rows(facts, power: str) -> list[dict]:
    return [r for r in facts["issuer_powers"].value if r["power"] == power]


def test_generic_token_powers_and_holder(chain):
    owner = chain.addresses["generic_owner"]
    facts = inspect_facts(chain.addresses["generic_token_paused"], chain.url)
    assert facts["token_interface"].value == "ERC-20 + Ownable + Pausable (not a proxy)"
    assert values(facts, "owner", "mint_authority", "pause_authority", "permanent_delegate") == dict.fromkeys(
        ("owner", "mint_authority", "pause_authority", "permanent_delegate"), owner
    )
    assert facts["mint_authority_kind"].value == "plain account (a single private key)"
    assert "mint(address,uint256)" in facts["mint_authority"].method
    assert "forceTransfer(address,address,uint256)" in facts["permanent_delegate"].method
    # The code was read: functions it lacks are powers it lacks (burn(uint256) burns only your own).
    assert values(facts, "burn_authority", "freeze_authority", "role_admin", "multiplier_updater") == dict.fromkeys(
        ("burn_authority", "freeze_authority", "role_admin", "multiplier_updater"), "not present"
    )
    assert facts["paused"].value is True
    assert "0x5c975abb" in facts["paused"].method  # paused(), OpenZeppelin's getter
    assert facts["proxy_admin"].value.startswith("none")
    assert not facts["transfer_fee"].known and "fee inside transfer()" in facts["transfer_fee"].error
    held = {r["power"]: r for r in facts["issuer_powers"].value}
    assert {p: held[p]["holder"] for p in ("owner", "mint_authority", "pause_authority", "permanent_delegate")} == (
        dict.fromkeys(("owner", "mint_authority", "pause_authority", "permanent_delegate"), owner)
    )
    assert held["pause_authority"]["state"] == "paused now"


def test_paused_generic_token_is_critical_and_passes_no_existing_power(chain):
    facts, found = findings(chain, chain.addresses["generic_token_paused"])
    assert found["CT-4"].status == "critical"
    for rule_id in ("CT-2", "CT-3", "CT-5", "CT-8"):  # mint, pause, forced transfer exist; a fee is unknown
        assert found[rule_id].status != "pass", (rule_id, found[rule_id].explanation)
    # Not a proxy and no forwarding code: nobody can replace the logic, a measured pass.
    assert found["CT-1"].status == "pass" and facts["proxy_admin"].value.startswith("none")


def test_unpaused_generic_token_is_measured_not_paused(chain):
    facts, found = findings(chain, chain.addresses["generic_token"])
    assert facts["paused"].value is False
    assert found["CT-4"].status == "pass"


def test_renounced_ownership_leaves_nobody(chain):
    token = chain.addresses["generic_token"]
    Chain(chain.anvil).transact(chain.addresses["generic_owner"], token, GENERIC, "renounceOwnership()")
    facts = inspect_facts(token, chain.url)
    assert values(facts, "owner", "mint_authority", "pause_authority", "permanent_delegate") == dict.fromkeys(
        ("owner", "mint_authority", "pause_authority", "permanent_delegate"), "none"
    )
    assert rows(facts, "mint_authority")[0]["kind"] == "nobody"


def test_ondo_style_beacon_token_powers_and_holders(chain):
    roles = chain.addresses["ondo_roles"]
    facts = inspect_facts(chain.addresses["ondo_token"], chain.url)
    assert facts["token_interface"].value == "ERC-20 + AccessControlEnumerable + Pausable (BeaconProxy)"
    assert facts["proxy_implementation"].value.lower() == chain.addresses["ondo_implementation"]
    # The beacon's owner decides upgrades.
    assert facts["proxy_admin"].value.lower() == chain.addresses["ondo_beacon"]
    assert facts["proxy_admin_kind"].value.startswith("owned contract (the UpgradeableBeacon)")
    assert facts["proxy_admin_controller"].value.lower() == roles["beacon_owner"]
    assert facts["proxy_admin_controller_kind"].value == "multisig (2 of 3 signers)"
    assert values(facts, "role_admin", "mint_authority", "burn_authority", "pause_authority") == {
        "role_admin": roles["admin"],
        "mint_authority": ", ".join(roles["minters"]),
        "burn_authority": roles["burner"],
        "pause_authority": roles["pauser"],
    }
    assert facts["mint_authority_kind"].value.startswith("plain account") and "1 more holder" in (
        facts["mint_authority_kind"].value
    )
    # burn(address,uint256) by BURNER_ROLE takes tokens out of any account.
    assert facts["permanent_delegate"].value == roles["burner"]
    assert values(facts, "owner", "freeze_authority", "multiplier_updater", "sanctions_list") == dict.fromkeys(
        ("owner", "freeze_authority", "multiplier_updater", "sanctions_list"), "not present"
    )
    assert facts["paused"].value is False
    assert [r["holder"] for r in rows(facts, "mint_authority")] == roles["minters"]
    assert rows(facts, "upgrade")[0]["holder"].lower() == chain.addresses["ondo_beacon"]


def test_ondo_style_token_paused_and_a_role_revoked(chain):
    roles, token = chain.addresses["ondo_roles"], chain.addresses["ondo_token"]
    node = Chain(chain.anvil)
    node.transact(roles["pauser"], token, ONDO, "pause()")
    node.transact(
        roles["admin"], token, ONDO, "revokeRole(bytes32,address)", keccak256(b"MINTER_ROLE"), roles["minters"][0]
    )
    facts, found = findings(chain, token)
    assert facts["paused"].value is True
    assert found["CT-4"].status == "critical"
    assert facts["mint_authority"].value == roles["minters"][1]
    assert found["CT-2"].status == "warning"


def test_a_beacon_upgrade_is_followed(chain):
    """The beacon names the logic: point it at other code and the power map follows."""
    safe, beacon = chain.addresses["ondo_roles"]["beacon_owner"], chain.addresses["ondo_beacon"]
    upgrade = calldata(ART["UpgradeableBeacon"], "upgradeTo(address)", chain.addresses["generic_token"])
    Chain(chain.anvil).transact(
        ACCOUNTS[6], safe, ART["SafeLike"], "exec(address,bytes)", beacon, bytes.fromhex(upgrade[2:])
    )
    facts = inspect_facts(chain.addresses["ondo_token"], chain.url)
    assert facts["proxy_implementation"].value.lower() == chain.addresses["generic_token"]
    assert "forceTransfer(address,address,uint256)" in facts["permanent_delegate"].method


def test_code_matching_no_interface_leaves_every_power_unknown(chain):
    facts, found = findings(chain, chain.addresses["opaque_token"])
    assert not facts["token_interface"].known
    assert "forwards calls to other code" in facts["token_interface"].error
    keys = [*POWER_KEYS, *(f"{k}_kind" for k in POWER_KEYS), "proxy_admin", "proxy_admin_controller_kind"]
    keys += ["transfer_fee", "sanctions_list", "multiplier"]
    for key in keys:
        assert not facts[key].known, (key, facts[key].value)
        assert "unidentified" in facts[key].error
    assert {r["holder"] for r in facts["issuer_powers"].value} == {"unknown"}
    for rule_id in ("CT-1", "CT-2", "CT-3", "CT-5", "CT-8"):
        assert found[rule_id].status != "pass", (rule_id, found[rule_id].explanation)


@pytest.mark.parametrize(
    "name", ["aaplx", "bib01", "generic_token_paused", "ondo_token", "opaque_token", "safe_2_of_3"]
)
def test_every_read_writes_exactly_the_declared_facts(chain, name):
    from backcheck.core.adapters.evm import EvmReader
    from backcheck.core.adapters.evm_powers import FEEDS, read_powers
    from backcheck.core.chains import chain_by_key

    async def go():
        http = Http(timeout=5, retries=0)
        try:
            return await read_powers(EvmReader(http, chain_by_key("ethereum"), chain.url), chain.addresses[name], [])
        finally:
            await http.aclose()

    facts = asyncio.run(go())
    assert set(facts) == set(FEEDS)
    assert all(f.known or f.error for f in facts.values())


def test_a_role_revoked_on_an_access_control_token_is_a_recent_change(chain):
    """CT-9 reads AccessControl's role events too, not only Backed's setters."""
    roles, token = chain.addresses["ondo_roles"], chain.addresses["ondo_token"]
    chain.anvil.rpc("evm_increaseTime", hex(31 * 86_400))  # the fixture's own role grants are now old
    chain.anvil.rpc("evm_mine")
    facts, found = findings(chain, token)
    assert facts["authority_changes_30d"].value == []
    assert found["CT-9"].status == "pass"
    Chain(chain.anvil).transact(
        roles["admin"], token, ONDO, "revokeRole(bytes32,address)", keccak256(b"MINTER_ROLE"), roles["minters"][0]
    )
    facts, found = findings(chain, token)
    assert [c["event"] for c in facts["authority_changes_30d"].value] == ["RoleRevoked"]
    assert found["CT-9"].status == "caution"


@pytest.fixture
def lying_node(chain):
    """The test chain behind a fault server, to edit what the node answers."""
    server = FaultServer(chain.url)
    yield server
    server.close()


@pytest.mark.parametrize(("ahead_hours", "trusted"), [(23, True), (24 * 30, False)])
def test_a_block_time_far_ahead_of_this_computer_is_a_lying_clock(lying_node, ahead_hours, trusted):
    ahead = first_word(lambda word, n: int(time.time()) + ahead_hours * 3600)
    lying_node.set(multicall(SEL["getCurrentBlockTimestamp"].hex(), ahead))
    facts = inspect_facts("AAPLx", lying_node.url)
    assert facts["total_supply"].known  # only what the clock judges is in doubt
    for key in ("chain_time", "multiplier_stored", "multiplier_pending", "multiplier_pending_at"):
        assert facts[key].known == trusted, key
        if not trusted:
            assert "ahead of this computer's clock" in facts[key].error and "a lying node" in facts[key].error


def test_a_multiplier_update_beyond_any_calendar_is_a_source_error_not_a_crash(lying_node):
    never = (2**200).to_bytes(32, "big")
    lying_node.set(multicall(SEL["multiplierUpdates"].hex(), lambda returned, n: returned[:64] + never + returned[96:]))
    facts = inspect_facts("AAPLx", lying_node.url)
    assert not facts["total_supply"].known
    assert "sent an answer that does not decode as the token's reads" in facts["total_supply"].error
