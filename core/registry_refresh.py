"""Refresh the registry from the issuer's live API and diff it against the bundled snapshot.

The same live list confirms, or does not, the third parties' rows of that issuer (docs/issuer-lists.md).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .adapters.xstocks import XStocksApi
from .addresses import same_address
from .chains import CHAINS
from .facts import iso, utc_now
from .registry import THIRD_PARTY, Registry

_BY_NETWORK = {c.api_network: c for c in CHAINS if c.api_network}


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One (symbol, chain, address) of a registry."""

    symbol: str
    chain: str
    address: str


@dataclasses.dataclass(frozen=True, slots=True)
class RegistryDiff:
    """What the issuer lists now versus the bundled snapshot.

    Attributes:
        new: Deployments the issuer lists that the snapshot lacks.
        removed: Snapshot deployments the issuer no longer lists.
        changed: Same symbol and chain, different address: (snapshot row, live row).
        other_networks: Networks the API names that Backcheck does not read (e.g. Tron).
        source: The API that was read, and when.
        confirmed: Third parties' rows of this issuer whose address the live list holds on that chain.
        not_listed: Third parties' rows whose address the live list does not hold on that chain.
    """

    new: list[Row]
    removed: list[Row]
    changed: list[tuple[Row, Row]]
    other_networks: list[str]
    source: str
    confirmed: list[Row] = dataclasses.field(default_factory=list)
    not_listed: list[Row] = dataclasses.field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether the snapshot matches the issuer's list."""
        return not (self.new or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        """Serialize for the CLI's ``--json``."""

        def row(r: Row) -> dict[str, str]:
            return dataclasses.asdict(r)

        return {
            "source": self.source,
            "clean": self.clean,
            "new": [row(r) for r in self.new],
            "removed": [row(r) for r in self.removed],
            "changed": [{"snapshot": row(a), "live": row(b)} for a, b in self.changed],
            "other_networks": self.other_networks,
            "third_party": {
                "confirmed_by_issuer_live_list": [row(r) for r in self.confirmed],
                "not_in_issuer_list": [row(r) for r in self.not_listed],
            },
        }


def diff_assets(registry: Registry, nodes: list[dict[str, Any]], source: str) -> RegistryDiff:
    """Compare the API's asset nodes with the bundled rows of the same issuer."""
    live: dict[tuple[str, str], Row] = {}
    other: set[str] = set()
    for node in nodes:
        for dep in node.get("deployments") or []:
            chain = _BY_NETWORK.get(dep.get("network", ""))
            if chain is None:
                other.add(str(dep.get("network")))
                continue
            live[(node["symbol"], chain.key)] = Row(node["symbol"], chain.key, str(dep.get("address", "")))
    bundled = {
        (t.symbol, d.chain.key): Row(t.symbol, d.chain.key, d.address)
        for t in registry.tokens
        if t.issuer_key == "backed" and t.official and t.symbol.endswith("x")
        for d in t.deployments
    }
    held = {(r.chain, _key(r.address)) for r in live.values()}
    third = sorted(
        (
            Row(t.symbol, d.chain.key, d.address)
            for t in registry.tokens
            if t.issuer_api == "xstocks"
            for d in t.deployments
            if d.basis == THIRD_PARTY
        ),
        key=dataclasses.astuple,
    )
    listed = {(r.chain, _key(r.address)) for r in third}

    return RegistryDiff(
        # A row a third party lists and the issuer now confirms is told once, as confirmed.
        new=sorted(
            (r for k, r in live.items() if k not in bundled and (r.chain, _key(r.address)) not in listed),
            key=dataclasses.astuple,
        ),
        removed=sorted((r for k, r in bundled.items() if k not in live), key=dataclasses.astuple),
        changed=sorted(
            (
                (bundled[k], r)
                for k, r in live.items()
                if k in bundled and not same_address(bundled[k].address, r.address)
            ),
            key=lambda p: dataclasses.astuple(p[0]),
        ),
        other_networks=sorted(other),
        source=source,
        confirmed=[r for r in third if (r.chain, _key(r.address)) in held],
        not_listed=[r for r in third if (r.chain, _key(r.address)) not in held],
    )


def _key(address: str) -> str:
    """Hex ignores case, base58 does not."""
    return address.lower() if address.startswith("0x") else address


async def refresh(api: XStocksApi, registry: Registry) -> RegistryDiff:
    """Read every asset from the issuer API (paged) and diff against the snapshot."""
    nodes = await api.assets()
    return diff_assets(registry, nodes, f"{api.source}/public/assets, fetched {iso(utc_now())}")
