"""Build the test chain's state fixture: run with `.venv/bin/python -m tests.chain.build_state`.

Deploys the project's own contracts on a fresh anvil (chain id 1), places the rebasing
token behind an EIP-1967 proxy at the real AAPLx address, gives the issuer inventory wallet
most of the supply, adds ordinary holders, an impostor with the same symbol, a reserve feed
and Multicall3 at its canonical address; then, after everything above (so no earlier address
moves), an ordinary OpenZeppelin-style token (twice: one paused), an Ondo-style BeaconProxy +
AccessControl token, a token behind a proxy no interface matches, a UUPS token and an EIP-1967
proxy with neither admin nor UUPS logic; then saves `anvil_dumpState` (gzipped JSON) to
state.json.gz and every address and expected figure to addresses.json.
"""

from __future__ import annotations

import json
from decimal import Decimal

from tests.helpers.anvil import Anvil
from tests.helpers.evm import ACCOUNTS, Chain, calldata
from tests.helpers.paths import ADDRESSES, STATE_FIXTURE
from tests.helpers.solc import compile_contracts

MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"
AAPLX = "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a"
BIB01 = "0xCA30c93B02514f86d5C86a6e375E3A330B435Fb5"  # a plain (V1) bToken, no multiplier
BIB01_FEED = "0xad4395fc414Fc1575A7a38C20B0Bfdbdb09ee41A"  # its Chainlink PoR feed (on Polygon)
INVENTORY = "0x5F7A4c11bde4f218f0025Ef444c369d838ffa2aD"
IMPL_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"
ADMIN_SLOT = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103"
E18 = 10**18

OWNER, MINTER, BURNER, PAUSER, UPDATER = ACCOUNTS[:5]
HOLDERS = {
    ACCOUNTS[5]: Decimal("500"),
    ACCOUNTS[6]: Decimal("250"),
    ACCOUNTS[7]: Decimal("150.5"),
    ACCOUNTS[8]: Decimal("75.25"),
    ACCOUNTS[9]: Decimal("24.25"),
}
INVENTORY_AMOUNT = Decimal("9000")
MULTIPLIER = Decimal("1.0021")  # a reinvested dividend, already active
GENERIC_OWNER = ACCOUNTS[7]
ONDO_ADMIN, ONDO_BURNER, ONDO_PAUSER = ACCOUNTS[8], ACCOUNTS[3], ACCOUNTS[4]
ONDO_MINTERS = ACCOUNTS[1:3]


def wei(amount: Decimal) -> int:
    return int(amount * E18)


def build_token(
    chain: Chain, art: dict, at: str | None, name: str, symbol: str, kind: str = "BackedAutoFeeToken"
) -> tuple[str, str, str]:
    """Deploy implementation + proxy; place the proxy at `at` when given.

    Returns the proxy, its ProxyAdmin and the implementation.
    """
    token_art, proxy_art = art[kind], art["TransparentProxy"]
    implementation = chain.deploy(token_art)
    admin = chain.deploy(art["ProxyAdmin"], ["address"], OWNER)
    if at is None:
        init = calldata(token_art, "initialize(string,string,address)", name, symbol, OWNER)
        at = chain.deploy(proxy_art, ["address", "address", "bytes"], implementation, admin, bytes.fromhex(init[2:]))
    else:
        chain.set_code(at, proxy_art["deployedBytecode"])
        chain.set_storage(at, IMPL_SLOT, implementation)
        chain.set_storage(at, ADMIN_SLOT, admin)
        chain.transact(OWNER, at, token_art, "initialize(string,string,address)", name, symbol, OWNER)
    roles = [("setMinter", MINTER), ("setBurner", BURNER), ("setPauser", PAUSER)]
    if kind == "BackedAutoFeeToken":
        roles.append(("setMultiplierUpdater", UPDATER))
    for setter, account in roles:
        chain.transact(OWNER, at, token_art, f"{setter}(address)", account)
    return at, admin, implementation


def place_feed(chain: Chain, art: dict, at: str | None, description: str, answer: int) -> str:
    """A reserve feed (8 decimals) with one fresh round, placed at `at` when given."""
    feed = art["ReserveFeed"]
    if at is None:
        at = chain.deploy(feed)
    else:
        chain.set_code(at, feed["deployedBytecode"])
    chain.transact(OWNER, at, feed, "initialize(uint8,string)", 8, description)
    chain.transact(OWNER, at, feed, "updateAnswer(int256)", answer)
    return at


def role(name: str) -> bytes:
    from backcheck.core.addresses import keccak256

    return keccak256(name.encode())


def build_generic(chain: Chain, art: dict, symbol: str, paused: bool) -> str:
    """An ordinary ERC-20 (Ownable, Pausable, owner-only mint and forceTransfer) with 1,000 minted."""
    generic = art["GenericToken"]
    at = chain.deploy(generic, ["string", "string", "address"], f"Generic {symbol}", symbol, GENERIC_OWNER)
    chain.transact(GENERIC_OWNER, at, generic, "mint(address,uint256)", ACCOUNTS[5], wei(Decimal(1_000)))
    if paused:
        chain.transact(GENERIC_OWNER, at, generic, "pause()")
    return at


def build_ondo_style(chain: Chain, art: dict, beacon_owner: str) -> tuple[str, str, str]:
    """BeaconProxy → UpgradeableBeacon (owned by `beacon_owner`) → AccessControlEnumerable token.

    Returns the proxy, the beacon and the implementation.
    """
    token = art["OndoStyleToken"]
    implementation = chain.deploy(token)
    beacon = chain.deploy(art["UpgradeableBeacon"], ["address", "address"], implementation, beacon_owner)
    init = calldata(token, "initialize(string,string,address)", "Apple (Ondo style)", "AAPLon", ONDO_ADMIN)
    at = chain.deploy(art["BeaconProxy"], ["address", "bytes"], beacon, bytes.fromhex(init[2:]))
    grants = [("MINTER_ROLE", m) for m in ONDO_MINTERS] + [("BURNER_ROLE", ONDO_BURNER), ("PAUSER_ROLE", ONDO_PAUSER)]
    for name, account in grants:
        chain.transact(ONDO_ADMIN, at, token, "grantRole(bytes32,address)", role(name), account)
    chain.transact(ONDO_MINTERS[0], at, token, "mint(address,uint256)", ACCOUNTS[6], wei(Decimal(500)))
    return at, beacon, implementation


def build_opaque(chain: Chain, art: dict, logic: str) -> str:
    """A token behind a proxy that keeps its logic in a private slot: no interface is identifiable."""
    token = art["OndoStyleToken"]
    init = calldata(token, "initialize(string,string,address)", "Opaque", "OPQ", ONDO_ADMIN)
    at = chain.deploy(art["OpaqueProxy"], ["address", "bytes"], logic, bytes.fromhex(init[2:]))
    chain.transact(ONDO_ADMIN, at, token, "grantRole(bytes32,address)", role("MINTER_ROLE"), ONDO_MINTERS[0])
    return at


def build_erc1967(chain: Chain, art: dict, kind: str, owner: str) -> tuple[str, str]:
    """An implementation of `kind` behind an ERC1967Proxy (implementation slot only, no admin).

    Returns the proxy and the implementation.
    """
    token = art[kind]
    implementation = chain.deploy(token)
    init = calldata(token, "initialize(string,string,address)", f"{kind} behind ERC1967Proxy", "E1967", owner)
    at = chain.deploy(art["ERC1967Proxy"], ["address", "bytes"], implementation, bytes.fromhex(init[2:]))
    return at, implementation


def main() -> None:
    art = compile_contracts()
    anvil = Anvil(chain_id=1)
    try:
        chain = Chain(anvil)
        chain.set_code(MULTICALL3, art["Multicall3"]["deployedBytecode"])
        token = art["BackedAutoFeeToken"]
        aaplx, aaplx_admin, aaplx_impl = build_token(chain, art, AAPLX, "Apple xStock", "AAPLx")
        chain.transact(MINTER, aaplx, token, "mint(address,uint256)", INVENTORY, wei(INVENTORY_AMOUNT))
        for holder, amount in HOLDERS.items():
            chain.transact(MINTER, aaplx, token, "mint(address,uint256)", holder, wei(amount))
        block = int(anvil.rpc("eth_blockNumber"), 16)
        now = int(anvil.rpc("eth_getBlockByNumber", hex(block), False)["timestamp"], 16)
        chain.transact(
            UPDATER, aaplx, token, "updateMultiplierWithActivationTime(uint256,uint256)", wei(MULTIPLIER), now
        )
        chain.transact(ACCOUNTS[5], aaplx, token, "transfer(address,uint256)", ACCOUNTS[6], wei(Decimal(10)))

        impostor, _, _ = build_token(chain, art, None, "Apple xStock", "AAPLx")
        chain.transact(MINTER, impostor, token, "mint(address,uint256)", ACCOUNTS[9], wei(Decimal(1_000_000)))

        feed = place_feed(chain, art, None, "AAPLx Reserves (test)", 10_021 * 10**8)

        bib01, bib01_admin, _ = build_token(
            chain, art, BIB01, "Backed IB01 $ Treasury Bond 0-1yr", "bIB01", "BackedTokenV1"
        )
        v1 = art["BackedTokenV1"]
        chain.transact(MINTER, bib01, v1, "mint(address,uint256)", INVENTORY, wei(Decimal(4_000)))
        chain.transact(MINTER, bib01, v1, "mint(address,uint256)", ACCOUNTS[5], wei(Decimal(6_000)))
        bib01_feed = place_feed(chain, art, BIB01_FEED, "bIB01 Reserves", 6_000 * 10**8)

        safe = chain.deploy(art["SafeLike"], ["address[]", "uint256"], ACCOUNTS[6:9], 2)
        timelock = chain.deploy(art["TimelockLike"], ["uint256", "address"], 2 * 86_400, OWNER)
        sanctions = chain.deploy(art["SanctionsListLike"])

        # Added later: deployed after everything above so that no earlier address moves.
        generic = build_generic(chain, art, "GEN", paused=False)
        generic_paused = build_generic(chain, art, "GENP", paused=True)
        ondo, ondo_beacon, ondo_impl = build_ondo_style(chain, art, safe)
        opaque = build_opaque(chain, art, ondo_impl)
        uups, uups_impl = build_erc1967(chain, art, "UupsToken", GENERIC_OWNER)
        bare_1967, _ = build_erc1967(chain, art, "OndoStyleToken", ONDO_ADMIN)

        minted = INVENTORY_AMOUNT + sum(HOLDERS.values())
        doc = {
            "chain_id": 1,
            "multicall3": MULTICALL3,
            "aaplx": aaplx,
            "aaplx_proxy_admin": aaplx_admin,
            "aaplx_implementation": aaplx_impl,
            "impostor": impostor,
            "reserve_feed": feed,
            "bib01": bib01,
            "bib01_proxy_admin": bib01_admin,
            "bib01_feed": bib01_feed,
            "safe_2_of_3": safe,
            "timelock_48h": timelock,
            "sanctions_list": sanctions,
            "inventory": INVENTORY,
            "roles": {
                "owner": OWNER,
                "minter": MINTER,
                "burner": BURNER,
                "pauser": PAUSER,
                "multiplier_updater": UPDATER,
            },
            "generic_token": generic,
            "generic_token_paused": generic_paused,
            "generic_owner": GENERIC_OWNER,
            "ondo_token": ondo,
            "ondo_beacon": ondo_beacon,
            "ondo_implementation": ondo_impl,
            "ondo_roles": {
                "admin": ONDO_ADMIN,
                "minters": ONDO_MINTERS,
                "burner": ONDO_BURNER,
                "pauser": ONDO_PAUSER,
                "beacon_owner": safe,
            },
            "opaque_token": opaque,
            "uups_token": uups,
            "uups_implementation": uups_impl,
            "erc1967_without_admin": bare_1967,
            "expected": {
                "aaplx_total_supply": str(minted * MULTIPLIER),
                "aaplx_multiplier": str(MULTIPLIER),
                "impostor_total_supply": "1000000",
                "bib01_total_supply": "10000",
                "bib01_float": "6000",
                "bib01_reserves": "6000",
            },
        }
        dump = anvil.rpc("anvil_dumpState")
        STATE_FIXTURE.write_bytes(bytes.fromhex(dump[2:]))
        ADDRESSES.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"wrote {STATE_FIXTURE.name} ({STATE_FIXTURE.stat().st_size} bytes) and {ADDRESSES.name}")
    finally:
        anvil.stop()


if __name__ == "__main__":
    main()
