"""Small helpers to deploy and call the test contracts on anvil (raw JSON-RPC + eth_abi)."""

from __future__ import annotations

import re
import time
from typing import Any

from eth_abi import decode, encode

from .anvil import Anvil, RpcError

# anvil's public default dev accounts (facts-toolchain.md §1).
ACCOUNTS = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
]
_SIG = re.compile(r"^(\w+)\((.*)\)$")


def _types(signature: str) -> list[str]:
    match = _SIG.match(signature)
    assert match, signature
    args = match.group(2)
    # Split on top-level commas only (tuples are not used by these helpers).
    return [a for a in args.split(",") if a] if args else []


def calldata(artifact: dict[str, Any], signature: str, *args: Any) -> str:
    """Encode a call to ``signature`` using the compiled method identifiers."""
    selector = artifact["methodIdentifiers"][signature]
    return "0x" + selector + encode(_types(signature), list(args)).hex()


class Chain:
    """Drive an anvil node with its unlocked dev accounts."""

    def __init__(self, anvil: Anvil) -> None:
        self.anvil = anvil

    def send(self, sender: str, to: str | None, data: str, value: int = 0) -> dict[str, Any]:
        """Send a transaction (automined) and return its receipt; raise if it reverted."""
        tx: dict[str, Any] = {"from": sender, "data": data, "gas": hex(15_000_000)}
        if to is not None:
            tx["to"] = to
        if value:
            tx["value"] = hex(value)
        tx_hash = self.anvil.rpc("eth_sendTransaction", tx)
        receipt = None
        for _ in range(500):  # automine answers before the receipt is indexed
            receipt = self.anvil.rpc("eth_getTransactionReceipt", tx_hash)
            if receipt is not None:
                break
            time.sleep(0.002)
        assert receipt is not None, f"no receipt for {tx_hash}"
        if int(receipt["status"], 16) != 1:
            raise RpcError(f"transaction reverted: {receipt}")
        return receipt

    def deploy(
        self,
        artifact: dict[str, Any],
        ctor_types: list[str] | None = None,
        *args: Any,
        sender: str = ACCOUNTS[0],
    ) -> str:
        """Deploy a contract and return its address."""
        data = artifact["bytecode"] + (encode(ctor_types, list(args)).hex() if ctor_types else "")
        return str(self.send(sender, None, data)["contractAddress"])

    def call(
        self,
        to: str,
        artifact: dict[str, Any],
        signature: str,
        returns: list[str],
        *args: Any,
        block: str = "latest",
    ) -> Any:
        """Call a view function and decode its result."""
        raw = self.anvil.rpc("eth_call", {"to": to, "data": calldata(artifact, signature, *args)}, block)
        values = decode(returns, bytes.fromhex(raw[2:]))
        return values[0] if len(values) == 1 else values

    def transact(self, sender: str, to: str, artifact: dict[str, Any], signature: str, *args: Any) -> dict[str, Any]:
        """Send a state-changing call."""
        return self.send(sender, to, calldata(artifact, signature, *args))

    def set_code(self, address: str, code: str) -> None:
        """Place runtime code at any address (anvil_setCode)."""
        self.anvil.rpc("anvil_setCode", address, code)

    def set_storage(self, address: str, slot: str, value: str) -> None:
        """Write one storage slot (anvil_setStorageAt); ``value`` is a 20-byte address or word."""
        self.anvil.rpc("anvil_setStorageAt", address, slot, "0x" + value[2:].rjust(64, "0"))
