"""Solana wallet reader: every token account an owner holds, in two round trips at most.

Round 1 is one JSON-RPC batch: the genesis hash (mainnet-beta only), the Clock sysvar (the chain's
time, which picks the Scaled-UI multiplier), the owner's own account (a mint or a token account
given as a wallet is refused) and ``getTokenAccountsByOwner`` for both token programs (Token and
Token-2022, jsonParsed). Round 2, only when a listed mint is held, is one ``getMultipleAccounts`` of
those mints: their decimals and Scaled-UI multiplier. Parsing stops at a cap (setting
``wallet.max_token_accounts``); the accounts past it are counted, never guessed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..errors import BadInput, SourceError
from ..facts import Fact, utc_now
from ..http import Http
from ..plausibility import amount
from .jsonrpc import RpcError, batch
from .solana import (
    CLOCK_SYSVAR,
    MAINNET_GENESIS,
    PARSED,
    TOKEN_2022_PROGRAM,
    TOKEN_PROGRAM,
    Multiplier,
    _chain_time,
)

PROGRAMS = {TOKEN_PROGRAM: "Token", TOKEN_2022_PROGRAM: "Token-2022"}
# Every fact a held account can carry (fact key → unit).
FEEDS: dict[str, str] = {
    "balance_raw": "raw units",
    "decimals": "digits",
    "multiplier": "shares per raw token",
    "frozen": "flag (token account state)",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Account:
    """One token account of the owner, as round 1 parsed it.

    Attributes:
        address: The token account.
        mint: Its mint.
        program: The token program that owns it.
        raw: The raw balance.
        decimals: As the account's ``tokenAmount`` says (round 2 reads the mint's own).
        state: ``initialized`` or ``frozen``.
    """

    address: str
    mint: str
    program: str
    raw: int
    decimals: int
    state: str


@dataclasses.dataclass(frozen=True, slots=True)
class SolanaWallet:
    """What the reader found.

    Attributes:
        slot: The slot of the token-account listing.
        chain_time: The Clock sysvar's time.
        held: Per held account (listed mints with a balance), its facts.
        accounts_total: Token accounts the node listed (both programs).
        accounts_skipped: Those past the cap, not parsed.
        notes: What was not read and why (a program the node refused, unreadable items).
        round_trips: HTTP round trips made.
    """

    slot: int
    chain_time: datetime
    held: list[tuple[Account, dict[str, Fact]]]
    accounts_total: int
    accounts_skipped: int
    notes: list[str]
    round_trips: int


class SolanaWalletReader:
    """Reads one owner's token accounts through one RPC endpoint."""

    def __init__(self, http: Http, url: str) -> None:
        self.url = url
        self.source = f"Solana RPC ({url})"
        self._http = http

    async def read(
        self, owner: str, listed: Callable[[str], bool], cap: int, progress: Callable[[str], None]
    ) -> SolanaWallet:
        """Read every token account of ``owner``; the mints ``listed`` accepts get their multiplier.

        Raises:
            BadInput: The address is a mint, a token account or a program, not a wallet.
            SourceError: The node failed, is not mainnet-beta, refused both programs or answered in another shape.
        """
        answers = await batch(
            self._http,
            self.url,
            [
                ("getGenesisHash", []),
                ("getAccountInfo", [CLOCK_SYSVAR, PARSED]),
                ("getAccountInfo", [owner, PARSED]),
                *(("getTokenAccountsByOwner", [owner, {"programId": p}, PARSED]) for p in PROGRAMS),
            ],
        )
        try:
            return await self._decode(owner, listed, cap, progress, *answers)
        except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            raise SourceError(f"{self.source} answered in an unexpected shape ({type(exc).__name__}: {exc})") from None

    async def _decode(
        self,
        owner: str,
        listed: Callable[[str], bool],
        cap: int,
        progress: Callable[[str], None],
        genesis: Any,
        clock: Any,
        info: Any,
        *programs: Any,
    ) -> SolanaWallet:
        if isinstance(genesis, RpcError) or genesis != MAINNET_GENESIS:
            raise SourceError(f"{self.source} is not Solana mainnet-beta (genesis hash {str(genesis)[:60]!r})")
        if isinstance(clock, RpcError):
            raise clock
        chain_now = _chain_time(clock, utc_now())
        if not isinstance(info, RpcError):
            _refuse_non_wallet(owner, info["value"])
        notes: list[str] = []
        items: list[tuple[str, Any]] = []
        slot: int | None = None
        for program, answer in zip(PROGRAMS, programs, strict=True):
            if (
                isinstance(answer, RpcError)
                or not isinstance(answer, dict)
                or not isinstance(answer.get("value"), list)
            ):
                notes.append(f"{PROGRAMS[program]} accounts not read: {str(answer)[:160]}")
                continue
            slot = int(answer["context"]["slot"])
            items += [(program, item) for item in answer["value"]]
        if slot is None:
            raise SourceError(
                f"{self.source} listed the wallet's accounts of neither token program ({'; '.join(notes)})"
            )
        parsed, skipped = items[:cap], max(len(items) - cap, 0)
        progress(f"Solana: {len(items):,} token accounts listed; parsing {len(parsed):,}")
        if skipped:
            notes.append(
                f"{skipped:,} of {len(items):,} token accounts were not parsed (the cap is {cap:,}, setting "
                "wallet.max_token_accounts): holdings among them are unknown"
            )
        accounts, unreadable = [], 0
        for program, item in parsed:
            account = _account(owner, program, item)
            if account is None:
                unreadable += 1
            elif account.raw > 0 and listed(account.mint):
                accounts.append(account)
        if unreadable:
            notes.append(f"{unreadable:,} token accounts answered in a shape Backcheck cannot read (skipped)")
        held = await self._held(accounts, slot, chain_now, notes) if accounts else []
        return SolanaWallet(slot, chain_now, held, len(items), skipped, notes, 2 if accounts else 1)

    async def _held(
        self, accounts: list[Account], slot: int, chain_now: datetime, notes: list[str]
    ) -> list[tuple[Account, dict[str, Fact]]]:
        """Round 2: the held mints' decimals and multiplier in one getMultipleAccounts."""
        now = utc_now()
        mints = sorted({a.mint for a in accounts})
        listing = f"getTokenAccountsByOwner <wallet> {{programId: {' | '.join(PROGRAMS)}}} jsonParsed at slot {slot}"
        mint_method = f"getMultipleAccounts {json.dumps(mints)} jsonParsed"
        try:
            answers = await batch(self._http, self.url, [("getMultipleAccounts", [mints, PARSED])])
            reply = answers[0]
            if isinstance(reply, RpcError):
                raise reply
            values, mint_slot = reply["value"], int(reply["context"]["slot"])
            if not isinstance(values, list) or len(values) != len(mints):
                raise SourceError(f"the node answered {len(values)} accounts for {len(mints)} mints")
            found = {m: _mint_state(v, chain_now) for m, v in zip(mints, values, strict=True)}
        except (SourceError, LookupError, TypeError, ValueError) as exc:
            reason = f"the mints could not be read ({exc})"
            found = dict.fromkeys(mints, reason)
            mint_slot = slot
            notes.append(f"multipliers unknown: {reason}")
        out = []
        for account in accounts:

            def fact(value: Any, key: str, method: str, at: int) -> Fact:
                return Fact(value, FEEDS[key], self.source, method, at, now)

            mint = found[account.mint]
            facts = {
                "balance_raw": fact(account.raw, "balance_raw", f"{listing} → {account.address}", slot),
                "frozen": fact(account.state == "frozen", "frozen", f"{listing} → {account.address} state", slot),
            }
            if isinstance(mint, str):
                for key in ("decimals", "multiplier"):
                    facts[key] = Fact.unknown(mint, unit=FEEDS[key], source=self.source, method=mint_method)
            else:
                decimals, multiplier = mint
                facts["decimals"] = fact(decimals, "decimals", mint_method, mint_slot)
                facts["multiplier"] = fact(multiplier, "multiplier", mint_method + " → scaledUiAmountConfig", mint_slot)
                if decimals != account.decimals:
                    reason = f"the mint says {decimals} decimals, the token account {account.decimals}"
                    facts["decimals"] = Fact.unknown(
                        reason, unit=FEEDS["decimals"], source=self.source, method=mint_method
                    )
            out.append((account, facts))
        return out


def _refuse_non_wallet(owner: str, value: Any) -> None:
    """A mint, a token account or a program is not a wallet: say what it is instead.

    Raises:
        BadInput: The account is one of those.
    """
    if not isinstance(value, dict):
        return  # no account: a wallet that never held SOL, which may still own token accounts
    if value.get("executable"):
        raise BadInput(f"{owner} is a program on Solana, not a wallet.")
    data = value.get("data")
    parsed = data.get("parsed", {}) if isinstance(data, dict) and value.get("owner") in PROGRAMS else {}
    kind = parsed.get("type") if isinstance(parsed, dict) else None
    if kind == "mint":
        raise BadInput(
            f"{owner} is a token mint on Solana, not a wallet; to check the token, run 'backcheck inspect {owner} "
            "--chain solana'."
        )
    if kind == "account":
        holder = parsed.get("info", {}).get("owner", "?")
        raise BadInput(f"{owner} is a token account (one balance), not a wallet; its owner is {holder}.")


def _account(owner: str, program: str, item: Any) -> Account | None:
    """One listed token account, or ``None`` when it cannot be read or belongs to someone else."""
    try:
        info = item["account"]["data"]["parsed"]["info"]
        amount_doc = info["tokenAmount"]
        account = Account(
            str(item["pubkey"]),
            str(info["mint"]),
            program,
            int(str(amount_doc["amount"])),
            int(amount_doc["decimals"]),
            str(info["state"]),  # no default: a missing state is not "not frozen"
        )
    except (LookupError, TypeError, ValueError):
        return None
    readable = account.state in ("initialized", "frozen") and account.raw >= 0
    return account if info.get("owner") == owner and readable else None


def _mint_state(value: Any, chain_now: datetime) -> tuple[int, Decimal] | str:
    """A mint's decimals and effective multiplier, or why they are unknown."""
    if value is None:
        return "the node returned no account for the mint"
    try:
        info = value["data"]["parsed"]["info"]
        if value["data"]["parsed"]["type"] != "mint":
            return "the account at the mint's address is not a mint"
        decimals = int(info["decimals"])
        ext = {e.get("extension"): e.get("state", {}) for e in info.get("extensions", [])}
        scaled = ext.get("scaledUiAmountConfig")
        if scaled is None:
            return decimals, Decimal(1)
        m = Multiplier(
            amount(scaled["multiplier"], "scaledUiAmountConfig multiplier"),
            amount(scaled["newMultiplier"], "scaledUiAmountConfig newMultiplier"),
            int(scaled["newMultiplierEffectiveTimestamp"]),
        )
    except (LookupError, TypeError, ValueError, SourceError) as exc:
        return f"the mint account cannot be read ({exc})"
    return decimals, m.effective(chain_now)
