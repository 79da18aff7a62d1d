"""From what the user typed to facts: resolve a query to one token on one chain, then read it."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from .adapters.evm import EvmReader
from .addresses import classify, normalize_evm, normalize_solana
from .chains import Chain, chain_by_key
from .errors import BadInput, SourceError
from .facts import Fact, utc_now
from .http import Http
from .registry import Deployment, Registry, Token
from .settings import Settings


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """One token on one chain, ready to be read.

    Attributes:
        query: What the user typed.
        chain: The chain to read.
        address: The contract or mint address.
        token: The registry token, ``None`` for an address no issuer list holds.
        deployment: The registry row for this chain, with its source and as-of date.
    """

    query: str
    chain: Chain
    address: str
    token: Token | None
    deployment: Deployment | None

    @property
    def official(self) -> bool | None:
        """Whether the issuer's list holds this address (``None``: vouched by the user only)."""
        if self.token is None:
            return False
        return self.token.official


@dataclasses.dataclass(frozen=True, slots=True)
class SourceState:
    """How one data source fared during an inspection."""

    name: str
    url: str
    state: str  # ok | failed | offline | stale
    error: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Inspection:
    """Everything one inspection measured, with each source's state."""

    target: Target
    facts: dict[str, Fact]
    sources: list[SourceState]
    generated_at: datetime

    @property
    def reached_any_source(self) -> bool:
        """Whether at least one source answered."""
        return any(s.state == "ok" for s in self.sources)


def resolve(registry: Registry, query: str, chain_name: str | None) -> Target:
    """Turn a query and an optional chain into exactly one target.

    Raises:
        BadInput: Nothing matches, the query is ambiguous, or the address does not fit the chain.
    """
    text = query.strip()
    if not text:
        raise BadInput("Type a ticker (AAPL), a token symbol (AAPLx), an ISIN or a contract address.")
    chain = chain_by_key(chain_name) if chain_name else None
    kind = classify(text)
    if kind in ("evm_address", "solana_address"):
        return _resolve_address(registry, text, kind, chain)
    candidates = registry.search(text, chain)
    if not candidates:
        where = f" on {chain.name}" if chain else ""
        raise BadInput(
            f"No token matches {text!r}{where}. Try a ticker (AAPL), a token symbol (AAPLx), "
            "an ISIN or a contract address."
        )
    exact = [c for c in candidates if c.token.symbol.lower() == text.lower()]
    candidates = exact or candidates
    symbols = sorted({c.token.symbol for c in candidates})
    if len(symbols) > 1:
        raise BadInput(f"{text!r} matches several tokens: {', '.join(symbols[:12])}. "
                       "Give one token symbol.")
    if len(candidates) > 1:
        chains = ", ".join(c.deployment.chain.key for c in candidates)
        raise BadInput(f"{symbols[0]} is on several chains ({chains}); choose one with --chain.")
    (only,) = candidates
    return Target(text, only.deployment.chain, only.deployment.address, only.token, only.deployment)


def _resolve_address(registry: Registry, text: str, kind: str, chain: Chain | None) -> Target:
    if chain is not None and chain.kind == "solana" and kind == "evm_address":
        raise BadInput(f"{text} is an EVM address (0x…), but Solana was chosen; "
                       "pick the EVM chain it lives on, or paste the Solana mint address.")
    if chain is not None and chain.kind == "evm" and kind == "solana_address":
        raise BadInput(f"{text} looks like a Solana address, but {chain.name} was chosen; "
                       "pick Solana, or paste the 0x… contract address.")
    address = normalize_evm(text) if kind == "evm_address" else normalize_solana(text)
    rows = [(t, d) for t, d in registry.by_address(address) if chain is None or d.chain == chain]
    if chain is None:
        chains = sorted({d.chain.key for _, d in rows})
        if kind == "solana_address":
            chain = chain_by_key("solana")
        elif len(chains) == 1:
            chain = chain_by_key(chains[0])
        else:
            listed = f" It is listed on {', '.join(chains)}." if chains else ""
            raise BadInput(f"Choose the chain for {address} with --chain.{listed}")
    if rows:
        token, deployment = rows[0]
        return Target(text, chain, deployment.address, token, deployment)
    return Target(text, chain, address, None, None)


async def inspect(target: Target, settings: Settings, http: Http) -> Inspection:
    """Read every fact this build knows for a target; failures become unknown facts."""
    url = settings.get(f"rpc.{target.chain.key}")
    if target.chain.kind != "evm":
        raise BadInput(f"Reading {target.chain.name} is not supported by this build yet; "
                       "choose an EVM chain with --chain.")
    reader = EvmReader(http, target.chain, url)
    try:
        await reader.check_chain()
        facts = await reader.token_basics(target.address)
    except SourceError as exc:
        reason = str(exc)
        unknown = {key: Fact.unknown(reason, unit=unit, source=reader.source, method=method)
                   for key, unit, method in _EVM_BASICS}
        return Inspection(target, unknown, [SourceState(reader.source, url, "failed", reason)],
                          utc_now())
    return Inspection(target, facts, [SourceState(reader.source, url, "ok")], utc_now())


_EVM_BASICS = (
    ("decimals", "digits", "eth_call decimals() [0x313ce567]"),
    ("total_supply_raw", "raw units", "eth_call totalSupply() [0x18160ddd]"),
    ("total_supply", "tokens", "eth_call totalSupply() [0x18160ddd]"),
    ("multiplier", "shares per token", "eth_call getCurrentMultiplier() [0x2b63c300]"),
)
