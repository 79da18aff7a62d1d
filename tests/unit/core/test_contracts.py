"""The test chain's contracts follow the real interfaces: Backed's (facts-onchain.md §2.1) and OpenZeppelin's."""

from tests.helpers.solc import compile_contracts

# Selectors published in facts-onchain.md §2.1, verified against backed-fi/backed-token-contract.
REAL_SELECTORS = {
    "totalSupply()": "18160ddd",
    "balanceOf(address)": "70a08231",
    "decimals()": "313ce567",
    "multiplier()": "1b3ed722",
    "getCurrentMultiplier()": "2b63c300",
    "newMultiplier()": "60638067",
    "newMultiplierActivationTime()": "5416d876",
    "sharesOf(address)": "f5eb42dc",
    "getSharesByUnderlyingAmount(uint256)": "44acb51b",
    "getUnderlyingAmountByShares(uint256)": "944b511c",
    "feePerPeriod()": "f00c1dff",
    "periodLength()": "d2ca2115",
    "multiplierUpdater()": "0194b09b",
    "multiplierUpdatesLength()": "5666795d",
    "multiplierUpdates(uint256)": "d9bef6c3",
    "minter()": "07546172",
    "burner()": "27810b6e",
    "pauser()": "9fd0506d",
    "owner()": "8da5cb5b",
    "isPaused()": "b187bd26",
    "sanctionsList()": "ec571c6a",
    "terms()": "d5025625",
    "VERSION()": "ffa1ad74",
}
REAL_TOPICS = {
    "Transfer": "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
    "TransferShares": "9d9c909296d9c674451c0c24f02cb64981eb3b727f99865939192f880a755dcb",
    "MultiplierUpdated": "4dbe4840d7465bd162f67814cea0b519567a2e0e578bcde61e7f4ced361e5a3d",
    "PauseModeChange": "b9bcdd890b4d4c213bab99cf96dc1adb9ede36bb2a54610c91a86de844b05fb8",
}


def test_token_selectors_match_backed():
    ids = compile_contracts()["BackedAutoFeeToken"]["methodIdentifiers"]
    assert {sig: ids[sig] for sig in REAL_SELECTORS} == REAL_SELECTORS


def test_event_topics_match_backed():
    from backcheck.core.addresses import keccak256

    abi = compile_contracts()["BackedAutoFeeToken"]["abi"]
    events = {
        e["name"]: f"{e['name']}({','.join(i['type'] for i in e['inputs'])})" for e in abi if e["type"] == "event"
    }
    assert {n: keccak256(events[n].encode()).hex() for n in REAL_TOPICS} == REAL_TOPICS


def test_feed_and_multicall_interfaces():
    art = compile_contracts()
    assert art["ReserveFeed"]["methodIdentifiers"]["latestRoundData()"] == "feaf968c"
    assert art["Multicall3"]["methodIdentifiers"]["aggregate3((address,bool,bytes)[])"] == "82ad56cb"
    assert art["Multicall3"]["methodIdentifiers"]["getBlockNumber()"] == "42cbb15c"


# OpenZeppelin's published selectors (Ownable, Pausable, AccessControlEnumerable, UpgradeableBeacon).
OZ_SELECTORS = {
    "GenericToken": {
        "owner()": "8da5cb5b",
        "transferOwnership(address)": "f2fde38b",
        "renounceOwnership()": "715018a6",
        "paused()": "5c975abb",
        "pause()": "8456cb59",
        "unpause()": "3f4ba83a",
        "mint(address,uint256)": "40c10f19",
        "transfer(address,uint256)": "a9059cbb",
    },
    "OndoStyleToken": {
        "hasRole(bytes32,address)": "91d14854",
        "getRoleAdmin(bytes32)": "248a9ca3",
        "grantRole(bytes32,address)": "2f2ff15d",
        "revokeRole(bytes32,address)": "d547741f",
        "getRoleMember(bytes32,uint256)": "9010d07c",
        "getRoleMemberCount(bytes32)": "ca15c873",
        "supportsInterface(bytes4)": "01ffc9a7",
        "paused()": "5c975abb",
        "burn(address,uint256)": "9dc29fac",
    },
    "UpgradeableBeacon": {"implementation()": "5c60da1b", "upgradeTo(address)": "3659cfe6", "owner()": "8da5cb5b"},
}
OZ_TOPICS = {
    "OwnershipTransferred": "8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0",
    "Paused": "62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a258",
    "RoleGranted": "2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d",
    "RoleRevoked": "f6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b",
    "Upgraded": "bc7cd75a20ee27fd9adebab32041f755214dbc6bffa90cc0225b39da2e5c2d3b",
    "BeaconUpgraded": "1cf3b03a6cf19fa2baba4df148e9dcabedea7f8a5c07840e207e5c089be95d3e",
}


def test_generic_and_ondo_style_contracts_follow_openzeppelin():
    from backcheck.core.addresses import keccak256

    art = compile_contracts()
    for name, expected in OZ_SELECTORS.items():
        ids = art[name]["methodIdentifiers"]
        assert {sig: ids[sig] for sig in expected} == expected, name
    events = {
        e["name"]: f"{e['name']}({','.join(i['type'] for i in e['inputs'])})"
        for name in ("GenericToken", "OndoStyleToken", "UpgradeableBeacon", "BeaconProxy")
        for e in art[name]["abi"]
        if e["type"] == "event"
    }
    assert {n: keccak256(events[n].encode()).hex() for n in OZ_TOPICS} == OZ_TOPICS
