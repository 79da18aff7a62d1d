"""Issuers' own lists read at run time: a keyless live API, or a token factory on chain (docs/issuer-lists.md).

* **Live confirmation.** A third party's row (``official: null``) of an issuer whose live list is
  keyless (xStocks ``/public/assets``) is confirmed for one report when the issuer's API names this
  exact address on this chain; if the API cannot be read, or names another address or no address on
  this chain, the row stays ``null`` and the fact ``issuer_list_confirmation`` says why.
* **Factories.** Where an issuer publishes only a factory, the factory's on-chain list is its list.
  ``resources/registry/factories.json`` names the factories; ``refresh_factories`` reads them live
  (``adapters/factories.py``) and keeps each list with its block and as-of in the cache folder, and
  the registry loads the cached lists as tokens with basis ``issuer (factory)`` (official) or, for a
  factory only a third party names, ``third-party``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Final

from .adapters.evm import EvmReader
from .adapters.factories import Factory, FactoryList, FactoryToken, read_list
from .addresses import same_address
from .chains import Chain, chain_by_key
from .errors import BackcheckError, SourceError
from .facts import Fact, iso
from .http import Http
from .registry import ISSUER, THIRD_PARTY, Deployment, Issuer, Token, Underlying
from .resources import resource_path
from .settings import Settings, cache_dir

FACTORIES = ("registry", "factories.json")
CACHE_FILE = "issuer_lists.json"
CACHE_SCHEMA = "backcheck.issuer-lists/1"
# Bases of rows an issuer's run-time list vouches for (both official).
LIVE_LIST: Final = "issuer (live list)"
FACTORY_LIST: Final = "issuer (factory)"
CONFIRMATION = "issuer_list_confirmation"  # the fact that says how a third party's row fared
CONFIRMATION_UNIT = "whether the issuer's live list names this address on this chain"


def confirm_live(
    token: Token | None, deployment: Deployment | None, chain: Chain, facts: dict[str, Fact]
) -> tuple[Token, Deployment, Fact] | None:
    """Judge a third party's row against the issuer's live API answer already read for this report.

    Args:
        token: The registry token.
        deployment: Its row on this chain.
        chain: The chain inspected.
        facts: The inspection's facts; ``issuer_api_address`` is the issuer's address for the token here.

    Returns:
        ``None`` when the row needs no confirmation (not a third party's, or no keyless live list);
        else the token and row to report (confirmed: basis ``issuer (live list)``, source the API URL,
        as-of its fetch time, official; otherwise unchanged) and the fact that says which.
    """
    if token is None or deployment is None or deployment.basis != THIRD_PARTY or token.issuer_api != "xstocks":
        return None
    live = facts.get("issuer_api_address")
    if live is None or not live.known:
        reason = live.error if live is not None else "the issuer's API was not read"
        fact = Fact.unknown(
            f"the issuer's live list could not be read ({reason}); the row stays listed by {deployment.listed_by}, "
            "not confirmed by the issuer",
            unit=CONFIRMATION_UNIT,
            source=live.source if live is not None else "issuer API",
            method=live.method if live is not None else "not read",
        )
        return token, deployment, fact
    if not same_address(str(live.value), deployment.address):
        said = f"it names {live.value} for {token.symbol} on {chain.name}"
        if live.value == "not listed on this chain":
            said = f"it lists no {token.symbol} address on {chain.name}"
        fact = Fact(
            f"not in the issuer's list: {said}", CONFIRMATION_UNIT, live.source, live.method, None, live.fetched_at
        )
        return token, deployment, fact
    url = live.method.removeprefix("GET ")
    confirmed = dataclasses.replace(
        deployment,
        source=f"{url} (the issuer's live list; first listed by {deployment.listed_by})",
        as_of=iso(live.fetched_at),
        basis=LIVE_LIST,
        listed_by=live.source,
    )
    fact = Fact(
        "confirmed by the issuer's live list", CONFIRMATION_UNIT, live.source, live.method, None, live.fetched_at
    )
    # Only the confirmed row: the token's other rows (if any) were not checked.
    return dataclasses.replace(token, official=True, deployments=(confirmed,)), confirmed, fact


@functools.cache
def _factories_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(resource_path(*FACTORIES).read_text(encoding="utf-8"))
    return doc


def factories() -> tuple[Factory, ...]:
    """Every factory the project knows, with its source (``resources/registry/factories.json``)."""
    return tuple(Factory(**row) for row in _factories_doc()["factories"])


def factory_issuers() -> tuple[Issuer, ...]:
    """The issuers the factories belong to (the registry's own record of an issuer comes first)."""
    return tuple(Issuer(key, doc["name"]) for key, doc in _factories_doc()["issuers"].items())


def cache_path() -> Path:
    """Where the lists read live are kept (public data only: nothing of the user)."""
    return cache_dir() / CACHE_FILE


def cached_lists() -> list[FactoryList]:
    """The lists last read, for the factories the project still names; an unusable cache is no list."""
    known = {f.key: f for f in factories()}
    try:
        doc = json.loads(cache_path().read_text(encoding="utf-8"))
        if doc.get("schema") != CACHE_SCHEMA:
            return []
        return [_list_of(known[key], row) for key, row in doc["lists"].items() if key in known]
    except (OSError, ValueError, LookupError, TypeError, AttributeError, BackcheckError):
        return []  # a missing or damaged cache: the lists are read again by a refresh


def save_lists(lists: list[FactoryList]) -> Path:
    """Keep these lists in the cache beside the others, in one atomic write.

    Raises:
        OSError: The cache folder cannot be written.
    """
    path = cache_path()
    rows = {f.factory.key: _list_doc(f) for f in cached_lists()}
    rows.update({f.factory.key: _list_doc(f) for f in lists})
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".issuer_lists.", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"schema": CACHE_SCHEMA, "lists": rows}, out, indent=1)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    return path


@dataclasses.dataclass(frozen=True, slots=True)
class FactoryRefresh:
    """How one factory fared in a refresh: its list, or why it was not read (the cached list then stays)."""

    factory: Factory
    found: FactoryList | None
    error: str | None = None


async def refresh_factories(
    http: Http, settings: Settings, chains: set[str] | None = None, *, save: bool = True
) -> list[FactoryRefresh]:
    """Read every factory (or those on ``chains``) concurrently through each chain's RPC setting, and cache them."""
    chosen = [f for f in factories() if chains is None or f.chain in chains]

    async def one(factory: Factory) -> FactoryRefresh:
        reader = EvmReader(http, chain_by_key(factory.chain), settings.get(f"rpc.{factory.chain}"))
        try:
            return FactoryRefresh(factory, await read_list(reader, factory))
        except SourceError as exc:
            return FactoryRefresh(factory, None, str(exc))

    results = list(await asyncio.gather(*(one(f) for f in chosen)))
    if save:
        save_lists([r.found for r in results if r.found is not None])
    return results


def factory_tokens(lists: list[FactoryList], names: dict[str, str]) -> list[Token]:
    """One registry token per listed address: official where the issuer's repository names the factory."""
    tokens = []
    for found in lists:
        f = found.factory
        chain = chain_by_key(f.chain)
        basis = FACTORY_LIST if f.basis == ISSUER else THIRD_PARTY
        source = f"{f.role} {f.address} on {chain.name}: {found.method} (factory named by {f.source})"
        for t in found.tokens:
            symbol = t.symbol if t.symbol and t.symbol.isprintable() else t.address
            name = t.name if t.name and t.name.isprintable() else symbol
            deployment = Deployment(chain, t.address, t.decimals, source, found.fetched_at[:10], basis, f.listed_by)
            tokens.append(
                Token(
                    symbol=symbol,
                    name=name,
                    issuer_key=f.issuer,
                    issuer_name=names.get(f.issuer, f.issuer),
                    isin=None,
                    underlying=Underlying(_underlying(symbol), name, None),
                    deployments=(deployment,),
                    official=True if basis == FACTORY_LIST else None,
                )
            )
    return tokens


def _underlying(symbol: str) -> str:
    """The share's ticker: dShares are ``AAPL.d``, wrapped dShares ``AAPL.dw``; Robinhood's are the ticker."""
    return symbol.rsplit(".", 1)[0] if symbol.endswith((".d", ".dw")) else symbol


def _list_doc(found: FactoryList) -> dict[str, Any]:
    return {
        "block": found.block,
        "block_time": found.block_time,
        "fetched_at": found.fetched_at,
        "rpc": found.rpc,  # redacted when read (adapters/factories.py): never a key on disk
        "method": found.method,
        "tokens": [dataclasses.asdict(t) for t in found.tokens],
    }


_EVM_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def _list_of(factory: Factory, row: dict[str, Any]) -> FactoryList:
    """A cached list, checked: a row that is not a token of an address is a damaged cache (ValueError, TypeError)."""
    chain_by_key(factory.chain)  # a factory on a chain no longer known is no list (BadInput)
    tokens = tuple(FactoryToken(**t) for t in row["tokens"])
    for t in tokens:
        if not isinstance(t.address, str) or not _EVM_ADDRESS.fullmatch(t.address):
            raise ValueError(f"not an address: {t.address!r}")
        texts_ok = all(v is None or isinstance(v, str) for v in (t.symbol, t.name))
        places_ok = t.decimals is None or (type(t.decimals) is int and 0 <= t.decimals <= 36)
        if not (texts_ok and places_ok and isinstance(t.wrapped, bool)):
            raise TypeError(f"a cached token of {t.address} is not symbol, name, decimals and wrapped")
    return FactoryList(
        factory,
        tokens,
        int(row["block"]),
        str(row["block_time"]),
        str(row["fetched_at"]),
        str(row["rpc"]),
        str(row["method"]),
    )
