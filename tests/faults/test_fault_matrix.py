"""The fault matrix: every source × every way it breaks, through the real command line.

Each cell puts one fault on one source's fault server (every other source healthy), runs
``backcheck inspect … --json`` in-process and checks: exit code 0 (the other sources answer),
a bounded time, no traceback, the source failed with a reason in ``sources``, every fact it feeds
unknown with a reason (for a lie: refused, flagged, or at least never the ground of a pass), and
no ``pass`` on a fact it fed. Outcomes go to ``docs/reliability.md`` (see conftest).
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import pytest

from backcheck.core.cli import main
from tests.conftest import CLOSED_PORT_URL
from tests.faults.catalogue import Lie
from tests.faults.sources import BY_NAME, DEADLINES, DERIVED, DERIVED_EVERYWHERE, Source, cells, fault_of
from tests.helpers.fault_server import Fault, FaultServer

CELLS = cells()
# Generous: the inspection's own deadline, one more request's, and time to judge and print.
BOUND = float(DEADLINES["deadline.inspection_seconds"]) + float(DEADLINES["deadline.request_seconds"]) + 6
# DQ-3 judges when facts were fetched (Backcheck's own clock), never what a source said: its evidence is
# the oldest fetched fact, which may be the lying source's as the reads happen to finish.
AGE_ONLY = frozenset({"DQ-3"})


def tainted(keys: set[str], facts: dict[str, Any], kind: str) -> set[str]:
    """The facts plus every fact derived from one of them (the premium from the price it used)."""
    derived = DERIVED[kind] | DERIVED_EVERYWHERE
    market = facts.get("price") or {}
    derived["premium"] = {"price" if market.get("value") is not None else "price_issuer", "reference_price"}
    out = set(keys)
    while more := {key for key, inputs in derived.items() if inputs & out} - out:
        out |= more
    return out


def problems_of(source: Source, lie: Lie | None, code: int, elapsed: float, out: str, err: str) -> list[str]:
    """What a cell's run did wrong (empty: safe)."""
    problems = []
    if "Traceback" in out or "Traceback" in err:
        problems.append("a traceback was printed")
    if code != 0:
        problems.append(f"exit code {code}")
    if elapsed > BOUND:
        problems.append(f"took more than {BOUND:g} s")
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        return [*problems, "no JSON report"]
    facts: dict[str, Any] = report["facts"]
    if lie is None:
        keys = set(source.feeds)
        missing = sorted(keys - set(facts))
        measured = sorted(k for k in keys & set(facts) if facts[k]["value"] is not None)
        reasonless = sorted(k for k in keys & set(facts) if facts[k]["value"] is None and not facts[k].get("error"))
        problems += [
            f"{label}: {', '.join(found)}"
            for label, found in (
                ("facts vanished", missing),
                ("facts shown as measured", measured),
                ("unknown without a reason", reasonless),
            )
            if found
        ]
        states = [s for s in report["sources"] if s["name"].startswith(source.state)]
        if not any(s["state"] == "failed" and s["error"] for s in states):
            problems.append("the source is not marked failed with a reason")
    else:
        keys = set(lie.touches) & set(facts)
    chain_kind = "solana" if report["token"]["chain"] == "solana" else "evm"
    suspect = tainted(keys, facts, chain_kind)
    passes = sorted(
        f["id"]
        for f in report["findings"]
        if f["status"] == "pass" and set(f["evidence"]) & suspect and f["id"] not in AGE_ONLY
    )
    if passes:
        problems.append(f"pass on its facts: {', '.join(passes)}")
    return problems


def outcome(problems: list[str], lie: Lie | None, out: str) -> str:
    """The cell as docs/reliability.md shows it."""
    if problems:
        return "UNSAFE: " + "; ".join(problems)
    if lie is None:
        return "safe"
    facts = json.loads(out)["facts"]
    flagged = all(facts[k]["value"] is None for k in lie.touches if k in facts)
    return "safe (unknown)" if flagged else "safe (no pass on it)"


@pytest.mark.chain
@pytest.mark.parametrize(("name", "column"), CELLS, ids=[f"{n}|{c}" for n, c in CELLS])
def test_a_broken_source_is_never_trusted(
    name: str,
    column: str,
    endpoints: dict[str, FaultServer],
    config_dir: Path,
    outcomes: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = BY_NAME[name]
    fault = fault_of(name, column)
    lie = fault if isinstance(fault, Lie) else None
    if fault is None:  # refused: nothing listens there
        settings = config_dir / "settings.json"
        settings.write_text(json.dumps(json.loads(settings.read_text()) | {source.setting: CLOSED_PORT_URL}))
    else:
        endpoints[source.setting].set(lie.make() if lie is not None else fault)
    started = time.monotonic()
    code = main([*source.args, "--json"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    problems = problems_of(source, lie, code, elapsed, out, err)
    outcomes[(name, column)] = outcome(problems, lie, out)
    assert not problems, f"{name} × {column} ({elapsed:.1f} s): {problems}\nstderr: {err[-2000:]}"


# A fact each source feeds when healthy: the matrix means something only if the source is really read.
HEALTHY = {
    "EVM RPC": "total_supply",
    "Solana RPC": "total_supply",
    "xStocks API": "reserves_shares",
    "Jupiter": "underlying_price",
    "Blockscout": "holders_count",
    "Ethplorer": "holders_count",
    "reserve feed": "reserves_feed_answer",
}


@pytest.mark.chain
@pytest.mark.parametrize("name", sorted(HEALTHY))
def test_every_source_is_read_when_healthy(
    name: str, endpoints: dict[str, FaultServer], capsys: pytest.CaptureFixture[str]
) -> None:
    source = BY_NAME[name]
    assert main([*source.args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["state"] for s in report["sources"] if s["name"].startswith(source.state)] == ["ok"]
    assert report["facts"][HEALTHY[name]]["value"] is not None
    assert endpoints[source.setting].requests, f"{name} was not read through its fault server"


# A fault on one JSON-RPC method only: the first rounds answer, a later one breaks.
LATER_ROUNDS = [
    ("EVM RPC", "eth_call", "wrong types"),  # the token's reads, after a good chain-id check
    ("EVM RPC", "eth_call", "JSON-RPC error"),
    ("EVM RPC", "eth_getLogs", "timeout"),  # the holder scan, after a good token read
    ("EVM RPC", "eth_getLogs", "truncated"),
    ("Solana RPC", "getMultipleAccounts", "wrong types"),  # owners and authorities, after the mint
    ("Solana RPC", "getMultipleAccounts", "cut mid-answer"),
    ("reserve feed", "eth_call", "wrong types"),
]


@pytest.mark.chain
@pytest.mark.parametrize(("name", "method", "column"), LATER_ROUNDS, ids=["|".join(c) for c in LATER_ROUNDS])
def test_a_fault_in_a_later_round_is_never_trusted(
    name: str, method: str, column: str, endpoints: dict[str, FaultServer], capsys: pytest.CaptureFixture[str]
) -> None:
    source = BY_NAME[name]
    fault = fault_of(name, column)
    assert isinstance(fault, Fault)
    endpoints[source.setting].set(dataclasses.replace(fault, methods=frozenset({method})))
    started = time.monotonic()
    code = main([*source.args, "--json"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 0 and elapsed <= BOUND and "Traceback" not in out + err, (code, elapsed, err[-2000:])
    facts = json.loads(out)["facts"]
    unknown = {k for k, f in facts.items() if f["value"] is None}
    assert unknown & source.feeds, "the fault reached nothing"
    assert all(facts[k].get("error") for k in unknown), "an unknown fact without a reason"
    findings = json.loads(out)["findings"]
    assert not [f["id"] for f in findings if f["status"] == "pass" and set(f["evidence"]) & unknown]
