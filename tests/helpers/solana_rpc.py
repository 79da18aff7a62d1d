"""A local Solana JSON-RPC server that answers like the real one (jsonParsed, agave field names).

It serves mints and token accounts from documents built by :func:`nvdax_mint` and
:func:`token_account`, modelled on the real NVDAx mint decoded in facts-onchain.md §2.4.
Like the real RPC, ``getTokenSupply`` and token-account ``uiAmountString`` already apply the
Scaled UI Amount multiplier, and ``getTokenLargestAccounts`` lists at most 20 accounts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from .loopback_server import LoopbackServer, Reply, Request

TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
SYSTEM_PROGRAM = "11111111111111111111111111111111"
NVDAX = "Xsc9qvGR1efVDFGLrVsmkzv3qi45LTBjeUKSPmx9qEh"
INVENTORY_OWNER = "S7vYFFWH6BjJyEsdrPQpqpYTqLTrPRK6KW3VwsJuRaS"
BACKED_AUTHORITY = "5aMNNLQJwAEeoemTEMkv5NVjqKwvvefRYCQ5Z67HFvEq"
MINT_AUTHORITY = "7pt9tkctJPK7PPNQJ77GKg8ZffSF6QxoMiCFYHxrtaCj"
FREEZE_AUTHORITY = "JDq14BWvqCRFNu1krb12bcRpbGtJZ1FLEakMw6FdxJNs"
SLOT = 449660471
METAPLEX_PROGRAM = "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s"
CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111"
SYSVAR_OWNER = "Sysvar1111111111111111111111111111111111111"
MAINNET_GENESIS = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"
DEVNET_GENESIS = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def pubkey(label: str) -> str:
    """A deterministic, valid 32-byte base58 key for a label."""
    return b58encode(hashlib.sha256(label.encode()).digest())


def nvdax_mint(
    *,
    supply: int = 32_127_474_496_638,
    multiplier: str = "1.0009180758490996",
    new_multiplier: str = "1.001701196801074",
    effective_at: int = 1_789_000_200,
    paused: bool = False,
    extra_extensions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The NVDAx mint account as getAccountInfo(jsonParsed) returns it (value part)."""
    extensions = [
        {
            "extension": "confidentialTransferMint",
            "state": {
                "authority": BACKED_AUTHORITY,
                "autoApproveNewAccounts": False,
                "auditorElgamalPubkey": None,
            },
        },
        {"extension": "defaultAccountState", "state": {"accountState": "initialized"}},
        {"extension": "permanentDelegate", "state": {"delegate": BACKED_AUTHORITY}},
        {"extension": "transferHook", "state": {"authority": BACKED_AUTHORITY, "programId": None}},
        {"extension": "metadataPointer", "state": {"authority": BACKED_AUTHORITY, "metadataAddress": NVDAX}},
        {
            "extension": "scaledUiAmountConfig",
            "state": {
                "authority": INVENTORY_OWNER,
                "multiplier": multiplier,
                "newMultiplierEffectiveTimestamp": effective_at,
                "newMultiplier": new_multiplier,
            },
        },
        {"extension": "pausableConfig", "state": {"authority": FREEZE_AUTHORITY, "paused": paused}},
        {
            "extension": "tokenMetadata",
            "state": {
                "updateAuthority": BACKED_AUTHORITY,
                "mint": NVDAX,
                "name": "NVIDIA xStock",
                "symbol": "NVDAx",
                "uri": "https://xstocks-metadata.backed.fi/tokens/Solana/NVDAx/metadata.json",
                "additionalMetadata": [],
            },
        },
        *(extra_extensions or []),
    ]
    return {
        "data": {
            "parsed": {
                "info": {
                    "decimals": 8,
                    "extensions": extensions,
                    "freezeAuthority": FREEZE_AUTHORITY,
                    "isInitialized": True,
                    "mintAuthority": MINT_AUTHORITY,
                    "supply": str(supply),
                },
                "type": "mint",
            },
            "program": "spl-token-2022",
            "space": 679,
        },
        "executable": False,
        "lamports": 5616720,
        "owner": TOKEN_2022,
        "rentEpoch": 18446744073709551615,
        "space": 679,
    }


def token_account(
    mint: str, owner: str, amount: int, decimals: int = 8, *, state: str = "initialized", program: str = TOKEN_2022
) -> dict[str, Any]:
    """A token account as getAccountInfo/getMultipleAccounts(jsonParsed) returns it (Token-2022 unless ``program``).

    ``state`` is ``initialized`` or ``frozen`` (the freeze authority froze it).
    """
    classic = program == TOKEN_PROGRAM
    extensions = [
        {"extension": "immutableOwner"},
        {"extension": "pausableAccount"},
        {"extension": "transferHookAccount", "state": {"transferring": False}},
    ]
    return {
        "data": {
            "parsed": {
                "info": {
                    **({} if classic else {"extensions": extensions}),
                    "isNative": False,
                    "mint": mint,
                    "owner": owner,
                    "state": state,
                    "tokenAmount": {"amount": str(amount), "decimals": decimals},
                },
                "type": "account",
            },
            "program": "spl-token" if classic else "spl-token-2022",
            "space": 165 if classic else 182,
        },
        "executable": False,
        "lamports": 2039280 if classic else 2157600,
        "owner": program,
        "rentEpoch": 18446744073709551615,
        "space": 165 if classic else 182,
    }


def plain_mint(decimals: int, supply: int, program: str = TOKEN_PROGRAM) -> dict[str, Any]:
    """A mint without extensions (a classic SPL Token mint unless ``program``) as getAccountInfo returns it."""
    return {
        "data": {
            "parsed": {
                "info": {
                    "decimals": decimals,
                    "freezeAuthority": None,
                    "isInitialized": True,
                    "mintAuthority": None,
                    "supply": str(supply),
                },
                "type": "mint",
            },
            "program": "spl-token" if program == TOKEN_PROGRAM else "spl-token-2022",
            "space": 82,
        },
        "executable": False,
        "lamports": 1461600,
        "owner": program,
        "rentEpoch": 18446744073709551615,
        "space": 82,
    }


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def metaplex_account(
    mint: str, authority: str, *, name: str, symbol: str, uri: str, mutable: bool = True, creators: int = 0
) -> dict[str, Any]:
    """A Metaplex MetadataV1 account as getAccountInfo(base64) returns it (Borsh, padded strings)."""

    def text(value: str, size: int) -> bytes:
        raw = value.encode().ljust(size, b"\0")
        return len(raw).to_bytes(4, "little") + raw

    data = bytes([4]) + b58decode(authority) + b58decode(mint)
    data += text(name, 32) + text(symbol, 10) + text(uri, 200) + (0).to_bytes(2, "little")
    if creators:
        data += bytes([1]) + creators.to_bytes(4, "little")
        data += b"".join(b58decode(pubkey(f"creator-{i}")) + bytes([1, 100 // creators]) for i in range(creators))
    else:
        data += bytes([0])
    data += bytes([1, int(mutable)]) + bytes([1, 254]) + bytes(10)  # sale happened, mutable, edition nonce, padding
    return {
        "data": [base64.b64encode(data).decode(), "base64"],
        "executable": False,
        "lamports": 5616720,
        "owner": METAPLEX_PROGRAM,
        "rentEpoch": 18446744073709551615,
        "space": len(data),
    }


def nvdax_holders(supply: int = 32_127_474_496_638) -> dict[str, dict[str, Any]]:
    """Token accounts of NVDAx: the issuer inventory holds most; 24 ordinary holders share the rest."""
    inventory = 25_000_000_000_000  # 250,000 raw tokens with the issuer
    amounts = [2_000_000_000_000, 1_200_000_000_000, 900_000_000_000, 700_000_000_000]
    amounts += [100_000_000_000 - i * 3_000_000_000 for i in range(20)]
    amounts.append(supply - inventory - sum(amounts))
    accounts = {pubkey("nvdax-inventory-ata"): token_account(NVDAX, INVENTORY_OWNER, inventory)}
    for i, amount in enumerate(amounts):
        accounts[pubkey(f"nvdax-ata-{i}")] = token_account(NVDAX, pubkey(f"holder-{i}"), amount)
    return accounts


def _ui(amount: int, decimals: int, multiplier: Decimal) -> str:
    value = (Decimal(amount).scaleb(-decimals) * multiplier).quantize(Decimal(1).scaleb(-decimals), ROUND_DOWN)
    return format(value.normalize(), "f")


class SolanaRpc:
    """Serve accounts over JSON-RPC on loopback.

    Attributes:
        accounts: address → account document (the ``value`` of getAccountInfo).
        calls: One list of method names per HTTP request (batches count once).
        spans: Per request, when it arrived and when its answer was due (``time.monotonic``), and its methods.
        fault: Optional hook; a Reply it returns replaces the normal answer.
        errors: method → (code, message) answered as a JSON-RPC error (inside a batch too).
        now: The chain's clock: served as the Clock sysvar and used to pick the effective multiplier.
        genesis: The genesis hash served by ``getGenesisHash`` (mainnet-beta's unless a test changes it).
        omit: Methods whose answers a batch reply leaves out (a node that drops items).
        missing: Addresses ``getMultipleAccounts`` answers ``null`` for (a node that omits accounts).
    """

    def __init__(self, accounts: dict[str, dict[str, Any]], latency: float = 0.0) -> None:
        self.accounts = accounts
        self.latency = latency
        self.calls: list[list[str]] = []
        self.spans: list[tuple[float, float, list[str]]] = []
        self.fault: Callable[[Request], Reply | None] | None = None
        self.errors: dict[str, tuple[int, str]] = {}
        self.now: Callable[[], float] = time.time
        self.genesis = MAINNET_GENESIS
        self.omit: set[str] = set()
        self.missing: set[str] = set()
        self.server = LoopbackServer({("POST", "/"): self._handle})
        self.url = self.server.url + "/"

    def close(self) -> None:
        self.server.close()

    def _handle(self, request: Request) -> Reply:
        try:
            body = request.json()
        except json.JSONDecodeError:
            return Reply({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
        items = body if isinstance(body, list) else [body]
        self.calls.append([i.get("method") for i in items])
        if self.fault is not None and (reply := self.fault(request)) is not None:
            return reply
        answers = [self._one(i) for i in items if i.get("method") not in self.omit]
        self.spans.append((time.monotonic(), time.monotonic() + self.latency, [i.get("method") for i in items]))
        return Reply(answers if isinstance(body, list) else answers[0], delay=self.latency)

    def _one(self, item: dict[str, Any]) -> dict[str, Any]:
        method, params = item.get("method"), item.get("params") or []
        if method in self.errors:
            code, message = self.errors[method]
            return {"jsonrpc": "2.0", "id": item.get("id"), "error": {"code": code, "message": message}}
        handler = getattr(self, f"_rpc_{method}", None)
        if handler is None:
            return {
                "jsonrpc": "2.0",
                "id": item.get("id"),
                "error": {"code": -32601, "message": "Method not found"},
            }
        try:
            result = handler(*params)
        except _RpcFailure as exc:
            return {"jsonrpc": "2.0", "id": item.get("id"), "error": {"code": exc.code, "message": str(exc)}}
        except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError):  # a test broke an account
            return {"jsonrpc": "2.0", "id": item.get("id"), "error": {"code": -32603, "message": "Internal error"}}
        return {"jsonrpc": "2.0", "id": item.get("id"), "result": result}

    def _context(self) -> dict[str, Any]:
        return {"apiVersion": "2.3.6", "slot": SLOT}

    def _multiplier(self, mint: str) -> Decimal:
        for ext in self.accounts[mint]["data"]["parsed"]["info"].get("extensions", []):
            if ext["extension"] == "scaledUiAmountConfig":
                s = ext["state"]
                passed = self.now() >= s["newMultiplierEffectiveTimestamp"]
                return Decimal(s["newMultiplier"] if passed else s["multiplier"])
        return Decimal(1)

    def _mint(self, mint: str) -> dict[str, Any]:
        account = self.accounts.get(mint)
        data = (account or {}).get("data")
        if not isinstance(data, dict) or data["parsed"]["type"] != "mint":
            raise _RpcFailure(-32602, "Invalid param: not a Token mint")
        return account["data"]["parsed"]["info"]

    def _clock(self) -> dict[str, Any]:
        """The Clock sysvar as getAccountInfo(jsonParsed) returns it (value part), at ``now``."""
        epoch = SLOT // 432_000
        return {
            "data": {
                "parsed": {
                    "info": {
                        "epoch": epoch,
                        "epochStartTimestamp": int(self.now()) - 86_400,
                        "leaderScheduleEpoch": epoch + 1,
                        "slot": SLOT,
                        "unixTimestamp": int(self.now()),
                    },
                    "type": "clock",
                },
                "program": "sysvar",
                "space": 40,
            },
            "executable": False,
            "lamports": 1169280,
            "owner": SYSVAR_OWNER,
            "rentEpoch": 18446744073709551615,
            "space": 40,
        }

    def _rpc_getGenesisHash(self) -> str:
        return self.genesis

    def _rpc_getAccountInfo(self, address: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
        account = self._clock() if address == CLOCK_SYSVAR else self.accounts.get(address)
        return {"context": self._context(), "value": account}

    def _rpc_getMultipleAccounts(self, addresses: list[str], config: dict[str, Any] | None = None) -> dict[str, Any]:
        value = [None if a in self.missing else self.accounts.get(a) for a in addresses]
        return {"context": self._context(), "value": value}

    def _rpc_getTokenAccountsByOwner(
        self, owner: str, selector: dict[str, str], config: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Like agave: one program's (``programId``) or one mint's (``mint``) token accounts of ``owner``."""
        if set(selector) not in ({"programId"}, {"mint"}):
            raise _RpcFailure(-32602, "Invalid params: expected programId or mint")
        if "programId" in selector and selector["programId"] not in (TOKEN_PROGRAM, TOKEN_2022):
            raise _RpcFailure(-32602, "Invalid param: unrecognized Token program id")
        rows = []
        for address, account in self.accounts.items():
            parsed = account["data"].get("parsed", {}) if isinstance(account["data"], dict) else {}
            info = parsed.get("info", {})
            if parsed.get("type") != "account" or info.get("owner") != owner:
                continue
            if (
                selector.get("programId", account["owner"]) == account["owner"]
                and selector.get("mint", info["mint"]) == info["mint"]
            ):
                rows.append({"pubkey": address, "account": account})
        return {"context": self._context(), "value": rows}

    def _rpc_getTokenSupply(self, mint: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
        info = self._mint(mint)
        ui = _ui(int(info["supply"]), info["decimals"], self._multiplier(mint))
        return {
            "context": self._context(),
            "value": {
                "amount": info["supply"],
                "decimals": info["decimals"],
                "uiAmount": float(ui),
                "uiAmountString": ui,
            },
        }

    def _rpc_getTokenLargestAccounts(self, mint: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
        info = self._mint(mint)
        multiplier = self._multiplier(mint)
        rows = []
        for address, account in self.accounts.items():
            parsed = account["data"]["parsed"] if isinstance(account["data"], dict) else {}
            if parsed.get("type") == "account" and parsed["info"]["mint"] == mint:
                amount = int(parsed["info"]["tokenAmount"]["amount"])
                ui = _ui(amount, info["decimals"], multiplier)
                rows.append(
                    {
                        "address": address,
                        "amount": str(amount),
                        "decimals": info["decimals"],
                        "uiAmount": float(ui),
                        "uiAmountString": ui,
                    }
                )
        rows.sort(key=lambda r: -int(r["amount"]))
        return {"context": self._context(), "value": rows[:20]}


class _RpcFailure(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
