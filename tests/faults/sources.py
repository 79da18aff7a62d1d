"""The fault matrix's rows: each source, the smallest inspection that reads it, and the facts it feeds."""

from __future__ import annotations

import dataclasses

from backcheck.core import coverage, evm_holders
from backcheck.core.adapters import explorers, jupiter, reserve_feed, solana, xstocks
from backcheck.core.lookup import chain_feeds
from tests.faults.catalogue import COLUMNS, COMMON, NOT_APPLICABLE, OWN, Lie
from tests.helpers.fault_server import Fault

# Short limits: a cut-off source costs seconds. Http keeps its own timeout and retries.
DEADLINES = {"deadline.request_seconds": "2", "deadline.inspection_seconds": "6"}
EVM_ARGS = ("inspect", "AAPLx", "--chain", "ethereum")
SOLANA_ARGS = ("inspect", "NVDAx", "--chain", "solana")


@dataclasses.dataclass(frozen=True)
class Source:
    """One source of the matrix.

    Attributes:
        name: The row's name.
        setting: The endpoint setting its fault server stands in for.
        args: The smallest inspection that reads it (the CLI adds ``--json``).
        state: How its entry in the report's ``sources`` begins.
        feeds: Every fact it feeds (the adapters' ``FEEDS``): unknown when it fails.
    """

    name: str
    setting: str
    args: tuple[str, ...]
    state: str
    feeds: frozenset[str]


SOURCES = (
    Source(
        "EVM RPC",
        "rpc.ethereum",
        (*EVM_ARGS, "--holders", "logs"),
        "EVM RPC ethereum",
        frozenset(chain_feeds("evm")),
    ),
    Source("Solana RPC", "rpc.solana", SOLANA_ARGS, "Solana RPC", frozenset(solana.FEEDS)),
    Source("xStocks API", "api.xstocks", SOLANA_ARGS, "xStocks API", frozenset(xstocks.FEEDS)),
    Source("Jupiter", "api.jupiter", SOLANA_ARGS, "Jupiter price API", frozenset(jupiter.FEEDS)),
    Source(
        "Blockscout",
        "explorer.blockscout.ethereum",
        (*EVM_ARGS, "--holders", "blockscout"),
        "holders via blockscout",
        frozenset(evm_holders.FEEDS) | frozenset(explorers.FEEDS),
    ),
    Source(
        "Ethplorer",
        "api.ethplorer",
        (*EVM_ARGS, "--holders", "ethplorer"),
        "holders via ethplorer",
        frozenset(evm_holders.FEEDS),
    ),
    Source(
        "reserve feed",
        "rpc.polygon",
        ("inspect", "bIB01", "--chain", "ethereum", "--holders", "logs"),
        "EVM RPC polygon",
        frozenset(reserve_feed.FEEDS),
    ),
)
BY_NAME = {s.name: s for s in SOURCES}
# Facts computed from others, by chain kind: a derived fact is as broken as any of its inputs.
DERIVED = {
    "evm": {
        "reference_price": {"underlying_price"},
        "reserves_feed_coverage": {"reserves_feed_answer", "float"},
    },
    "solana": {"reference_price": {"underlying_price", "multiplier"}},
}
DERIVED_EVERYWHERE = {
    "premium": {"price", "price_issuer", "reference_price"},
    **{key: {"float", "total_supply", "decimals"} for key in coverage.FEEDS},
    "reserves_coverage_measured": {"reserves_shares", *coverage.FEEDS},
    "reserves_coverage_gap": {"reserves_coverage_measured", "reserves_coverage"},
}


def fault_of(source: str, column: str) -> Fault | Lie | None:
    """The fault of one cell (``None`` for a closed port); KeyError for a cell that cannot happen."""
    if column in COMMON:
        return COMMON[column]
    found = OWN[source][column]
    if found is None:
        raise KeyError(column)
    return found


def cells() -> list[tuple[str, str]]:
    """Every (source, column) that can happen, in table order."""
    out = []
    for source in SOURCES:
        for column in COLUMNS:
            try:
                fault_of(source.name, column)
            except KeyError:
                continue
            out.append((source.name, column))
    return out


def not_applicable(source: str, column: str) -> str | None:
    """Why a cell cannot happen, or ``None`` when it is in the matrix."""
    if column in COMMON or OWN[source][column] is not None:
        return None
    return NOT_APPLICABLE[column]
