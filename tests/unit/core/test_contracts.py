"""The test chain's contracts follow the real Backed interface (facts-onchain.md §2.1)."""

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
