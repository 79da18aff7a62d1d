"""Check my wallet (F19): every listed stock token an address holds, read live, ≤ 2 round trips per chain.

Per holding: the raw balance, what wallets display, the shares it represents (exact, via
:mod:`backcheck.core.convert`), its value where a price is known, a frozen account (Solana) or a
sanctioned holder (EVM), whether the issuer excludes the user's country from redemption (rule
RD-8, as in a report) and the command that opens the token's full report. A full report per
holding is not computed here: the worst finding is shown only by that report, never guessed.

The wallet address goes only to the chosen RPC endpoints; nothing here writes it anywhere (no
log, no cache, no recording).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from .adapters.evm_wallet import EvmWalletReader, Listed
from .adapters.jupiter import price_facts
from .adapters.solana_wallet import SolanaWalletReader
from .addresses import classify, normalize_evm, normalize_solana
from .answers import standing
from .catalog import product_for
from .chains import CHAINS, Chain, chain_by_key
from .convert import TokenUnits, convert
from .errors import BadInput, SourceError
from .facts import Fact, iso, utc_now
from .http import Http
from .lookup import Inspection, Target
from .redact import keep_private, redact_text, redact_url
from .registry import ISSUERS_WORD, Deployment, Registry, Token
from .rules import RuleConfig
from .rules.engine import Context, Outcome, judge
from .rules.redemption import jurisdiction
from .settings import Settings
from .units import normalized

SCHEMA = "backcheck.wallet/1"
EVERY_CHAIN = "all"
Progress = Callable[[str], None]
UNITS = {
    "balance_displayed": "tokens as wallets show them",
    "shares": "shares of the underlying",
    "value": "USD",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Holding:
    """One token the wallet holds on one chain.

    Attributes:
        chain: The chain.
        token: The registry token.
        deployment: Its registry row on this chain.
        account: The Solana token account holding it (``None`` on EVM).
        facts: ``balance_raw``, ``decimals``, ``multiplier``, ``balance_displayed``, ``shares``,
            ``value`` and ``frozen`` (Solana) or ``sanctioned`` (EVM), each with its provenance.
        redeem: RD-8 for this token and the user's country.
    """

    chain: Chain
    token: Token
    deployment: Deployment
    account: str | None
    facts: dict[str, Fact]
    redeem: Outcome

    @property
    def report_command(self) -> str:
        """The command that reads this token's full report (its worst finding comes from there)."""
        return f"backcheck inspect {self.deployment.address} --chain {self.chain.key}"

    @property
    def standing(self) -> str:
        """Whose list holds the token: official, or listed by someone else and not confirmed by the issuer."""
        return standing(self._token_doc())[0]

    def _token_doc(self) -> dict[str, Any]:
        return {
            "symbol": self.token.symbol,
            "name": self.token.name,
            "issuer": self.token.issuer_name,
            "chain": self.chain.key,
            "address": self.deployment.address,
            "official": self.token.official,
            "basis": self.deployment.basis,
            "listed_by": self.deployment.listed_by,
            "registry_source": f"{self.deployment.source} (as of {self.deployment.as_of})",
        }

    def to_json(self) -> dict[str, Any]:
        """The holding as the wallet document lists it."""
        return {
            "token": self._token_doc() | {"standing": self.standing},
            "token_account": self.account,
            "facts": {key: fact.to_json() for key, fact in self.facts.items()},
            "may_redeem": {"rule": "RD-8", "status": self.redeem.status, "explanation": self.redeem.explanation},
            "report": {
                "command": self.report_command,
                "worst_finding": None,
                "note": "not computed here: a full report reads every source; run the command to see it",
            },
        }


@dataclasses.dataclass(frozen=True, slots=True)
class ChainRead:
    """How one chain's read fared.

    Attributes:
        chain: The chain.
        url: The RPC endpoint asked.
        error: Why the chain could not be read (``None``: read).
        official: Official tokens the registry lists on the chain.
        listed: Every registry row read there (official, third-party, withdrawn).
        read: Rows whose balance was read (Solana: all of them, or 0 when a program's listing failed or an
            account could not be parsed, since which mints those held is unknown).
        held: Holdings found.
        at: Block (EVM) or slot (Solana) of the read.
        notes: What was not read and why.
        round_trips: Sequential HTTP round trips to the RPC.
        accounts_total: Solana: token accounts listed.
        accounts_skipped: Solana: accounts past the cap, not parsed.
    """

    chain: Chain
    url: str
    error: str | None
    official: int
    listed: int
    read: int = 0
    held: int = 0
    at: int | None = None
    notes: tuple[str, ...] = ()
    round_trips: int = 0
    accounts_total: int | None = None
    accounts_skipped: int | None = None

    def sentence(self) -> str:
        """One line a person reads: what was found, or why nothing could be."""
        where = self.chain.name
        if self.error is not None:
            return redact_text(f"{where}: not read — {self.error} Holdings there are unknown.")
        at = f"{'slot' if self.chain.kind == 'solana' else 'block'} {self.at}"
        trips = f"{self.round_trips} round trip{'s' if self.round_trips != 1 else ''}"
        if self.held:
            found = f"holds {self.held} of the {self.listed:,} listed tokens ({self.official:,} official)"
        elif self.read == self.listed and not self.accounts_skipped:
            found = f"holds none of the {self.official:,} official tokens on {where}"
        else:
            found = f"holds none of the listed tokens that could be read on {where}"
        notes = f" Not read: {'; '.join(self.notes)}." if self.notes else ""
        return redact_text(f"{where} ({at}, {trips}): {found}.{notes}")  # a source's message may name its URL

    def to_json(self) -> dict[str, Any]:
        """The chain's part of the wallet document."""
        return {
            "chain": self.chain.key,
            "rpc": redact_url(self.url),
            "state": "failed" if self.error else "ok",
            "error": redact_text(self.error) if self.error else None,
            "block_or_slot": self.at,
            "official_tokens": self.official,
            "listed_tokens": self.listed,
            "read": self.read,
            "held": self.held,
            "round_trips": self.round_trips,
            "token_accounts": self.accounts_total,
            "token_accounts_skipped": self.accounts_skipped,
            "notes": list(self.notes),
            "summary": self.sentence(),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Wallet:
    """Every holding found, and how each chain's read fared."""

    address: str
    chains: tuple[ChainRead, ...]
    holdings: tuple[Holding, ...]
    generated_at: datetime

    @property
    def reached_any(self) -> bool:
        """Whether at least one chain was read."""
        return any(c.error is None for c in self.chains)

    def to_json(self) -> dict[str, Any]:
        """The ``backcheck.wallet/1`` document."""
        return {
            "schema": SCHEMA,
            "address": self.address,
            "generated_at": iso(self.generated_at),
            "chains": [c.to_json() for c in self.chains],
            "holdings": [h.to_json() for h in self.holdings],
        }


@dataclasses.dataclass(frozen=True, slots=True)
class _Run:
    """What every chain's read shares."""

    address: str
    settings: Settings
    http: Http
    registry: Registry
    config: RuleConfig
    tell: Progress


def parse_address(text: str, chain: Chain | None) -> tuple[str, str]:
    """Validate a wallet address and tell its kind (``evm`` or ``solana``).

    Raises:
        BadInput: Not an address, or an address of the other chain kind than ``chain``.
    """
    value = text.strip()
    kind = classify(value)
    if kind == "evm_address":
        address, found = normalize_evm(value), "evm"
    elif kind == "solana_address":
        address, found = normalize_solana(value), "solana"
    else:
        raise BadInput(
            f"{value[:60]!r} is not a wallet address: give an EVM address (0x and 40 hexadecimal digits) or a "
            "Solana address (base58)."
        )
    if chain is not None and chain.kind != found:
        other = "an EVM address (0x…)" if found == "evm" else "a Solana address (base58)"
        expected = "a Solana address (base58)" if chain.kind == "solana" else "an EVM address (0x and 40 hex digits)"
        raise BadInput(f"{address} is {other}, but {chain.name} wallets are {expected}; pick a chain of its kind.")
    return address, found


def chains_for(address_kind: str, chain_name: str | None, registry: Registry) -> list[Chain]:
    """The chains to read: one by name, or every chain of the address's kind that has listed tokens.

    Raises:
        BadInput: An unknown chain name.
    """
    if chain_name not in (None, EVERY_CHAIN):
        return [chain_by_key(chain_name)]
    used = {d.chain.key for t in registry.tokens for d in t.deployments}
    return [c for c in CHAINS if c.kind == address_kind and c.key in used]


def rows_on(registry: Registry, chain: Chain) -> dict[str, tuple[Token, Deployment]]:
    """Every registry row on a chain, by address key; where two rows list one address, the issuer's wins."""
    rows: dict[str, tuple[Token, Deployment]] = {}
    for token in registry.tokens:
        for d in token.deployments:
            if d.chain != chain:
                continue
            kept = rows.get(d.key)
            if kept is None or ISSUERS_WORD[token.official] < ISSUERS_WORD[kept[0].official]:
                rows[d.key] = (token, d)
    return rows


async def check_wallet(
    text: str,
    chain_name: str | None,
    settings: Settings,
    http: Http,
    registry: Registry,
    config: RuleConfig,
    progress: Progress | None = None,
) -> Wallet:
    """Read every listed token the wallet holds on the chosen chains (concurrently), with prices where known.

    Raises:
        BadInput: Not a wallet address, the wrong kind for the chain, or a token's own address.
    """
    tell = progress or (lambda _: None)
    chosen = chain_by_key(chain_name) if chain_name not in (None, EVERY_CHAIN) else None
    address, kind = parse_address(text, chosen)
    keep_private(address)  # never in a crash report
    chains = chains_for(kind, chain_name, registry)
    for token, d in registry.by_address(address):
        raise BadInput(
            f"{address} is the {token.symbol} token contract ({token.issuer_name}) on {d.chain.name}, not a wallet; "
            f"to check the token, run 'backcheck inspect {address} --chain {d.chain.key}'."
        )
    run = _Run(address, settings, http, registry, config, tell)
    reads = await asyncio.gather(*(_read_chain(run, c) for c in chains))
    holdings = [h for _, found in reads for h in found]
    tell("Reading prices of the held tokens …" if holdings else "Done.")
    priced = await _with_values(holdings, settings, http)
    return Wallet(address, tuple(r for r, _ in reads), tuple(priced), utc_now())


async def _read_chain(run: _Run, chain: Chain) -> tuple[ChainRead, list[Holding]]:
    rows = rows_on(run.registry, chain)
    official = sum(1 for t, _ in rows.values() if t.official is True)
    url = run.settings.get(f"rpc.{chain.key}")
    run.tell(f"Reading {chain.name} at {redact_url(url)} …")
    try:
        if chain.kind == "solana":
            read, holdings = await _read_solana(run, chain, url, rows, official)
        else:
            read, holdings = await _read_evm(run, chain, url, rows, official)
    except SourceError as exc:
        return ChainRead(chain, url, str(exc), official, len(rows)), []
    run.tell(read.sentence())
    return read, holdings


async def _read_solana(
    run: _Run, chain: Chain, url: str, rows: dict[str, tuple[Token, Deployment]], official: int
) -> tuple[ChainRead, list[Holding]]:
    cap = run.settings.integer("wallet.max_token_accounts")
    found = await SolanaWalletReader(run.http, url).read(run.address, lambda mint: mint in rows, cap, run.tell)
    holdings = [_holding(run, chain, *rows[a.mint], a.address, facts) for a, facts in found.held]
    notes = tuple(found.notes)
    # Every listed mint's balance is known only when both programs were listed and every account parsed.
    complete = not notes
    read = ChainRead(
        chain,
        url,
        None,
        official,
        len(rows),
        len(rows) if complete else 0,
        len(holdings),
        found.slot,
        notes,
        found.round_trips,
    )
    return dataclasses.replace(
        read, accounts_total=found.accounts_total, accounts_skipped=found.accounts_skipped
    ), holdings


async def _read_evm(
    run: _Run, chain: Chain, url: str, rows: dict[str, tuple[Token, Deployment]], official: int
) -> tuple[ChainRead, list[Holding]]:
    listed = [Listed(d.address, d.decimals, t.issuer_key == "backed") for t, d in rows.values()]
    chunk = run.settings.integer("wallet.calls_per_multicall")
    found = await EvmWalletReader(run.http, chain, url).read(run.address, listed, chunk, run.tell)
    holdings = [_holding(run, chain, *rows[item.address.lower()], None, facts) for item, facts in found.held]
    notes = _unread_notes(found.unread)
    read = ChainRead(
        chain, url, None, official, len(rows), found.read, len(holdings), found.block, notes, found.round_trips
    )
    return read, holdings


def _unread_notes(unread: dict[str, str]) -> tuple[str, ...]:
    """Group the tokens not read by reason: "1,047 tokens: balanceOf gave no answer …"."""
    by_reason: dict[str, int] = {}
    for reason in unread.values():
        by_reason[reason] = by_reason.get(reason, 0) + 1
    return tuple(f"{n:,} listed token{'s' if n != 1 else ''}: {reason}" for reason, n in by_reason.items())


def _holding(
    run: _Run, chain: Chain, token: Token, d: Deployment, account: str | None, facts: dict[str, Fact]
) -> Holding:
    facts = dict(facts)
    facts.update(_amounts(chain, facts))
    return Holding(chain, token, d, account, facts, may_redeem(chain, token, d, run.registry, run.config))


def _amounts(chain: Chain, facts: dict[str, Fact]) -> dict[str, Fact]:
    """Shares (exact) and, on Solana, what wallets display (Token-2022's UI amount), from raw × multiplier."""
    raw, decimals, multiplier = facts["balance_raw"], facts["decimals"], facts["multiplier"]
    source = raw.source
    method = "balance_raw × multiplier ÷ 10^decimals (core/convert.py)"
    keys = ["shares"] + (["balance_displayed"] if chain.kind == "solana" else [])
    missing = [f"{k}: {f.error}" for k, f in (("decimals", decimals), ("multiplier", multiplier)) if not f.known]
    if missing:
        return {k: Fact.unknown("; ".join(missing), unit=UNITS[k], source=source, method=method) for k in keys}
    assert isinstance(raw.value, int)
    assert isinstance(decimals.value, int)
    assert isinstance(multiplier.value, Decimal)
    try:
        conversion = convert(Decimal(raw.value), "raw", TokenUnits(decimals.value, multiplier.value))
    except BadInput as exc:  # a multiplier far outside any real one
        return {k: Fact.unknown(str(exc), unit=UNITS[k], source=source, method=method) for k in keys}
    block = raw.block
    out = {"shares": Fact(conversion.shares, UNITS["shares"], source, method, block, raw.fetched_at)}
    if chain.kind == "solana":
        shown = "raw × multiplier ÷ 10^decimals, cut at the token's decimals (Token-2022's UI amount)"
        out["balance_displayed"] = Fact(
            conversion.shares_shown, UNITS["balance_displayed"], source, shown, block, raw.fetched_at
        )
    return out


def may_redeem(chain: Chain, token: Token, d: Deployment, registry: Registry, config: RuleConfig) -> Outcome:
    """RD-8 for this token and the user's country, judged by the same rule as a report (no facts needed)."""
    now = utc_now()
    inspection = Inspection(Target(d.address, chain, d.address, token, d), {}, [], now)
    product = product_for(token, config.catalog)
    return judge("RD-8", jurisdiction, Context(inspection, registry, config, product, now, now))


async def _with_values(holdings: list[Holding], settings: Settings, http: Http) -> list[Holding]:
    """Each holding's value: shares × the underlying's price (Jupiter's stockData of the token's Solana mint)."""
    solana = chain_by_key("solana")
    mints = {h.token.on(solana).address for h in holdings if h.token.on(solana) is not None}  # type: ignore[union-attr]
    base = settings.get("api.jupiter")
    answers = await asyncio.gather(*(price_facts(http, base, m) for m in sorted(mints)), return_exceptions=True)
    prices = dict(zip(sorted(mints), answers, strict=True))
    out = []
    for h in holdings:
        d = h.token.on(solana)
        shares = h.facts["shares"]
        answer = prices.get(d.address) if d is not None else None
        method = f"shares × Jupiter stockData.price of {d.address}" if d is not None else "shares × price"
        if isinstance(answer, BaseException):
            if not isinstance(answer, SourceError):
                raise answer
            value = Fact.unknown(f"no price: {answer}", unit=UNITS["value"], source="Jupiter price API", method=method)
        elif answer is None:
            value = Fact.unknown(
                "no price source: the token has no Solana mint Jupiter could price",
                unit=UNITS["value"],
                source="Jupiter price API",
                method=method,
            )
        else:
            price = answer["underlying_price"]
            value = _value(shares, price, method)
        out.append(dataclasses.replace(h, facts=h.facts | {"value": value}))
    return out


def _value(shares: Fact, price: Fact, method: str) -> Fact:
    if not price.known or not isinstance(price.value, Decimal):
        return Fact.unknown(f"no price: {price.error}", unit=UNITS["value"], source=price.source, method=method)
    if not shares.known or not isinstance(shares.value, Decimal):
        return Fact.unknown(f"shares unknown: {shares.error}", unit=UNITS["value"], source=price.source, method=method)
    value = normalized(shares.value * price.value)
    return Fact(value, UNITS["value"], price.source, f"{method} ({price.value} USD)", None, price.fetched_at)


def shown_amount(fact: Fact, exact: Fact | None = None) -> str:
    """An amount as the wallet view and the text output show it; a positive amount cut to 0 says so.

    A small balance of a token whose multiplier is below 1 (AZNx: 0.511) can fall under one display
    unit; it is shown as less than that unit with its exact shares, never as a bare 0.
    """
    if not fact.known:
        return f"unknown ({fact.error})"
    value = fact.value
    positive = exact is not None and isinstance(exact.value, Decimal) and exact.value > 0
    if isinstance(value, Decimal) and value == 0 and positive:
        assert exact is not None
        return f"less than one display unit (exactly {exact.value:f})"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def format_text(wallet: Wallet) -> str:
    """The wallet for a terminal: each chain's line, then each holding with its figures and provenance."""
    lines = [f"Wallet {wallet.address} — read live; the address went only to each chain's RPC endpoint.", ""]
    lines += [c.sentence() for c in wallet.chains]
    for h in wallet.holdings:
        f = h.facts
        flag_key = "frozen" if h.chain.kind == "solana" else "sanctioned"
        flag = f[flag_key]
        flag_text = ("YES" if flag.value else "no") if flag.known else f"unknown ({flag.error})"
        lines += [
            "",
            f"{h.token.symbol} — {h.token.name} · {h.token.issuer_name} · {h.chain.name} · {h.standing}",
            f"  address        {h.deployment.address}" + (f"  (token account {h.account})" if h.account else ""),
            f"  raw balance    {shown_amount(f['balance_raw'])} raw units",
            f"  wallets show   {shown_amount(f['balance_displayed'], f['shares'])}",
            f"  multiplier     {shown_amount(f['multiplier'])}",
            f"  shares         {shown_amount(f['shares'])}",
            f"  value          {shown_amount(f['value'])}" + (" USD" if f["value"].known else ""),
            f"  {flag_key:<14} {flag_text}",
            f"  country excl.  {h.redeem.status.upper()} (RD-8) — {h.redeem.explanation}",
            f"  report         {h.report_command}",
            f"  read at        {f['balance_raw'].source}, block/slot {f['balance_raw'].block}, "
            f"{iso(f['balance_raw'].fetched_at)}",
            f"                 {f['balance_raw'].method}",
        ]
    return "\n".join(lines) + "\n"
