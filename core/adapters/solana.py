"""Solana JSON-RPC adapter (jsonParsed) for Token-2022 and classic SPL mints.

One lookup takes two round trips: ``getGenesisHash`` (mainnet-beta only), the Clock sysvar
(the chain's own time), the mint, ``getTokenSupply``, ``getTokenLargestAccounts`` and the
mint's Metaplex metadata account in one batch, then the owners of the largest accounts and
what each authority is in one ``getMultipleAccounts``. Field names follow agave's account decoder
(facts-onchain.md §2.4). Every answer is decoded here: a wrong shape or type is a
:class:`SourceError` naming the source, never a traceback.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ..addresses import b58decode
from ..errors import BadInput, SourceError
from ..facts import Fact, iso, nobody, utc_now
from ..holders import Holder, concentration
from ..http import Http
from ..plausibility import amount, clock_drift
from ..units import from_raw, normalized
from .jsonrpc import RpcError, batch, call

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"  # noqa: S105 - a program id
TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"  # noqa: S105 - a program id
KNOWN_EXTENSIONS = frozenset(
    {
        "scaledUiAmountConfig",
        "permanentDelegate",
        "pausableConfig",
        "defaultAccountState",
        "transferHook",
        "confidentialTransferMint",
        "metadataPointer",
        "tokenMetadata",
        "transferFeeConfig",
        "mintCloseAuthority",
    }
)
PARSED = {"encoding": "jsonParsed", "commitment": "confirmed"}
CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111"
METAPLEX_PROGRAM = "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s"  # Token Metadata: a classic mint's metadata
MAINNET_GENESIS = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"  # mainnet-beta's genesis hash
SYSTEM_PROGRAM = "11111111111111111111111111111111"
MULTISIG_PROGRAMS = {
    "SQDS4ep65T869zMMBKyuUq6aD6EgTu8psMjkvj52pCf": "Squads v4",
    "SMPLecH534NA9acpos4G6x7uf3LWbCAwZQE9e8ZekMu": "Squads v3",
}
AUTHORITIES = (
    "mint_authority",
    "freeze_authority",
    "pause_authority",
    "permanent_delegate",
    "metadata_update_authority",
    "multiplier_authority",
)
HOLDER_KEYS = (
    "holders",
    "issuer_inventory",
    "float",
    "holders_top1_share",
    "holders_top10_share",
    "holders_hhi",
    "holders_nakamoto",
    "holders_count",
)
# Every fact a read can write (fact key → unit); a failed read leaves each of them unknown.
FEEDS: dict[str, str] = {
    "chain_time": "time (the chain's Clock sysvar)",
    "token_program": "program",
    "decimals": "digits",
    "total_supply_raw": "raw units",
    "total_supply": "tokens (UI, multiplier applied)",
    "total_supply_rpc_ui": "tokens (node's UI amount)",
    "mint_authority": "address",
    "freeze_authority": "address",
    "extensions": "extension names",
    "extensions_unrecognised": "raw extension JSON",
    "multiplier": "shares per raw token",
    "multiplier_stored": "shares per raw token",
    "multiplier_pending": "shares per raw token",
    "multiplier_pending_at": "time",
    "multiplier_authority": "address",
    "pause_authority": "address",
    "paused": "flag",
    "permanent_delegate": "address",
    "default_account_state": "state",
    "transfer_hook_program": "program",
    "transfer_hook_authority": "address",
    "transfer_fee": "basis points",
    "mint_close_authority": "address",
    "confidential_transfers": "state",
    "metadata_pointer": "address",
    "token_name": "text",
    "token_symbol": "text",
    "metadata_uri": "url",
    "metadata_update_authority": "address",
    **{f"{a}_kind": "kind of holder" for a in AUTHORITIES},
    "holders": "largest token accounts",
    "issuer_inventory": "tokens in labelled issuer wallets",
    "float": "tokens (supply minus labelled issuer wallets)",
    "holders_top1_share": "share of the float",
    "holders_top10_share": "share of the float",
    "holders_hhi": "HHI (0–1)",
    "holders_nakamoto": "holders",
    "holders_count": "holders",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Multiplier:
    """The Scaled UI Amount state and the effective multiplier the app computes from it."""

    stored: Decimal
    new: Decimal
    effective_at: int

    def effective(self, now: datetime) -> Decimal:
        """Apply the program's rule: ``newMultiplier`` once its timestamp has passed."""
        return self.new if now.timestamp() >= self.effective_at else self.stored

    def pending(self, now: datetime) -> bool:
        """Whether a change is scheduled for later."""
        return self.effective_at > now.timestamp() and self.new != self.stored


class SolanaReader:
    """Reads one Solana mint through one RPC endpoint.

    Attributes:
        url: The RPC endpoint.
        source: Provenance label on every fact.
    """

    def __init__(self, http: Http, url: str, label: Callable[[str], str | None]) -> None:
        self.url = url
        self.source = f"Solana RPC ({url})"
        self._http = http
        self._label = label

    def _method(self, name: str, *params: Any) -> str:
        return f"{name} {json.dumps(list(params))}"

    async def read(self, mint: str) -> dict[str, Fact]:
        """Read a mint, its supply and its largest holders, at the chain's own time.

        Raises:
            BadInput: The address holds no account, a token account, or a non-token account.
            SourceError: The node failed, is not on mainnet-beta, or answered in another shape.
        """
        answers = await batch(
            self._http,
            self.url,
            [
                ("getGenesisHash", []),
                ("getAccountInfo", [CLOCK_SYSVAR, PARSED]),
                ("getAccountInfo", [mint, PARSED]),
                ("getTokenSupply", [mint, {"commitment": "confirmed"}]),
                ("getTokenLargestAccounts", [mint, {"commitment": "confirmed"}]),
                ("getAccountInfo", [metaplex_address(mint), {"encoding": "base64", "commitment": "confirmed"}]),
            ],
        )
        try:
            return await self._decode(mint, *answers)
        except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError, OSError) as exc:
            raise SourceError(f"{self.source} answered in an unexpected shape ({type(exc).__name__}: {exc})") from None

    async def _decode(
        self, mint: str, genesis: Any, clock: Any, info: Any, supply: Any, largest: Any, metaplex: Any
    ) -> dict[str, Fact]:
        """Check the cluster and the clock, then build the facts from the first batch's answers."""
        if isinstance(genesis, RpcError):
            raise SourceError(f"{self.source} did not say which cluster it serves ({genesis})")
        if genesis != MAINNET_GENESIS:
            raise SourceError(
                f"{self.source} is not Solana mainnet-beta: its genesis hash is {str(genesis)[:60]!r}, "
                f"mainnet-beta's is {MAINNET_GENESIS}"
            )
        for answer in (clock, info):
            if isinstance(answer, RpcError):
                raise answer
        now = utc_now()
        chain_now = _chain_time(clock, now)
        slot = int(info["context"]["slot"])
        parsed = _mint_info(mint, info["value"], slot)
        facts = self._mint_facts(mint, parsed, slot, now, chain_now)
        if "token_name" not in facts:
            facts.update(self._metaplex_facts(mint, metaplex, now))
        facts["chain_time"] = Fact(
            iso(chain_now),
            FEEDS["chain_time"],
            self.source,
            self._method("getAccountInfo", CLOCK_SYSVAR, PARSED) + " → unixTimestamp",
            int(clock["context"]["slot"]),
            now,
        )
        supply_method = self._method("getTokenSupply", mint)
        facts["total_supply_rpc_ui"] = (
            Fact.unknown(
                f"the node refused getTokenSupply ({supply})",
                unit=FEEDS["total_supply_rpc_ui"],
                source=self.source,
                method=supply_method,
            )
            if isinstance(supply, RpcError)
            else Fact(
                amount(supply["value"]["uiAmountString"], "getTokenSupply uiAmountString"),
                FEEDS["total_supply_rpc_ui"],
                self.source,
                supply_method,
                int(supply["context"]["slot"]),
                now,
            )
        )
        facts.update(await self._second_round(mint, largest, facts, now))
        return facts

    def _mint_facts(
        self, mint: str, parsed: dict[str, Any], slot: int, now: datetime, chain_now: datetime
    ) -> dict[str, Fact]:
        """The mint's own facts; the Scaled-UI multiplier is judged at the chain's time ``chain_now``."""
        method = self._method("getAccountInfo", mint, PARSED)
        info = parsed["info"]
        ext = {e.get("extension"): e.get("state", {}) for e in info.get("extensions", [])}

        def fact(value: Any, unit: str) -> Fact:
            return Fact(value, unit, self.source, method, slot, now)

        decimals = _whole(info["decimals"], "decimals")
        raw = _whole(info["supply"], "supply")
        facts = {
            "token_program": fact(parsed["program_id"], "program"),
            "decimals": fact(decimals, "digits"),
            "total_supply_raw": fact(raw, "raw units"),
            "mint_authority": fact(info.get("mintAuthority") or "none", "address"),
            "freeze_authority": fact(info.get("freezeAuthority") or "none", "address"),
            "extensions": fact(sorted(ext), "extension names"),
        }
        unknown = [e for e in info.get("extensions", []) if e.get("extension") not in KNOWN_EXTENSIONS]
        if unknown:
            facts["extensions_unrecognised"] = fact(unknown, "raw extension JSON")
        scaled = ext.get("scaledUiAmountConfig")
        if scaled is not None:
            m = Multiplier(
                amount(scaled["multiplier"], "scaledUiAmountConfig multiplier"),
                amount(scaled["newMultiplier"], "scaledUiAmountConfig newMultiplier"),
                _whole(scaled["newMultiplierEffectiveTimestamp"], "newMultiplierEffectiveTimestamp"),
            )
            effective = m.effective(chain_now)
            pending = m.pending(chain_now)
            facts["multiplier"] = fact(effective, "shares per raw token")
            facts["multiplier_stored"] = fact(m.stored, "shares per raw token")
            facts["multiplier_pending"] = fact(m.new if pending else "none", "shares per raw token")
            facts["multiplier_pending_at"] = fact(
                iso(datetime.fromtimestamp(m.effective_at, UTC)) if pending else "none", "time"
            )
            facts["multiplier_authority"] = fact(scaled.get("authority") or "none", "address")
        else:
            effective = Decimal(1)
            facts["multiplier"] = fact(effective, "shares per raw token")
            facts["multiplier_stored"] = fact("none", "no scaledUiAmountConfig extension")
            facts["multiplier_pending"] = fact("none", "shares per raw token")
            facts["multiplier_pending_at"] = fact("none", "time")
            facts["multiplier_authority"] = fact("none", "address")
        facts["total_supply"] = fact(ui_amount(raw, decimals, effective), "tokens (UI, multiplier applied)")
        pausable = ext.get("pausableConfig")
        facts["pause_authority"] = fact((pausable or {}).get("authority") or "none", "address")
        facts["paused"] = fact(bool((pausable or {}).get("paused", False)), "flag")
        facts["permanent_delegate"] = fact((ext.get("permanentDelegate") or {}).get("delegate") or "none", "address")
        facts["default_account_state"] = fact(
            (ext.get("defaultAccountState") or {}).get("accountState", "initialized"), "state"
        )
        hook = ext.get("transferHook") or {}
        facts["transfer_hook_program"] = fact(hook.get("programId") or "none", "program")
        facts["transfer_hook_authority"] = fact(hook.get("authority") or "none", "address")
        fee = ext.get("transferFeeConfig")
        facts["transfer_fee"] = fact(_fee_bps(fee) if fee else Decimal(0), "basis points")
        facts["mint_close_authority"] = fact(
            (ext.get("mintCloseAuthority") or {}).get("closeAuthority") or "none", "address"
        )
        ct = ext.get("confidentialTransferMint")
        approval = "auto-approved" if ct and ct.get("autoApproveNewAccounts") else "need approval"
        facts["confidential_transfers"] = fact("none" if ct is None else f"enabled, new accounts {approval}", "state")
        pointer = ext.get("metadataPointer") or {}
        facts["metadata_pointer"] = fact(pointer.get("metadataAddress") or "none", "address")
        meta = ext.get("tokenMetadata")
        if meta is None:  # the metadata lives in a Metaplex account (see _metaplex_facts)
            return facts
        facts["token_name"] = fact(meta.get("name", ""), "text")
        facts["token_symbol"] = fact(meta.get("symbol", ""), "text")
        facts["metadata_uri"] = fact(meta.get("uri", ""), "url")
        facts["metadata_update_authority"] = fact(meta.get("updateAuthority") or "none", "address")
        return facts

    def _metaplex_facts(self, mint: str, answer: Any, now: datetime) -> dict[str, Fact]:
        """Name, symbol, URI and update authority from the mint's Metaplex metadata account.

        An immutable metadata account (``isMutable`` false) has nobody who can change it. An
        account that is missing, foreign or undecodable leaves these four facts unknown only.
        """
        address = metaplex_address(mint)
        method = self._method("getAccountInfo", address, {"encoding": "base64"}) + " (Metaplex metadata PDA)"
        keys = ("token_name", "token_symbol", "metadata_uri", "metadata_update_authority")
        try:
            values = _metaplex_values(address, answer)
        except SourceError as exc:
            return {k: Fact.unknown(str(exc), unit=FEEDS[k], source=self.source, method=method) for k in keys}
        slot = int(answer["context"]["slot"])
        return {k: Fact(v, FEEDS[k], self.source, method, slot, now) for k, v in zip(keys, values, strict=True)}

    async def _second_round(self, mint: str, largest: Any, facts: dict[str, Fact], now: datetime) -> dict[str, Fact]:
        """One getMultipleAccounts: owners of the largest accounts and what each authority is."""
        method = self._method("getTokenLargestAccounts", mint) + " + getMultipleAccounts (owners, authorities)"
        accounts = largest["value"] if isinstance(largest, dict) else []
        authorities = {
            k: str(facts[k].value) for k in AUTHORITIES if k in facts and facts[k].known and not nobody(facts[k].value)
        }
        addresses = sorted(set(authorities.values()))
        keys = [a["address"] for a in accounts] + addresses
        try:
            result = await call(self._http, self.url, "getMultipleAccounts", [keys, PARSED]) if keys else None
        except SourceError as exc:
            reason = f"the owners and authorities could not be read ({exc})"
            return {
                k: Fact.unknown(reason, unit=FEEDS[k], source=self.source, method=method)
                for k in (*HOLDER_KEYS, *(f"{a}_kind" for a in authorities))
            }
        values = result["value"] if result else []
        slot = int(result["context"]["slot"]) if result else 0
        kinds = {address: _account_kind(v) for address, v in zip(addresses, values[len(accounts) :], strict=True)}
        out = {
            f"{key}_kind": Fact(kinds[address], "kind of holder", self.source, method, slot, now)
            for key, address in authorities.items()
        }
        if isinstance(largest, RpcError):
            reason = f"the node refused getTokenLargestAccounts ({largest})"
            return out | {
                k: Fact.unknown(reason, unit=FEEDS[k], source=self.source, method=method) for k in HOLDER_KEYS
            }
        owners = [_owner(v) for v in values[: len(accounts)]]
        return out | self._holders(accounts, owners, facts, int(largest["context"]["slot"]), now, method)

    def _holders(
        self,
        accounts: list[dict[str, Any]],
        owners: list[str | None],
        facts: dict[str, Fact],
        slot: int,
        now: datetime,
        method: str,
    ) -> dict[str, Fact]:
        multiplier = facts["multiplier"].value
        assert isinstance(multiplier, Decimal)
        holders = [
            Holder(
                a["address"],
                owner,
                ui_amount(int(a["amount"]), int(a["decimals"]), multiplier),
                self._label(owner) if owner else None,
            )
            for a, owner in zip(accounts, owners, strict=True)
        ]
        supply = facts["total_supply"].value
        assert isinstance(supply, Decimal)
        listed = sum((h.amount for h in holders), Decimal(0))
        if listed > supply:  # the largest accounts can hold all of the supply, never more
            reason = f"the largest accounts hold {listed}, more than the supply {supply} at the same slot"
            return {k: Fact.unknown(reason, unit=FEEDS[k], source=self.source, method=method) for k in HOLDER_KEYS}
        c = concentration(holders, supply)

        def fact(value: Any, unit: str) -> Fact:
            return Fact(value, unit, self.source, method, slot, now)

        note = f"of the float; from the {len(holders)} largest accounts (the RPC lists at most 20)"
        out = {
            "holders": fact([h.to_json(c.float_) for h in holders], "largest token accounts"),
            "issuer_inventory": fact(c.inventory, "tokens in labelled issuer wallets"),
            "float": fact(c.float_, "tokens (supply minus labelled issuer wallets)"),
            "holders_count": Fact.unknown(
                "the holder count needs a full getProgramAccounts scan, which this build does not run",
                unit="holders",
                source=self.source,
                method=method,
            ),
        }
        for key, value, unit in (
            ("holders_top1_share", c.top1, "share " + note),
            ("holders_top10_share", c.top10, "share " + note),
            ("holders_hhi", c.hhi, "HHI (0–1), a lower bound " + note),
        ):
            out[key] = (
                fact(value.quantize(Decimal("0.000001")), unit)
                if value is not None
                else Fact.unknown(
                    "no unlabelled holders listed or no float", unit=unit, source=self.source, method=method
                )
            )
        out["holders_nakamoto"] = (
            fact(c.nakamoto, "holders")
            if c.nakamoto is not None
            else Fact.unknown(
                f"the {len(holders)} largest accounts hold less than half the float",
                unit="holders",
                source=self.source,
                method=method,
            )
        )
        return out


def _metaplex_values(address: str, answer: Any) -> tuple[str, str, str, str]:
    """Decode the Metaplex answer, or say in a SourceError why it gives no metadata."""
    if isinstance(answer, RpcError):
        raise SourceError(f"the node refused the Metaplex metadata account ({answer})")
    if answer["value"] is None:
        raise SourceError(f"the mint has no tokenMetadata extension and no Metaplex metadata account ({address})")
    if answer["value"].get("owner") != METAPLEX_PROGRAM:
        raise SourceError(f"the account at the metadata address {address} belongs to {answer['value'].get('owner')}")
    try:
        name, symbol, uri, authority, mutable = metaplex_metadata(base64.b64decode(answer["value"]["data"][0]))
    except (LookupError, ValueError) as exc:  # binascii.Error is a ValueError
        raise SourceError(f"the Metaplex account at {address} is cut short or not base64 ({exc})") from None
    return name, symbol, uri, authority if mutable else "none (the metadata is immutable)"


def _account_kind(value: Any) -> str:
    """What kind of holder an authority account is."""
    if value is None:
        return "plain account (a key with no account data)"
    owner = value.get("owner")
    if owner == SYSTEM_PROGRAM:
        return "plain account (a single private key)"
    if owner in MULTISIG_PROGRAMS:
        return f"multisig ({MULTISIG_PROGRAMS[owner]})"
    return f"program-owned account (owner {owner})"


def ui_amount(raw: int, decimals: int, multiplier: Decimal) -> Decimal:
    """Token-2022's UI amount: raw × multiplier / 10^decimals, cut (not rounded) at ``decimals`` digits."""
    exact = from_raw(raw, decimals) * multiplier
    return normalized(exact.quantize(Decimal(1).scaleb(-decimals), ROUND_DOWN))


def _mint_info(mint: str, value: Any, slot: int) -> dict[str, Any]:
    """Check the account is a token mint and return its parsed data with the program id.

    Raises:
        BadInput: No account, a token account, or an account of another program.
    """
    if value is None:
        raise BadInput(f"No account exists at {mint} on Solana (slot {slot}); check the address.")
    owner = value.get("owner")
    data = value.get("data")
    if owner not in (TOKEN_PROGRAM, TOKEN_2022_PROGRAM) or not isinstance(data, dict):
        raise BadInput(f"{mint} is not a token mint: the account belongs to program {owner}.")
    parsed = data.get("parsed") or {}
    if parsed.get("type") == "account":
        token_mint = parsed.get("info", {}).get("mint", "?")
        raise BadInput(
            f"{mint} is a token account (one holder's balance), not a mint; "
            f"its mint is {token_mint} — inspect that address instead."
        )
    if parsed.get("type") != "mint":
        raise BadInput(f"{mint} is not a token mint (the token program calls it {parsed.get('type')!r}).")
    return {"info": parsed["info"], "program_id": owner}


def _chain_time(clock: Any, now: datetime) -> datetime:
    """The Clock sysvar's ``unixTimestamp``, refused when it is far from this computer's clock.

    Raises:
        SourceError: No whole-second timestamp, or one beyond the plausible drift (a stale or lying node).
    """
    seconds = _whole(clock["value"]["data"]["parsed"]["info"]["unixTimestamp"], "Clock unixTimestamp")
    moment = datetime.fromtimestamp(seconds, UTC)
    problem = clock_drift(moment, now)
    if problem:
        raise SourceError(f"the Solana node's Clock sysvar {problem}")
    return moment


def _whole(value: Any, what: str) -> int:
    """A whole number the node sends as a JSON integer or a decimal string."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SourceError(f"the Solana node's {what} is not a whole number ({str(value)[:40]!r})")
    return int(value)


def _owner(value: Any) -> str | None:
    try:
        return str(value["data"]["parsed"]["info"]["owner"])
    except (KeyError, TypeError):
        return None


def _fee_bps(fee: dict[str, Any]) -> Decimal:
    newer = fee.get("newerTransferFee") or fee.get("olderTransferFee") or {}
    return amount(newer.get("transferFeeBasisPoints", 0), "transferFeeBasisPoints")


_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P


def _on_curve(key: bytes) -> bool:
    """Whether 32 bytes decompress to an ed25519 point (a program address must not)."""
    y = int.from_bytes(key, "little") & ((1 << 255) - 1)
    u, v = (y * y - 1) % _P, (_D * y * y + 1) % _P
    x2 = u * pow(v, _P - 2, _P) % _P
    return x2 == 0 or pow(x2, (_P - 1) // 2, _P) == 1


def _b58encode(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58_ALPHABET[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def metaplex_address(mint: str) -> str:
    """The mint's Metaplex metadata account: the program address of ("metadata", program, mint)."""
    program = b58decode(METAPLEX_PROGRAM)
    seeds = b"metadata" + program + b58decode(mint)
    for bump in range(255, -1, -1):
        key = hashlib.sha256(seeds + bytes([bump]) + program + b"ProgramDerivedAddress").digest()
        if not _on_curve(key):
            return _b58encode(key)
    raise SourceError(f"no Metaplex metadata address exists for {mint}")


def metaplex_metadata(data: bytes) -> tuple[str, str, str, str, bool]:
    """Decode a Metaplex ``MetadataV1`` account: name, symbol, URI, update authority, whether it is mutable.

    Raises:
        SourceError: Not a MetadataV1 account.
    """
    if not data or data[0] != 4:
        raise SourceError("the Metaplex account is not a MetadataV1 account")
    authority, at = _b58encode(data[1:33]), 65
    texts = []
    for _ in range(3):
        length = int.from_bytes(data[at : at + 4], "little")
        texts.append(data[at + 4 : at + 4 + length].decode("utf-8", "replace").rstrip("\0"))
        at += 4 + length
    at += 2  # seller fee basis points
    if data[at]:  # Some(creators): a u32 count, then 34 bytes per creator
        at += 5 + 34 * int.from_bytes(data[at + 1 : at + 5], "little")
    else:
        at += 1
    mutable = data[at + 1]  # after primarySaleHappened; an IndexError here is a cut-short account
    return texts[0], texts[1], texts[2], authority, bool(mutable)
