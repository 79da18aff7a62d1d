"""The issuers' recorded keys (ID-6): who held each power of their tokens, as of when, per a source.

``resources/registry/authorities.json`` is built by ``tools/build_authorities.py`` from
``tools/registry_sources/registries/authorities.csv``. Keys rotate, so each recorded key keeps its
as-of date; a key only an unattributed source names is a conflict to mention, never a recorded key.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from typing import Any

from .facts import nobody
from .resources import resource_path

NOBODY = "none"


@dataclasses.dataclass(frozen=True, slots=True)
class Recorded:
    """One key a source recorded for one power.

    Attributes:
        address: The key, or ``"none"`` when the source says nobody holds the power.
        as_of: The source's date (``YYYY-MM-DD``), or its slot or commit when it gives no date.
        basis: ``issuer`` (the issuer's own code or list) or ``third-party`` (someone's on-chain read).
        method: How the source knows (``observed-onchain``, ``declared-in-issuer-code`` …).
        source: Repository, path and commit or date.
        chain_id: The EVM chain it applies to; ``None`` for every chain of its kind.
        exceptions: Token symbols for which the issuer records another key (symbol → key).
    """

    address: str
    as_of: str
    basis: str
    method: str
    source: str
    chain_id: int | None = None
    exceptions: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def key_for(self, symbol: str | None) -> str:
        """The key this record gives for a token symbol."""
        return self.exceptions.get(symbol or "", self.address)

    @property
    def when(self) -> str:
        """``on 2026-09-12``, ``at slot 449660471`` or ``in commit … (undated)``, for a sentence."""
        if self.as_of[:1].isdigit():
            return f"on {self.as_of}"
        return f"at {self.as_of}" if self.as_of.startswith("slot") else f"in {self.as_of}"


@dataclasses.dataclass(frozen=True, slots=True)
class Conflict:
    """A key only an unattributed source names: mentioned when seen, never trusted."""

    issuer: str
    kind: str
    facts: tuple[str, ...]
    address: str
    source: str
    note: str


@dataclasses.dataclass(frozen=True, slots=True)
class IssuerKeys:
    """An issuer's recorded keys on one chain kind (and chain, for EVM), fact name → records.

    ``not_found`` says why a source has none (the issuer's role model is known, its holders are not).
    """

    issuer: str
    kind: str
    roles: Mapping[str, tuple[Recorded, ...]]
    not_found: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Comparison:
    """Observed powers against recorded keys.

    Attributes:
        matched: (fact, observed value, its records) where every observed holder is recorded.
        differ: (fact, observed value, its records) where a holder is not recorded.
        unread: Facts with records whose observed value was not read.
        unrecorded: Powers someone holds on this token that the issuer has no record for (not compared).
    """

    matched: tuple[tuple[str, str, tuple[Recorded, ...]], ...]
    differ: tuple[tuple[str, str, tuple[Recorded, ...]], ...]
    unread: tuple[str, ...]
    unrecorded: tuple[str, ...] = ()

    @property
    def identifies(self) -> bool:
        """Every held power recorded, read and matched, one by an address (``none`` identifies nobody)."""
        return (
            not self.differ
            and not self.unread
            and not self.unrecorded
            and any(value != NOBODY for _, value, _ in self.matched)
        )


class Authorities:
    """Every issuer's recorded keys, and the conflicting keys of unattributed sources."""

    def __init__(self, keys: Mapping[tuple[str, str], IssuerKeys], conflicts: tuple[Conflict, ...] = ()) -> None:
        self._keys = dict(keys)
        self.conflicts = conflicts

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Authorities:
        """Build from the resource's JSON."""
        keys = {}
        for issuer, kinds in doc["issuers"].items():
            for kind, slot in kinds.items():
                roles = {
                    fact: tuple(
                        Recorded(
                            e["address"], e["as_of"], e["basis"], e["method"], e["source"], e["chain_id"], e["except"]
                        )
                        for e in entries
                    )
                    for fact, entries in slot["roles"].items()
                }
                keys[(issuer, kind)] = IssuerKeys(issuer, kind, roles, slot["not_found"])
        conflicts = tuple(
            Conflict(c["issuer"], c["kind"], tuple(c["facts"]), c["address"], c["source"], c["note"])
            for c in doc["conflicts"]
        )
        return cls(keys, conflicts)

    @staticmethod
    @functools.cache
    def load() -> Authorities:
        """The bundled resource, read once on first use."""
        return Authorities.from_doc(json.loads(resource_path("registry", "authorities.json").read_bytes()))

    def keys(self, issuer: str, kind: str, chain_id: int | None = None) -> IssuerKeys | None:
        """The issuer's records for one chain kind, those of another EVM chain left out; ``None`` if it has none."""
        found = self._keys.get((issuer, kind))
        if found is None:
            return None
        roles = {
            fact: kept
            for fact, records in found.roles.items()
            if (kept := tuple(r for r in records if r.chain_id is None or r.chain_id == chain_id))
        }
        return dataclasses.replace(found, roles=roles)

    def issuers(self, kind: str) -> list[str]:
        """Issuers with records on a chain kind."""
        return [issuer for (issuer, k), keys in self._keys.items() if k == kind and keys.roles]

    def conflict(self, issuer: str, fact: str, address: str) -> Conflict | None:
        """An unattributed record of this very key for this power, if one exists."""
        return next(
            (c for c in self.conflicts if c.issuer == issuer and fact in c.facts and c.address == address), None
        )


def holders(value: object) -> frozenset[str]:
    """The holders an observed power names: ``none`` for nobody, else each address of ``"a, b"``."""
    if nobody(value):
        return frozenset({NOBODY})
    return frozenset(part.strip() for part in str(value).split(","))


def _key(address: str, kind: str) -> str:
    return address.lower() if kind == "evm" else address


def compare(keys: IssuerKeys, observed: Mapping[str, object], symbol: str | None) -> Comparison:
    """Each recorded power against the observed one (``None`` = not read)."""
    matched: list[tuple[str, str, tuple[Recorded, ...]]] = []
    differ: list[tuple[str, str, tuple[Recorded, ...]]] = []
    unread: list[str] = []
    for fact, records in keys.roles.items():
        value = observed.get(fact)
        if value is None:
            unread.append(fact)
            continue
        recorded = {_key(r.key_for(symbol), keys.kind) for r in records}
        seen = {_key(h, keys.kind) for h in holders(value)}
        row = (fact, NOBODY if seen == {NOBODY} else str(value), records)
        (matched if seen <= recorded else differ).append(row)
    unrecorded = tuple(
        fact for fact, value in observed.items() if fact not in keys.roles and value is not None and not nobody(value)
    )
    return Comparison(tuple(matched), tuple(differ), tuple(unread), unrecorded)
