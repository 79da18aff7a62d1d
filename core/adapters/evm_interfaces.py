"""What an EVM token's code is: the proxy in front of it, and the interface its logic code has.

Evidence comes from the power map's reads: the EIP-1967 slots (implementation, admin, beacon),
standard probes answered through the token (Backed's getters, Ownable ``owner()``, ERC-165
``supportsInterface`` for AccessControl, ``paused()``), and the selectors the logic code's
dispatcher compares calldata with. Solidity and Vyper dispatchers push each selector as a
constant, so a selector absent from identified logic code is a function the token lacks; a
selector present means the power may exist (who may call it is another question).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
ADMIN_SLOT = 0xB53127684A568B3173AE13B9F8A6016E243E63B6E8EE1178D6A717850B5D6103
BEACON_SLOT = 0xA3F0AD74E5423AEBFD80D3EF4346578335A9A72AEAEE59FF6CB3582B35133D50

# 4-byte selectors of the functions this module looks for (tests check each against keccak256).
SELECTORS = {
    "transfer(address,uint256)": "a9059cbb",
    "balanceOf(address)": "70a08231",
    "totalSupply()": "18160ddd",
    "mint(address,uint256)": "40c10f19",
    "mint(uint256)": "a0712d68",
    "issue(address,uint256)": "867904b4",
    "burn(address,uint256)": "9dc29fac",
    "pause()": "8456cb59",
    "setPause(bool)": "bedb86fb",
    "setPaused(bool)": "16c38b3c",
    "updateMultiplier(uint256)": "5ffe6146",
    "updateMultiplierValue(uint256,uint256)": "a879a9db",
    "updateMultiplierWithActivationTime(uint256,uint256)": "3f4abb27",
    "setMultiplier(uint256)": "641579a6",
    "freeze(address)": "8d1fdf2f",
    "freezeAccount(address)": "f26c159f",
    "blacklist(address)": "f9f92be4",
    "addToBlacklist(address)": "44337ea1",
    "addBlackList(address)": "0ecb93c0",
    "addToBlocklist(address)": "c83fae91",
    "blockAccount(address)": "7c0a893d",
    "setFrozen(address,bool)": "ac869cd8",
    "forceTransfer(address,address,uint256)": "33bebb77",
    "forcedTransfer(address,address,uint256)": "9fc1d0e7",
    "adminTransfer(address,address,uint256)": "da72c1e8",
    "controllerTransfer(address,address,uint256,bytes,bytes)": "f282527a",
    "controllerRedeem(address,uint256,bytes,bytes)": "2bc6acc3",
    "clawback(address,uint256)": "f3df317e",
    "seize(address,uint256)": "eb9253c0",
    "upgradeTo(address)": "3659cfe6",
    "upgradeToAndCall(address,bytes)": "4f1ef286",
}
ERC20_CORE = ("transfer(address,uint256)", "balanceOf(address)", "totalSupply()")
# OpenZeppelin AccessControl roles: keccak256 of the name; the admin role is zero.
ROLES = {
    "DEFAULT_ADMIN_ROLE": "00" * 32,
    "MINTER_ROLE": "9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6",
    "BURNER_ROLE": "3c11d16cbaffd01df69ce1c404f6340ee057498f5f00246190ea54220576a848",
    "PAUSER_ROLE": "65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a",
    "FREEZER_ROLE": "92de27771f92d6942691d73358b3a4673e4880de8356f8f2cf452be87e02d363",
    "UPGRADER_ROLE": "189ab7a9244df0848122154315af71fe140f3db0fe014031783b0946b8c9d2e3",
}
ACCESS_CONTROL = "7965db0b"  # ERC-165 id of IAccessControl
ACCESS_CONTROL_ENUMERABLE = "5a05180f"  # ERC-165 id of IAccessControlEnumerable
BACKED_GETTERS = ("owner", "minter", "burner", "pauser", "isPaused", "sanctionsList")

DELEGATECALL, CALLCODE, PUSH1, PUSH4, PUSH32 = 0xF4, 0xF2, 0x60, 0x63, 0x7F


@functools.lru_cache(maxsize=64)
def _scan(code: bytes) -> tuple[frozenset[str], bool]:
    """The 1- to 4-byte constants the code pushes (8-digit hex), and whether it has DELEGATECALL or CALLCODE.

    One pass up to the compiler's metadata trailer; push data is never read as an opcode.
    """
    end = len(code)
    if end >= 2:
        trailer = int.from_bytes(code[-2:], "big")  # solc and vyper end with CBOR metadata + its length
        if trailer + 2 <= end and code[end - trailer - 2] in range(0xA1, 0xA6):
            end -= trailer + 2
    pushed: set[bytes] = set()
    forwards = False
    i = 0
    while i < end:
        op = code[i]
        if PUSH1 <= op <= PUSH32:
            if op <= PUSH4 and (data := code[i + 1 : i + 2 + op - PUSH1]):
                pushed.add(data)
            i += 2 + op - PUSH1
        else:
            forwards = forwards or op in (DELEGATECALL, CALLCODE)
            i += 1
    return frozenset(data.rjust(4, b"\0").hex() for data in pushed), forwards


def pushed_selectors(code: bytes) -> frozenset[str]:
    """The 1- to 4-byte constants the code pushes, as 8-digit hex (where a dispatcher's selectors are)."""
    return _scan(code)[0]


def forwards_calls(code: bytes) -> bool:
    """Whether the code runs other code in its own storage (DELEGATECALL or CALLCODE)."""
    return _scan(code)[1]


@dataclasses.dataclass(frozen=True, slots=True)
class Logic:
    """Where the code that answers the token's calls lives.

    Attributes:
        proxy: ``not a proxy``, ``EIP-1967 transparent proxy``, ``BeaconProxy``, ``UUPS proxy``,
            or a sentence for a proxy whose upgrade path is not readable.
        address: The address of the logic code (the token itself when it is not a proxy).
        code: The logic code; ``None`` when it could not be found.
        problem: Why the logic code could not be found.
    """

    proxy: str
    address: str | None
    code: bytes | None
    problem: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Interface:
    """The token's identified interface, or why it is unidentified.

    Attributes:
        identified: Whether the logic code was read and matches a known family; only then is
            a missing function evidence that a power does not exist.
        name: What was identified, e.g. ``Backed AutoFee token (EIP-1967 transparent proxy)``,
            or ``unidentified: <why>``.
        logic: Where the logic code lives.
        selectors: The selectors found in the logic code.
        backed: Backed's getter set answers.
        ownable: ``owner()`` answers.
        access_control: ERC-165 says IAccessControl.
        enumerable: ERC-165 says IAccessControlEnumerable (role members can be listed).
    """

    identified: bool
    name: str
    logic: Logic
    selectors: frozenset[str] = frozenset()
    backed: bool = False
    ownable: bool = False
    access_control: bool = False
    enumerable: bool = False

    def has(self, signatures: Iterable[str]) -> list[str]:
        """The signatures among ``signatures`` whose selector is in the logic code."""
        return [s for s in signatures if SELECTORS[s] in self.selectors]


def identify(
    logic: Logic, *, backed: bool, autofee: bool, ownable: bool, access_control: bool, enumerable: bool, pausable: bool
) -> Interface:
    """Name the token's interface from its logic code and the probes that answered."""
    if logic.code is None:
        return Interface(False, f"unidentified: {logic.problem}", logic)
    where = f"the code at {logic.address}"
    if not logic.code:
        return Interface(False, f"unidentified: no code at {logic.address}", logic)
    if forwards_calls(logic.code) and logic.proxy != "UUPS proxy":
        return Interface(
            False,
            f"unidentified: {where} forwards calls to other code (DELEGATECALL) without a standard proxy slot",
            logic,
        )
    selectors = pushed_selectors(logic.code)
    if any(SELECTORS[s] not in selectors for s in ERC20_CORE):
        return Interface(
            False, f"unidentified: {where} has no ERC-20 dispatcher (transfer, balanceOf, totalSupply)", logic
        )
    if backed:
        family = "Backed AutoFee token" if autofee else "Backed token"
    else:
        parts = ["ERC-20"]
        parts += ["Ownable"] if ownable else []
        parts += ["AccessControlEnumerable" if enumerable else "AccessControl"] if access_control else []
        parts += ["Pausable"] if pausable else []
        family = " + ".join(parts)
    return Interface(True, f"{family} ({logic.proxy})", logic, selectors, backed, ownable, access_control, enumerable)
