"""The registry of official tokens: a bundled snapshot plus an optional user overlay.

An address is official only if the issuer's list holds it; symbol search is never proof
(impostors share symbols, facts-onchain.md §0.10). Tokens from a user overlay are
listed but their ``official`` status is ``None``: the user, not the issuer, vouched for them.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .addresses import classify, normalize_evm, normalize_solana
from .chains import Chain, chain_by_key
from .errors import BadInput
from .jsondoc import Unusable, read_document, schema_problems, shown
from .resources import resource_path

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

BUNDLED = ("registry", "registry.json")
OVERLAY_SCHEMA = ("schema", "overlay.schema.json")
MAX_OVERLAY_BYTES = 2_000_000  # thousands of tokens take a few hundred kB
MAX_OVERLAY_NESTING = 8  # the format nests 5 levels: the file, tokens, a token, deployments, a deployment
MAX_PROBLEMS = 10  # problems told at once; the rest after those are fixed
MAX_ADDRESS_CHARS = 100  # checked before decoding: base58 decoding grows with the square of the length


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
    """Read, check and build an overlay's tokens: all of them, or none with every problem said.

    Raises:
        OverlayRefused: The file cannot be used; one sentence per problem, each naming where.
    """
    where = str(path) if str(path).isprintable() else repr(str(path))
    try:
        doc = read_document(path, max_bytes=MAX_OVERLAY_BYTES, max_depth=MAX_OVERLAY_NESTING, needs=5)
    except Unusable as exc:
        raise OverlayRefused([f"Registry overlay {where} {exc}."]) from None
    problems = schema_problems(doc, _overlay_validator(), MAX_PROBLEMS) or _repeated_chains(doc)
    if problems:
        raise OverlayRefused([f"{where}: {problem}" for problem in problems])
    return [_token(_overlay_row(t, path), issuers, official=None) for t in doc["tokens"]]


class OverlayRefused(BadInput):
    """A registry overlay that cannot be used; nothing of it is loaded.

    Attributes:
        problems: One sentence per problem, each naming the file and where in it.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = tuple(problems)


@functools.cache
def _overlay_validator() -> Validator:
    """The overlay schema's validator with Backcheck's formats (imported late: jsonschema costs ~0.1 s)."""
    from jsonschema import Draft202012Validator, FormatChecker, validators  # noqa: PLC0415 - only for an overlay

    formats = FormatChecker(formats=["date"])
    formats.checks("printable")(lambda v: not isinstance(v, str) or (v.isprintable() and v.strip() == v))
    formats.checks("evm-address", raises=BadInput)(_exact(normalize_evm))
    formats.checks("solana-address", raises=BadInput)(_exact(normalize_solana))
    # Numbers are read as Decimal (1e400 stays itself): a whole Decimal is an integer, a bool never is.
    types = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer",
        lambda _, v: (
            (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, Decimal) and v == v.to_integral_value())
        ),
    )
    validator: type[Validator] = validators.extend(Draft202012Validator, type_checker=types)  # type: ignore[no-untyped-call]
    schema = json.loads(resource_path(*OVERLAY_SCHEMA).read_text(encoding="utf-8"))
    return validator(schema, format_checker=formats)


def _exact(normalize: Callable[[str], str]) -> Callable[[object], bool]:
    """An address check that also refuses spaces around the address (the normalizers strip them)."""

    def check(value: object) -> bool:
        if isinstance(value, str):
            if len(value) > MAX_ADDRESS_CHARS:
                raise BadInput(f"{shown(value)} is far longer than any address.")
            normalize(value)
            if value.strip() != value:
                raise BadInput(f"{shown(value)} has spaces around the address; remove them.")
        return True

    return check


def _repeated_chains(doc: dict[str, Any]) -> list[str]:
    """A token listed twice on one chain could be read two ways."""
    problems = []
    for n, token in enumerate(doc["tokens"]):
        seen: set[str] = set()
        for m, deployment in enumerate(token["deployments"]):
            if deployment["chain"] in seen:
                problems.append(
                    f"tokens[{n}].deployments[{m}].chain: {shown(deployment['chain'])} is listed twice for this "
                    "token; give one address per chain."
                )
            seen.add(deployment["chain"])
    return problems[:MAX_PROBLEMS]


def _overlay_row(row: dict[str, Any], path: Path) -> dict[str, Any]:
    """Fill a checked overlay row's defaults: its source is the overlay file itself."""
    return {
        "issuer": "user-added",
        "underlying": {"symbol": row["symbol"]},
        **row,
        "deployments": [
            {"as_of": "unknown", **d, "decimals": int(d["decimals"]), "source": f"user overlay {path}"}
            for d in row["deployments"]
        ],
    }
