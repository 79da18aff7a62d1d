"""Compare every official token of one underlying, across issuers and chains, side by side (F15).

Each column is a full inspection judged like any report; each row is one thing a holder compares
(official, float, reserves, powers, redemption, premium, worst finding), and the worst cell of a row
is marked from the status of the findings behind it, so it stands out in every view.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from .answers import WORDS, answers, standing
from .chains import Chain
from .errors import BadInput
from .http import Http
from .lookup import Target, inspect
from .registry import Registry
from .report import Report, make_report
from .rules import RuleConfig
from .rules.engine import SEVERITY
from .settings import Settings, shown

MAX_COLUMNS = 16  # one underlying has at most a dozen official deployments today


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    """One value of the comparison and the status that judges it."""

    text: str
    status: str


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One compared aspect across every column; ``worst`` is the column index to mark, if any."""

    label: str
    cells: tuple[Cell, ...]
    worst: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class Comparison:
    """Tokens of one underlying side by side."""

    underlying: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    reports: tuple[Report, ...]

    def to_json(self) -> dict[str, Any]:
        """Serialize for ``backcheck compare --json``."""
        return {
            "schema": "backcheck.compare/1",
            "underlying": self.underlying,
            "columns": list(self.columns),
            "rows": [
                {"label": r.label, "cells": [dataclasses.asdict(c) for c in r.cells], "worst": r.worst}
                for r in self.rows
            ],
            "reports": [r.document for r in self.reports],
        }


def targets(registry: Registry, query: str, chain: Chain | None) -> list[Target]:
    """Every official deployment of the underlying the query names.

    Raises:
        BadInput: Nothing matches, or the query names several underlyings.
    """
    found = registry.search(query, chain)
    underlyings = sorted({c.token.underlying.symbol for c in found})
    if not underlyings:
        raise BadInput(f"No token matches {shown(query)}; try a ticker (AAPL), a token (AAPLx) or an ISIN.")
    if len(underlyings) > 1:
        raise BadInput(f"{query!r} matches several underlyings ({', '.join(underlyings[:8])}); name one ticker.")
    symbol = underlyings[0]
    rows = [
        (t, d)
        for t in registry.tokens
        if t.underlying.symbol == symbol and t.official
        for d in t.deployments
        if chain is None or d.chain == chain
    ]
    if not rows:
        raise BadInput(f"No official token of {symbol} is listed{f' on {chain.name}' if chain else ''}.")
    if len(rows) > MAX_COLUMNS:
        raise BadInput(f"{symbol} has {len(rows)} official deployments; name a chain with --chain to compare fewer.")
    return [Target(query, d.chain, d.address, t, d) for t, d in rows]


async def compare(
    query: str, chain: Chain | None, settings: Settings, http: Http, registry: Registry, config: RuleConfig
) -> Comparison:
    """Inspect every official token of the underlying concurrently and lay them side by side."""
    wanted = targets(registry, query, chain)
    inspections = await asyncio.gather(*(inspect(t, settings, http, registry) for t in wanted))
    reports = tuple(make_report(i, registry, config) for i in inspections)
    columns = tuple(f"{t.token.symbol if t.token else t.address} · {t.chain.name}" for t in wanted)
    return Comparison(wanted[0].token.underlying.symbol if wanted[0].token else query, columns, _rows(reports), reports)


def _status(document: dict[str, Any], *rule_ids: str) -> str:
    found = [f["status"] for f in document["findings"] if f["id"] in rule_ids and f["status"] != "n/a"]
    return max(found, key=lambda s: SEVERITY[s], default="n/a")


def _value(document: dict[str, Any], key: str) -> str | None:
    fact = document["facts"].get(key)
    return None if not fact or fact.get("value") is None else str(fact["value"])


def _cells(document: dict[str, Any]) -> list[Cell]:
    by_key = {a.key: a for a in answers(document)}
    official = standing(document["token"])[0]
    float_ = _value(document, "float")
    premium = _value(document, "premium")
    worst = document["verdict"]["worst"]
    everything = [f["id"] for f in document["findings"]]
    return [
        Cell(official, _status(document, "ID-1")),
        Cell(f"{float_} tokens" if float_ else "unknown", _status(document, "HD-3") if float_ else "unknown"),
        Cell(by_key["backed"].shown_figure, by_key["backed"].status),
        Cell(f"{WORDS[by_key['control'].status]}: {by_key['control'].sentence}", by_key["control"].status),
        Cell(f"{WORDS[by_key['exit'].status]}: {by_key['exit'].sentence}", _status(document, *_RD)),
        Cell(premium or "unknown", _status(document, "PM-1")),
        Cell("; ".join(worst) if worst else "nothing above unknown", _status(document, *everything)),
    ]


_RD = ("RD-1", "RD-2", "RD-3", "RD-4", "RD-5", "RD-6", "RD-7", "RD-8")


LABELS = ("Official", "Float", "Reserves", "Issuer powers", "Redemption", "Premium", "Worst finding")


def _rows(reports: tuple[Report, ...]) -> tuple[Row, ...]:
    columns = [_cells(r.document) for r in reports]
    rows = []
    for n, label in enumerate(LABELS):
        cells = tuple(column[n] for column in columns)
        level = max(SEVERITY[c.status] for c in cells)
        worst = next(i for i, c in enumerate(cells) if SEVERITY[c.status] == level) if level >= 1 else None
        rows.append(Row(label, cells, worst if len(cells) > 1 else None))
    return tuple(rows)


def format_comparison(comparison: Comparison) -> str:
    """The comparison for a terminal: one block per row, the worst cell marked."""
    lines = [f"{comparison.underlying}: {len(comparison.columns)} official tokens side by side"]
    for row in comparison.rows:
        lines.append(f"{row.label}")
        for n, (column, cell) in enumerate(zip(comparison.columns, row.cells, strict=True)):
            mark = "  ◀ worst" if n == row.worst else ""
            lines.append(f"  {column:<28} {cell.text}{mark}")
    return "\n".join(lines) + "\n"
