"""Solana JSON-RPC adapter (jsonParsed) for Token-2022 and classic SPL mints.

One lookup takes two round trips: ``getAccountInfo`` + ``getTokenSupply`` +
``getTokenLargestAccounts`` in one batch, then the owners of the largest accounts in one
``getMultipleAccounts``. Field names follow agave's account decoder (facts-onchain.md §2.4).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ..errors import BadInput, SourceError
from ..facts import Fact, iso, utc_now
from ..holders import Holder, concentration
from ..http import Http
from ..units import from_raw, normalized
from .jsonrpc import RpcError, batch, call

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
        """Read a mint, its supply and its largest holders.

        Raises:
            BadInput: The address holds no account, a token account, or a non-token account.
            SourceError: The node failed.
        """
        info, supply, largest = await batch(
            self._http,
            self.url,
            [
                ("getAccountInfo", [mint, PARSED]),
                ("getTokenSupply", [mint, {"commitment": "confirmed"}]),
                ("getTokenLargestAccounts", [mint, {"commitment": "confirmed"}]),
            ],
        )
        now = utc_now()
        if isinstance(info, RpcError):
            raise info
        slot = int(info["context"]["slot"])
        parsed = _mint_info(mint, info["value"], slot)
        facts = self._mint_facts(mint, parsed, slot, now)
        if isinstance(supply, dict):
            facts["total_supply_rpc_ui"] = Fact(
                Decimal(supply["value"]["uiAmountString"]),
                "tokens (node's UI amount)",
                self.source,
                self._method("getTokenSupply", mint),
                int(supply["context"]["slot"]),
                now,
            )
        facts.update(await self._second_round(mint, largest, facts, now))
        return facts

    def _mint_facts(self, mint: str, parsed: dict[str, Any], slot: int, now: datetime) -> dict[str, Fact]:
        method = self._method("getAccountInfo", mint, PARSED)
        info = parsed["info"]
        ext = {e.get("extension"): e.get("state", {}) for e in info.get("extensions", [])}

        def fact(value: Any, unit: str) -> Fact:
            return Fact(value, unit, self.source, method, slot, now)

        decimals = int(info["decimals"])
        raw = int(info["supply"])
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
                Decimal(str(scaled["multiplier"])),
                Decimal(str(scaled["newMultiplier"])),
                int(scaled["newMultiplierEffectiveTimestamp"]),
            )
            effective = m.effective(now)
            facts["multiplier"] = fact(effective, "shares per raw token")
            facts["multiplier_stored"] = fact(m.stored, "shares per raw token")
            facts["multiplier_pending"] = fact(m.new if m.pending(now) else "none", "shares per raw token")
            facts["multiplier_pending_at"] = fact(
                iso(datetime.fromtimestamp(m.effective_at, UTC)) if m.pending(now) else "none", "time"
            )
            facts["multiplier_authority"] = fact(scaled.get("authority") or "none", "address")
        else:
            effective = Decimal(1)
            facts["multiplier"] = fact(effective, "shares per raw token")
            facts["multiplier_stored"] = fact("none", "no scaledUiAmountConfig extension")
            facts["multiplier_pending"] = fact("none", "shares per raw token")
            facts["multiplier_pending_at"] = fact("none", "time")
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
        if meta is not None:
            facts["token_name"] = fact(meta.get("name", ""), "text")
            facts["token_symbol"] = fact(meta.get("symbol", ""), "text")
            facts["metadata_uri"] = fact(meta.get("uri", ""), "url")
            facts["metadata_update_authority"] = fact(meta.get("updateAuthority") or "none", "address")
        return facts

    async def _second_round(self, mint: str, largest: Any, facts: dict[str, Fact], now: datetime) -> dict[str, Fact]:
        """One getMultipleAccounts: owners of the largest accounts and what each authority is."""
        method = self._method("getTokenLargestAccounts", mint) + " + getMultipleAccounts (owners, authorities)"
        accounts = largest["value"] if isinstance(largest, dict) else []
        authorities = {k: str(facts[k].value) for k in AUTHORITIES if k in facts and facts[k].value != "none"}
        addresses = sorted(set(authorities.values()))
        keys = [a["address"] for a in accounts] + addresses
        try:
            result = await call(self._http, self.url, "getMultipleAccounts", [keys, PARSED]) if keys else None
        except SourceError as exc:
            reason = f"the owners and authorities could not be read ({exc})"
            return {
                k: Fact.unknown(reason, unit="", source=self.source, method=method)
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
            return out | {k: Fact.unknown(reason, unit="", source=self.source, method=method) for k in HOLDER_KEYS}
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


def _owner(value: Any) -> str | None:
    try:
        return str(value["data"]["parsed"]["info"]["owner"])
    except (KeyError, TypeError):
        return None


def _fee_bps(fee: dict[str, Any]) -> Decimal:
    newer = fee.get("newerTransferFee") or fee.get("olderTransferFee") or {}
    return Decimal(str(newer.get("transferFeeBasisPoints", 0)))
