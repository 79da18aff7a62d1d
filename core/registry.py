"""The registry of stock tokens: a bundled snapshot plus an optional user overlay.

An address is official only if the issuer's list holds it; symbol search is never proof
(impostors share symbols, facts-onchain.md §0.10). Every bundled row carries its basis: the
issuer's own list (``official`` True), a third party's list (``None``: not confirmed by the
issuer) or withdrawn from the issuer's list (``False``). Tokens from a user overlay are listed
but their ``official`` status is ``None``: the user, not the issuer, vouched for them.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

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

# Whose list holds a row (tools/build_registry.py writes the first three; an overlay row is the user's).
ISSUER: Final = "issuer"
THIRD_PARTY: Final = "third-party"
WITHDRAWN: Final = "withdrawn"
USER: Final = "user"
_OFFICIAL: dict[str, bool | None] = {ISSUER: True, THIRD_PARTY: None, WITHDRAWN: False}

# How much a row's official flag says about an address, the issuer's word first (lower sorts first).
ISSUERS_WORD = {True: 0, False: 1, None: 2}


@dataclasses.dataclass(frozen=True, slots=True)
class Underlying:
    """The security a token tracks."""

    symbol: str
    name: str
    isin: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Deployment:
    """One token on one chain, with the registry row's own provenance.

    Attributes:
        chain: The chain.
        address: The contract or mint address.
        decimals: As the source gives them; ``None`` when it does not (the chain says).
        source: The list the row comes from (repository, path, commit or date).
        as_of: That list's date.
        basis: Whose list holds it: ``issuer``, ``third-party``, ``withdrawn`` (was on the issuer's list)
            or ``user`` (an overlay); ``None`` when a snapshot did not record it.
        listed_by: Who lists it (a repository, an API, the overlay file).

    ``basis`` and ``listed_by`` follow from the source, so equality leaves them out: a row read back
    from a snapshot, which records its source but not them, is the same row.
    """

    chain: Chain
    address: str
    decimals: int | None
    source: str
    as_of: str
    basis: str | None = dataclasses.field(default=None, compare=False)
    listed_by: str | None = dataclasses.field(default=None, compare=False)

    @property
    def key(self) -> str:
        """Lower-cased address used for lookups (base58 is case-sensitive, hex is not)."""
        return self.address.lower() if self.chain.kind == "evm" else self.address


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    """A tokenized security as one list names it: every deployment shares one basis, so ``official`` is that basis.

    ``issuer_api`` is the live API that lists it, if any.
    """

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

    The bundled snapshot's tokens stay parsed JSON until something asks for them: a search builds
    only what it finds, so loading the registry costs the parse and the indexes, not thousands of
    objects (``BENCHMARKS.md``).

    Attributes:
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
        bundled: Bundled | None = None,
    ) -> None:
        """Index the tokens.

        Args:
            tokens: Tokens already built (an overlay's, a test's); they come after the bundled ones.
            system_wallets: Labelled issuer wallets.
            issuers: Issuers.
            reserve_feeds: Proof-of-reserve feeds.
            bundled: The bundled tokens, still as parsed JSON.
        """
        self._bundled = bundled or Bundled([], {}, {})
        self._added = tuple(tokens)
        self.reserve_feeds = tuple(reserve_feeds)
        self.issuers = {i.key: i for i in issuers}
        self.system_wallets = tuple(system_wallets)
        # Each index maps a key to token positions: the bundled ones first, then the added tokens.
        self._by_symbol: dict[str, list[int]] = {}
        self._by_underlying: dict[str, list[int]] = {}
        self._by_isin: dict[str, list[int]] = {}
        self._by_address: dict[str, list[tuple[int, int]]] = {}  # address key → (token, deployment) positions
        for n, (symbol, underlying, isins, addresses) in enumerate(_keys(self._bundled.docs, self._added)):
            self._by_symbol.setdefault(symbol.lower(), []).append(n)
            self._by_underlying.setdefault(underlying.lower(), []).append(n)
            for isin in isins:
                if isin:
                    self._by_isin.setdefault(isin, []).append(n)
            for m, address in enumerate(addresses):
                self._by_address.setdefault(_address_key(address), []).append((n, m))

    def _at(self, n: int) -> Token:
        count = len(self._bundled.docs)
        return self._bundled.token(n) if n < count else self._added[n - count]

    @functools.cached_property
    def tokens(self) -> tuple[Token, ...]:
        """Every token, bundled first, then overlay tokens."""
        return tuple(self._at(n) for n in range(len(self._bundled.docs) + len(self._added)))

    @functools.cached_property
    def _names(self) -> list[tuple[str, str]]:
        """Each token's name and underlying name, lower-cased, by position (for name search)."""
        names = [(d["name"].lower(), d["underlying"].get("name", "").lower()) for d in self._bundled.docs]
        return names + [(t.name.lower(), t.underlying.name.lower()) for t in self._added]

    @classmethod
    def load(cls, overlay: Path | None = None) -> Registry:
        """Load the bundled snapshot, the factory lists cached by a refresh and, if given, a user overlay file.

        Raises:
            BadInput: The overlay file is missing or malformed; the message says where.
        """
        from . import issuer_lists  # noqa: PLC0415 - it builds registry tokens, so it imports this module

        doc = json.loads(resource_path(*BUNDLED).read_bytes())
        issuers: dict[str, dict[str, Any]] = doc["issuers"]
        fields = {f.name for f in dataclasses.fields(Issuer)}
        known = [Issuer(key=k, **{f: v for f, v in doc.items() if f in fields}) for k, doc in issuers.items()]
        known += [i for i in issuer_lists.factory_issuers() if i.key not in issuers]
        # Factory lists last read live (the cache folder), then the user's overlay: after the bundled rows.
        names = {i.key: i.name for i in known}
        tokens = issuer_lists.factory_tokens(issuer_lists.cached_lists(), names)
        tokens += _load_overlay(overlay, issuers) if overlay is not None else []
        wallets = [SystemWallet(w["chain"], w["address"], w["label"], w["source"]) for w in doc["system_wallets"]]
        feeds = [
            ReserveFeed(f["token"], chain_by_key(f["chain"]), f["address"], int(f["cadence_hours"]), f["source"])
            for f in doc["reserve_feeds"]
        ]
        return cls(tokens, wallets, known, feeds, Bundled(doc["tokens"], issuers, doc["sources"]))

    def reserve_feed(self, symbol: str) -> ReserveFeed | None:
        """Return the proof-of-reserve feed the registry knows for a token symbol."""
        return next((f for f in self.reserve_feeds if f.token == symbol), None)

    def issuer(self, key: str) -> Issuer:
        """Return an issuer; an unknown key (overlay tokens) gives a bare record."""
        return self.issuers.get(key) or Issuer(key, f"{key} (not verified)")

    def symbols(self) -> list[str]:
        """Return every token symbol, for completers."""
        symbols = {d["symbol"] for d in self._bundled.docs} | {t.symbol for t in self._added}
        return sorted(symbols, key=str.lower)

    def by_address(self, address: str) -> list[tuple[Token, Deployment]]:
        """Return the registry rows holding this exact address (any chain), the issuer's word first.

        Where two lists name one address, the issuer's own list wins, then its withdrawal of it, then a
        third party's listing or the user's overlay (``official`` True, False, None).
        """
        rows = [(self._at(n), m) for n, m in self._by_address.get(_address_key(address), [])]
        found = [(token, token.deployments[m]) for token, m in rows]
        return sorted(found, key=lambda row: ISSUERS_WORD[row[0].official])

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
            found += [(self._at(n), "ISIN") for n in self._by_isin.get(text, [])]
        lower = text.lower()
        found += [(self._at(n), "token symbol") for n in self._by_symbol.get(lower, [])]
        found += [(self._at(n), "underlying ticker") for n in self._by_underlying.get(lower, [])]
        if len(lower) >= 3:
            found += [
                (self._at(n), "name") for n, names in enumerate(self._names) if lower in names[0] or lower in names[1]
            ]
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


class Bundled:
    """The bundled tokens as parsed JSON, each built into a ``Token`` the first time it is asked for.

    A row names its source by ``source_id`` in the ``sources`` table (text, repository, path, commit
    or date, as-of, who lists it), so thousands of rows do not repeat it.
    """

    def __init__(
        self, docs: list[dict[str, Any]], issuers: dict[str, dict[str, Any]], sources: dict[str, dict[str, Any]]
    ) -> None:
        self.docs = docs
        self._issuers = issuers
        self._sources = sources
        self._built: list[Token | None] = [None] * len(docs)

    def token(self, n: int) -> Token:
        """The n-th token; built once (a race between threads builds two equal tokens, and one is kept)."""
        token = self._built[n]
        if token is None:
            doc = self.docs[n]
            token = self._built[n] = _token(doc, self._issuers, _official(doc["deployments"]), self._sources)
        return token


def _keys(
    docs: list[dict[str, Any]], added: tuple[Token, ...]
) -> Iterator[tuple[str, str, tuple[Any, ...], list[str]]]:
    """What the indexes need of each token: symbol, underlying ticker, ISINs, addresses (JSON rows first)."""
    for d in docs:
        under = d["underlying"]
        yield d["symbol"], under["symbol"], (d.get("isin"), under.get("isin")), [r["address"] for r in d["deployments"]]
    for t in added:
        yield t.symbol, t.underlying.symbol, (t.isin, t.underlying.isin), [r.address for r in t.deployments]


def _address_key(address: str) -> str:
    """Lower-cased hex, base58 as it is (the same key as ``Deployment.key``)."""
    return address.lower() if address.startswith("0x") else address


def _token(
    doc: dict[str, Any],
    issuers: dict[str, dict[str, Any]],
    official: bool | None,
    sources: dict[str, dict[str, Any]] | None = None,
) -> Token:
    issuer = issuers.get(doc["issuer"], {"name": f"{doc['issuer']} (not verified)"})
    u = doc["underlying"]
    return Token(
        symbol=doc["symbol"],
        name=doc["name"],
        issuer_key=doc["issuer"],
        issuer_name=issuer["name"],
        isin=doc.get("isin"),
        underlying=Underlying(u["symbol"], u.get("name", u["symbol"]), u.get("isin")),
        deployments=tuple(_deployment(d, sources) for d in doc["deployments"]),
        official=official,
        issuer_api=doc.get("issuer_api"),
    )


def _deployment(row: dict[str, Any], sources: dict[str, dict[str, Any]] | None) -> Deployment:
    """A bundled row (its source in the registry's ``sources`` table) or an overlay row (its source in the row)."""
    source = row if sources is None else sources[row["source_id"]]
    decimals = row["decimals"]
    return Deployment(
        _chain(row["chain"]),
        row["address"],
        None if decimals is None else int(decimals),
        source["source"],
        source["as_of"],
        row.get("basis", USER),
        source.get("listed_by") or source["source"],
    )


_chain = functools.cache(chain_by_key)  # thousands of rows name a dozen chains


def _official(rows: list[dict[str, Any]]) -> bool | None:
    """True only when every row is on the issuer's own list; False when every row was withdrawn from it."""
    bases = {row["basis"] for row in rows}
    return _OFFICIAL.get(bases.pop()) if len(bases) == 1 else None


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
