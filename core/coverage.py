"""Measured reserve coverage: the issuer's shares held against the float Backcheck reads on every chain.

The issuer's own ratio (``reserves_coverage``) divides its ``sharesHeld`` by its own
``circulatingSupply``. Here the divisor is measured: every chain the registry lists for the
token is read at one block (EVM) or slot (Solana), and its float (supply minus labelled
issuer wallets) is summed. Both floats are already in share-equivalents: an EVM AutoFee
token's ``totalSupply``/``balanceOf`` are rebased by its multiplier, and a Solana float is the
UI amount (raw × the effective Scaled-UI multiplier), so no multiplier is applied again.

It fails closed: a chain not read, or read with an unknown float, makes the sum and the
coverage unknown with the reason naming the chain, never a smaller partial sum.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .adapters.evm import MULTICALL3, CallResult, EvmReader, Head, Heads, encode_multicall, multicall_answer
from .adapters.evm_powers import SEL
from .adapters.jsonrpc import batch
from .adapters.solana import SolanaReader
from .errors import BadInput, SourceError
from .facts import Fact, iso, utc_now
from .http import Http
from .registry import Deployment, Registry, Token
from .settings import Settings
from .units import from_raw, normalized

SHARES = "share-equivalents"
FLOAT_RULE = (
    "float = supply − labelled issuer wallets; EVM: totalSupply − Σ balanceOf (AutoFee balances are already "
    "rebased by the multiplier); Solana: UI amounts (raw × effective Scaled-UI multiplier ÷ 10^decimals)"
)
OUTSTANDING_UNIT = f"{SHARES} outstanding on every chain: Σ float, each chain at its own block/slot"
PARTS_UNIT = f"each chain's float in {SHARES}"
# Every fact the every-chain read writes (fact key → unit); a chain that fails makes the sum unknown.
FEEDS: dict[str, str] = {
    "outstanding_measured_parts": PARTS_UNIT,
    "outstanding_measured_all_chains": OUTSTANDING_UNIT,
}


@dataclasses.dataclass(frozen=True, slots=True)
class ChainFloat:
    """One chain's float, measured or unknown, with the chain's own clock at the block or slot read.

    Attributes:
        chain: The chain key.
        float_: The float in share-equivalents (``value=None`` and ``error`` when not measured).
        chain_time: The chain's clock at that block/slot (ISO-8601), when read.
    """

    chain: str
    float_: Fact
    chain_time: str | None = None

    @property
    def read_at(self) -> str:
        """``block N`` / ``slot N``, or ``not read``."""
        if self.float_.block is None:
            return "not read"
        return f"{'slot' if self.chain == 'solana' else 'block'} {self.float_.block}"

    def to_json(self) -> dict[str, Any]:
        """One row of ``outstanding_measured_parts``."""
        kind = "slot" if self.chain == "solana" else "block"
        row: dict[str, Any] = {
            "chain": self.chain,
            "float": format(self.float_.value, "f") if isinstance(self.float_.value, Decimal) else None,
            kind: self.float_.block,
            "chain_time": self.chain_time,
            "fetched_at": iso(self.float_.fetched_at),
            "source": self.float_.source,
            "method": self.float_.method,
        }
        if self.float_.error is not None:
            row["error"] = self.float_.error
        return row


async def measured_outstanding(
    token: Token | None, settings: Settings, http: Http, registry: Registry, heads: Heads | None = None
) -> dict[str, Fact]:
    """Read every chain's float of an official token concurrently and sum them.

    Returns nothing for a token no issuer lists (its chains are not known). Source failures
    become unknown parts; only programming errors raise. A chain the inspection reads anyway
    (``heads``) is read at the head its chain read found, whose chain id is already judged.
    """
    if token is None or token.official is not True:
        return {}
    evm_wallets = [w.address for w in registry.system_wallets if w.chain_kind == "evm"]
    jobs = [
        _solana_float(d, settings, http, registry)
        if d.chain.kind == "solana"
        else _evm_float(d, settings, http, evm_wallets, heads.of(d.chain.key) if heads else None)
        for d in token.deployments
    ]
    parts = list(await asyncio.gather(*jobs))
    return outstanding_facts(parts)


def outstanding_facts(parts: Sequence[ChainFloat]) -> dict[str, Fact]:
    """``outstanding_measured_parts`` (each chain with its block/slot) and their fail-closed sum."""
    where = ", ".join(f"{p.chain} ({p.read_at})" for p in parts)
    method = f"Σ float over {where}; {FLOAT_RULE}"
    now = utc_now()
    out = {"outstanding_measured_parts": Fact([p.to_json() for p in parts], PARTS_UNIT, "derived", method, None, now)}
    missing = [p for p in parts if not isinstance(p.float_.value, Decimal)]
    if missing or not parts:
        reason = (
            f"not read on {', '.join(p.chain for p in missing)}, so a partial sum would understate — "
            + "; ".join(f"{p.chain}: {p.float_.error}" for p in missing)
            if missing
            else "the registry lists no chain for this token"
        )
        out["outstanding_measured_all_chains"] = Fact.unknown(
            reason, unit=OUTSTANDING_UNIT, source="derived", method=method
        )
        return out
    total = sum((p.float_.value for p in parts if isinstance(p.float_.value, Decimal)), Decimal(0))
    oldest = min(p.float_.fetched_at for p in parts)
    out["outstanding_measured_all_chains"] = Fact(normalized(total), OUTSTANDING_UNIT, "derived", method, None, oldest)
    return out


def coverage_facts(facts: Mapping[str, Fact]) -> dict[str, Fact]:
    """``reserves_coverage_measured`` = shares held ÷ measured outstanding, and its gap to the issuer's ratio.

    Freshness is the oldest part: the fact's ``fetched_at`` is the earliest of every chain's
    read and the issuer's proof-of-reserve timestamp. Nothing is returned when the token has
    no issuer reserves or no measured outstanding (not applicable, not unknown).
    """
    reserves, outstanding = facts.get("reserves_shares"), facts.get("outstanding_measured_all_chains")
    if reserves is None or outstanding is None:
        return {}
    method = "reserves_shares ÷ outstanding_measured_all_chains (issuer's shares held ÷ Σ float measured per chain)"
    unit = f"ratio: shares held ÷ {SHARES} outstanding, measured on every chain"

    def unknown(reason: str) -> dict[str, Fact]:
        return {"reserves_coverage_measured": Fact.unknown(reason, unit=unit, source="derived", method=method)}

    proof = _proof_time(facts.get("reserves_updated_at"))
    if not isinstance(reserves.value, Decimal):
        return unknown(f"the issuer's shares held are unknown ({reserves.error})")
    if not isinstance(outstanding.value, Decimal):
        return unknown(f"the outstanding supply is unknown: {outstanding.error}")
    if isinstance(proof, str):
        return unknown(f"the proof of reserve's time is unknown ({proof}), so the coverage has no as-of time")
    if outstanding.value <= 0:
        return unknown("no token is outstanding on any chain; a ratio over zero means nothing")
    as_of = min(reserves.fetched_at, outstanding.fetched_at, proof)
    coverage = (reserves.value / outstanding.value).quantize(Decimal("0.000001"))
    out = {
        "reserves_coverage_measured": Fact(
            coverage, f"{unit} (reserves as of {iso(proof)})", "derived", method, None, as_of
        )
    }
    issuer = facts.get("reserves_coverage")
    if issuer is not None:
        gap_method = "reserves_coverage_measured − reserves_coverage (the measured ratio minus the issuer's own)"
        gap_unit = "ratio points: measured coverage minus the issuer's own"
        out["reserves_coverage_gap"] = (
            Fact(coverage - issuer.value, gap_unit, "derived", gap_method, None, min(as_of, issuer.fetched_at))
            if isinstance(issuer.value, Decimal)
            else Fact.unknown(
                f"the issuer's own ratio is unknown ({issuer.error})",
                unit=gap_unit,
                source="derived",
                method=gap_method,
            )
        )
    return out


def _proof_time(fact: Fact | None) -> datetime | str:
    """The proof of reserve's timestamp, or why it is unknown."""
    if fact is None:
        return "it was not read"
    if not fact.known:
        return str(fact.error)
    try:
        return datetime.fromisoformat(str(fact.value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return f"{fact.value!r} is not a time"


async def _solana_float(deployment: Deployment, settings: Settings, http: Http, registry: Registry) -> ChainFloat:
    """The mint's float as the Solana adapter reads it (UI amounts, labelled wallets excluded)."""
    reader = SolanaReader(http, settings.get("rpc.solana"), registry.label)
    method = f"SolanaReader.read({deployment.address}) → float"
    try:
        facts = await reader.read(deployment.address)
    except (SourceError, BadInput) as exc:
        return ChainFloat("solana", Fact.unknown(str(exc), unit=SHARES, source=reader.source, method=method))
    found, clock = facts.get("float"), facts.get("chain_time")
    if found is None:
        found = Fact.unknown("the read gave no float", unit=SHARES, source=reader.source, method=method)
    return ChainFloat("solana", found, str(clock.value) if clock is not None and clock.known else None)


async def _evm_float(
    deployment: Deployment,
    settings: Settings,
    http: Http,
    wallets: Sequence[str],
    shared: Awaitable[Head | str] | None,
) -> ChainFloat:
    """``totalSupply − Σ balanceOf(issuer wallets)`` in one Multicall3 call, with the block and its time.

    One round trip: with the chain-id check in the same batch, or, for the chain being inspected,
    at the head its chain read found (``shared``: the head, or why that read failed).
    """
    from eth_abi.abi import encode  # noqa: PLC0415 - lazy: comes with web3

    chain, token = deployment.chain, deployment.address
    reader = EvmReader(http, chain, settings.get(f"rpc.{chain.key}"))
    calls = [
        (MULTICALL3, SEL["getBlockNumber"]),
        (MULTICALL3, SEL["getCurrentBlockTimestamp"]),
        (token, SEL["decimals"]),
        (token, SEL["totalSupply"]),
        *((token, SEL["balanceOf"] + encode(["address"], [w])) for w in wallets),
    ]
    call = {"to": MULTICALL3, "data": "0x" + encode_multicall(calls).hex()}
    try:
        if shared is None:
            (raw,) = await reader.checked([("eth_call", [call, "latest"])])
        else:
            head = await shared
            if isinstance(head, str):
                raise SourceError(head)
            (raw,) = await batch(http, reader.url, [("eth_call", [call, hex(head.number)])])
        block_call, time_call, decimals_call, supply_call, *balances = multicall_answer(raw, calls, reader.url)
    except SourceError as exc:
        method = f"eth_call Multicall3 totalSupply() + balanceOf(issuer wallets) on {token}"
        return ChainFloat(chain.key, Fact.unknown(str(exc), unit=SHARES, source=reader.source, method=method))
    block = block_call.word or 0
    stamp = time_call.word
    chain_time = iso(datetime.fromtimestamp(stamp, UTC)) if stamp else None
    method = "; ".join(c.method(block) for c in (decimals_call, supply_call, *balances))
    found = _evm_float_value(deployment, block, decimals_call.word, supply_call.word, balances, wallets)
    if isinstance(found, str):
        return ChainFloat(
            chain.key, Fact(None, SHARES, reader.source, method, block, utc_now(), error=found), chain_time
        )
    unit = f"{SHARES} (this chain: totalSupply − issuer wallets, rebased)"
    return ChainFloat(chain.key, Fact(found, unit, reader.source, method, block, utc_now()), chain_time)


def _evm_float_value(
    deployment: Deployment,
    block: int,
    decimals: int | None,
    supply: int | None,
    balances: Sequence[CallResult],
    wallets: Sequence[str],
) -> Decimal | str:
    """The chain's float from its answers, or why they give none."""
    where = f"{deployment.address} on {deployment.chain.name} at block {block}"
    if decimals is None or supply is None:
        return f"decimals() or totalSupply() gave no answer from {where}: no token there"
    if decimals != deployment.decimals:
        return f"decimals() says {decimals} at {where}, the registry lists {deployment.decimals}: not the listed token"
    unanswered = [w for w, b in zip(wallets, balances, strict=True) if b.word is None]
    if unanswered:
        return f"balanceOf gave no answer for the issuer wallet(s) {', '.join(unanswered)} at {where}"
    held = sum(b.word or 0 for b in balances)
    if held > supply:
        return f"the issuer wallets hold {held} raw units, more than the supply {supply} at {where}: implausible"
    return from_raw(supply - held, decimals)
