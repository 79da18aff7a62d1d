"""The registry of official tokens: a bundled snapshot plus an optional user overlay.

An address is official only if the issuer's list holds it; symbol search is never proof
(impostors share symbols, facts-onchain.md §0.10). Tokens from a user overlay are
listed but their ``official`` status is ``None``: the user, not the issuer, vouched for them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .addresses import classify
from .chains import Chain, chain_by_key
from .errors import BadInput
from .resources import resource_path

BUNDLED = ("registry", "registry.json")


@dataclasses.dataclass(frozen=True, slots=True)
class Underlying:
    """The security a token tracks."""

    symbol: str
    name: str
    isin: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Deployment:
    """One token on one chain, with the registry row's own provenance."""

    chain: Chain
    address: str
    decimals: int
    source: str
    as_of: str

    @property
    def key(self) -> str:
        """Lower-cased address used for lookups (base58 is case-sensitive, hex is not)."""
        return self.address.lower() if self.chain.kind == "evm" else self.address


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    """A tokenized security as its issuer lists it (``issuer_api``: the live API that lists it, if any)."""

    symbol: str
    name: str
    issuer_key: str
    issuer_name: str
    isin: str | None
    underlying: Underlying
    deployments: tuple[Deployment, ...]
    official: bool | None
    issuer_api: str | None = None

    def on(self, chain: Chain) -> Deployment | None:
        """Return the deployment on a chain, if any."""
        return next((d for d in self.deployments if d.chain == chain), None)


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """A search result: one token on one chain and why it matched."""

    token: Token
    deployment: Deployment
    reason: str


@dataclasses.dataclass(frozen=True, slots=True)
class Issuer:
    """What the registry knows of an issuer, each fact with its source.

    Attributes:
        key: Registry key (``"backed"``).
        name: Legal entity.
        registry_api: The API that lists its tokens live (``"xstocks"``), if any.
        por_cadence_hours: Promised proof-of-reserve cadence, if published.
        por_cadence_source: Where that promise is written.
        solana_metadata_uri_prefix: Where its Solana token metadata lives.
        solana_update_authority: The key that owns its Solana token metadata.
        evm_from_blocks: Per chain, the first block of its token factory (no token of it is older).
    """

    key: str
    name: str
    registry_api: str | None = None
    por_cadence_hours: int | None = None
    por_cadence_source: str | None = None
    solana_metadata_uri_prefix: str | None = None
    solana_update_authority: str | None = None
    evm_from_blocks: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class ReserveFeed:
    """An AggregatorV3-style proof-of-reserve feed for a token (answer = shares held)."""

    token: str
    chain: Chain
    address: str
    cadence_hours: int
    source: str


@dataclasses.dataclass(frozen=True, slots=True)
class SystemWallet:
    """An issuer inventory, bridge or treasury wallet to label and exclude."""

    chain_kind: str
    address: str
    label: str
    source: str


class Registry:
    """Searchable set of tokens.

    Attributes:
        tokens: Every token, bundled first, then overlay tokens.
        system_wallets: Labelled issuer wallets.
        issuers: Issuers by key.
        reserve_feeds: Proof-of-reserve feeds by token.
    """

    def __init__(
        self,
        tokens: Iterable[Token],
        system_wallets: Iterable[SystemWallet],
        issuers: Iterable[Issuer] = (),
        reserve_feeds: Iterable[ReserveFeed] = (),
    ) -> None:
        self.tokens = tuple(tokens)
        self.reserve_feeds = tuple(reserve_feeds)
        self.issuers = {i.key: i for i in issuers}
        self.system_wallets = tuple(system_wallets)
        self._by_symbol: dict[str, list[Token]] = {}
        self._by_underlying: dict[str, list[Token]] = {}
        self._by_isin: dict[str, list[Token]] = {}
        self._by_address: dict[str, list[tuple[Token, Deployment]]] = {}
        for token in self.tokens:
            self._by_symbol.setdefault(token.symbol.lower(), []).append(token)
            self._by_underlying.setdefault(token.underlying.symbol.lower(), []).append(token)
            for isin in (token.isin, token.underlying.isin):
                if isin:
                    self._by_isin.setdefault(isin, []).append(token)
            for dep in token.deployments:
                self._by_address.setdefault(dep.key, []).append((token, dep))

    @classmethod
    def load(cls, overlay: Path | None = None) -> Registry:
        """Load the bundled snapshot and, if given, a user overlay file.

        Raises:
            BadInput: The overlay file is missing or malformed; the message says where.
        """
        doc = json.loads(resource_path(*BUNDLED).read_text(encoding="utf-8"))
        issuers: dict[str, dict[str, Any]] = doc["issuers"]
        tokens = [_token(t, issuers, official=True) for t in doc["tokens"]]
        wallets = [SystemWallet(w["chain"], w["address"], w["label"], w["source"]) for w in doc["system_wallets"]]
        if overlay is not None:
            tokens.extend(_load_overlay(overlay, issuers))
        fields = {f.name for f in dataclasses.fields(Issuer)}
        known = [Issuer(key=k, **{f: v for f, v in doc.items() if f in fields}) for k, doc in issuers.items()]
        feeds = [
            ReserveFeed(f["token"], chain_by_key(f["chain"]), f["address"], int(f["cadence_hours"]), f["source"])
            for f in doc["reserve_feeds"]
        ]
        return cls(tokens, wallets, known, feeds)

    def reserve_feed(self, symbol: str) -> ReserveFeed | None:
        """Return the proof-of-reserve feed the registry knows for a token symbol."""
        return next((f for f in self.reserve_feeds if f.token == symbol), None)

    def issuer(self, key: str) -> Issuer:
        """Return an issuer; an unknown key (overlay tokens) gives a bare record."""
        return self.issuers.get(key) or Issuer(key, f"{key} (not verified)")

    def symbols(self) -> list[str]:
        """Return every token symbol, for completers."""
        return sorted({t.symbol for t in self.tokens}, key=str.lower)

    def by_address(self, address: str) -> list[tuple[Token, Deployment]]:
        """Return the registry rows holding this exact address (any chain)."""
        return list(self._by_address.get(address.lower() if address.startswith("0x") else address, []))

    def label(self, address: str) -> str | None:
        """Return the label of a known system wallet."""
        wanted = address.lower()
        return next((w.label for w in self.system_wallets if w.address.lower() == wanted), None)

    def search(self, query: str, chain: Chain | None = None) -> list[Candidate]:
        """Find candidates by ticker, symbol, ISIN, name or address.

        Results are ordered by underlying, then issuer, then chain, so a person sees
        every issuer's token for one share side by side.
        """
        text = query.strip()
        if not text:
            return []
        kind = classify(text)
        found: list[tuple[Token, str]] = []
        if kind in ("evm_address", "solana_address"):
            return [Candidate(t, d, "address") for t, d in self.by_address(text) if chain is None or d.chain == chain]
        if kind == "isin":
            found += [(t, "ISIN") for t in self._by_isin.get(text, [])]
        lower = text.lower()
        found += [(t, "token symbol") for t in self._by_symbol.get(lower, [])]
        found += [(t, "underlying ticker") for t in self._by_underlying.get(lower, [])]
        if len(lower) >= 3:
            found += [(t, "name") for t in self.tokens if lower in t.name.lower() or lower in t.underlying.name.lower()]
        seen: set[int] = set()
        out: list[Candidate] = []
        for token, reason in found:
            if id(token) in seen:
                continue
            seen.add(id(token))
            out += [Candidate(token, d, reason) for d in token.deployments if chain is None or d.chain == chain]
        out.sort(
            key=lambda c: (
                c.token.underlying.symbol,
                c.token.issuer_key,
                c.token.symbol,
                c.deployment.chain.key,
            )
        )
        return out


def _token(doc: dict[str, Any], issuers: dict[str, dict[str, Any]], official: bool | None) -> Token:
    issuer = issuers.get(doc["issuer"], {"name": f"{doc['issuer']} (not verified)"})
    u = doc["underlying"]
    return Token(
        symbol=doc["symbol"],
        name=doc["name"],
        issuer_key=doc["issuer"],
        issuer_name=issuer["name"],
        isin=doc.get("isin"),
        underlying=Underlying(u["symbol"], u.get("name", u["symbol"]), u.get("isin")),
        deployments=tuple(
            Deployment(chain_by_key(d["chain"]), d["address"], int(d["decimals"]), d["source"], d["as_of"])
            for d in doc["deployments"]
        ),
        official=official,
        issuer_api=doc.get("issuer_api"),
    )


def _load_overlay(path: Path, issuers: dict[str, dict[str, Any]]) -> list[Token]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [_token(_overlay_row(t, path), issuers, official=None) for t in doc["tokens"]]
    except FileNotFoundError:
        raise BadInput(f"Registry overlay {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Cannot read registry overlay {path}: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"Registry overlay {path} is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(
            f"Registry overlay {path} does not follow the documented format "
            f"(docs/registry-overlay.md): missing or wrong field {exc}."
        ) from None


def _overlay_row(row: dict[str, Any], path: Path) -> dict[str, Any]:
    """Fill an overlay row's defaults: its source is the overlay file itself."""
    row = dict(row)
    row.setdefault("issuer", "user-added")
    row.setdefault("underlying", {"symbol": row["symbol"]})
    row["deployments"] = [
        {"source": f"user overlay {path}", "as_of": d.get("as_of", "unknown"), **d} for d in row["deployments"]
    ]
    return row
