"""Reading an EVM token's code: pushed selectors, forwarded calls, and naming its interface."""

from functools import reduce

import pytest

from backcheck.core.adapters.evm_interfaces import (
    ACCESS_CONTROL,
    ACCESS_CONTROL_ENUMERABLE,
    ADMIN_SLOT,
    BEACON_SLOT,
    IMPLEMENTATION_SLOT,
    ROLES,
    SELECTORS,
    Logic,
    forwards_calls,
    identify,
    pushed_selectors,
)
from backcheck.core.addresses import keccak256
from tests.helpers.solc import compile_contracts

ART = compile_contracts()
TOKEN = "0x0000000000000000000000000000000000000001"


def code(name: str) -> bytes:
    return bytes.fromhex(ART[name]["deployedBytecode"][2:])


def selector(signature: str) -> str:
    return keccak256(signature.encode())[:4].hex()


def test_every_selector_is_the_keccak_of_its_signature():
    assert {s: selector(s) for s in SELECTORS} == SELECTORS


def test_role_ids_and_slots_are_the_standard_ones():
    assert {r: keccak256(r.encode()).hex() for r in ROLES if r != "DEFAULT_ADMIN_ROLE"} == {
        r: h for r, h in ROLES.items() if r != "DEFAULT_ADMIN_ROLE"
    }
    assert ROLES["DEFAULT_ADMIN_ROLE"] == "00" * 32
    for slot, name in (
        (IMPLEMENTATION_SLOT, "eip1967.proxy.implementation"),
        (ADMIN_SLOT, "eip1967.proxy.admin"),
        (BEACON_SLOT, "eip1967.proxy.beacon"),
    ):
        assert slot == int.from_bytes(keccak256(name.encode()), "big") - 1


def xor(*signatures: str) -> str:
    return f"{reduce(lambda a, b: a ^ b, (int(selector(s), 16) for s in signatures)):08x}"


def test_erc165_ids_of_access_control():
    """The ids OpenZeppelin's AccessControl answers: the XOR of the interface's selectors."""
    access_control = (
        "hasRole(bytes32,address)",
        "getRoleAdmin(bytes32)",
        "grantRole(bytes32,address)",
        "revokeRole(bytes32,address)",
        "renounceRole(bytes32,address)",
    )
    assert xor(*access_control) == ACCESS_CONTROL
    assert xor("getRoleMember(bytes32,uint256)", "getRoleMemberCount(bytes32)") == ACCESS_CONTROL_ENUMERABLE


@pytest.mark.parametrize("name", ["GenericToken", "OndoStyleToken", "UupsToken", "BackedAutoFeeToken", "BackedTokenV1"])
def test_the_dispatcher_pushes_every_public_function(name):
    assert set(ART[name]["methodIdentifiers"].values()) <= pushed_selectors(code(name))


def test_a_short_push_is_a_selector_with_leading_zeros():
    assert "0094b09b" in pushed_selectors(bytes.fromhex("6294b09b"))  # PUSH3 0x94b09b


def test_push_data_is_not_an_opcode():
    assert forwards_calls(bytes.fromhex("f4"))  # DELEGATECALL
    assert forwards_calls(bytes.fromhex("f2"))  # CALLCODE
    assert not forwards_calls(bytes.fromhex("7f" + "f4" * 32))  # PUSH32 of 0xf4 bytes
    assert forwards_calls(bytes.fromhex("7f" + "f4" * 32 + "f4"))  # … then a real one
    assert "f4f4f4f4" not in pushed_selectors(bytes.fromhex("7f" + "f4" * 32))  # only PUSH1..PUSH4 count


def with_metadata(body: bytes, metadata: bytes) -> bytes:
    return body + metadata + len(metadata).to_bytes(2, "big")


def test_the_metadata_trailer_is_not_code():
    body = bytes.fromhex("63a9059cbb00")  # PUSH4 transfer, STOP
    metadata = bytes.fromhex("a2") + bytes.fromhex("f4" * 3) + bytes.fromhex("6340c10f19")
    stamped = with_metadata(body, metadata)
    assert not forwards_calls(stamped)
    assert pushed_selectors(stamped) == {"a9059cbb"}
    # A trailer whose length or CBOR map header does not fit is read as code (the safe way).
    assert forwards_calls(body + metadata + (len(metadata) + 1).to_bytes(2, "big"))
    assert forwards_calls(with_metadata(body, bytes.fromhex("a6") + metadata[1:]))
    assert not forwards_calls(with_metadata(body, bytes.fromhex("a1") + metadata[1:]))


@pytest.mark.parametrize(
    ("name", "forwards"),
    [
        ("GenericToken", False),
        ("OndoStyleToken", False),
        ("BackedAutoFeeToken", False),
        ("BeaconProxy", True),
        ("OpaqueProxy", True),
        ("TransparentProxy", True),
        ("ERC1967Proxy", True),
        ("UupsToken", True),  # upgradeToAndCall runs the new logic's initializer
    ],
)
def test_compiled_proxies_forward_and_tokens_do_not(name, forwards):
    assert forwards_calls(code(name)) is forwards


def probes(**answered: bool) -> dict[str, bool]:
    flags = dict.fromkeys(("backed", "autofee", "ownable", "access_control", "enumerable", "pausable"), False)
    return flags | answered


def test_names_the_generic_token():
    iface = identify(Logic("not a proxy", TOKEN, code("GenericToken")), **probes(ownable=True, pausable=True))
    assert iface.identified
    assert iface.name == "ERC-20 + Ownable + Pausable (not a proxy)"
    assert iface.has(["forceTransfer(address,address,uint256)", "freeze(address)"]) == [
        "forceTransfer(address,address,uint256)"
    ]


def test_names_backed_and_access_control_tokens():
    backed = identify(
        Logic("EIP-1967 transparent proxy", TOKEN, code("BackedAutoFeeToken")), **probes(backed=True, autofee=True)
    )
    assert backed.name == "Backed AutoFee token (EIP-1967 transparent proxy)"
    v1 = identify(Logic("EIP-1967 transparent proxy", TOKEN, code("BackedTokenV1")), **probes(backed=True))
    assert v1.name == "Backed token (EIP-1967 transparent proxy)"
    ondo = identify(
        Logic("BeaconProxy", TOKEN, code("OndoStyleToken")),
        **probes(access_control=True, enumerable=True, pausable=True),
    )
    assert ondo.name == "ERC-20 + AccessControlEnumerable + Pausable (BeaconProxy)"
    plain = identify(Logic("BeaconProxy", TOKEN, code("OndoStyleToken")), **probes(access_control=True))
    assert plain.name == "ERC-20 + AccessControl (BeaconProxy)" and not plain.enumerable


@pytest.mark.parametrize(
    ("logic", "why"),
    [
        (
            Logic("BeaconProxy", None, None, "the beacon gave no implementation()"),
            "the beacon gave no implementation()",
        ),
        (Logic("EIP-1967 transparent proxy", TOKEN, b""), f"no code at {TOKEN}"),
        (Logic("not a proxy", TOKEN, code("OpaqueProxy")), "forwards calls to other code"),
        (Logic("not a proxy", TOKEN, code("SafeLike")), "has no ERC-20 dispatcher"),
    ],
)
def test_unidentified_code_says_why(logic, why):
    iface = identify(logic, **probes(ownable=True, backed=True))
    assert not iface.identified
    assert iface.name.startswith("unidentified: ") and why in iface.name
    assert iface.selectors == frozenset()


def test_only_a_uups_implementation_may_forward_calls():
    """A UUPS implementation delegates in upgradeToAndCall; any other forwarding code is a hidden proxy."""
    forwarding_token = bytes.fromhex("63a9059cbb6370a082316318160ddd") + bytes.fromhex("f4")
    assert identify(Logic("UUPS proxy", TOKEN, forwarding_token), **probes()).identified
    assert not identify(Logic("EIP-1967 transparent proxy", TOKEN, forwarding_token), **probes()).identified
