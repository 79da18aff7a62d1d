"""The shipped demo scenarios (resources/demo): offline, schema-valid, each showing its red flag, no drift.

Each demo is opened by ``backcheck demo NAME --json`` with every network connection refused.
The drift test regenerates every scenario with tools/make_demos.py from the test chain and
compares the facts and findings with the committed files.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from backcheck.core import cli, snapshot
from backcheck.core.adapters import explorers
from backcheck.core.convert import convert, units_from_facts
from backcheck.core.http import Http
from backcheck.core.market import session
from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path
from tests.helpers.evm import ACCOUNTS
from tools.demo_scenarios import SCENARIOS, Scenario, blockscout

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())
REGENERATE = ".venv/bin/python tools/make_demos.py"
# A loopback server's port changes with every run; what it served does not.
PORT = re.compile(r"127\.0\.0\.1:\d+")
TIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)")
# Times taken from this computer's clock (fetches, the issuer's proof dated "6 h ago") are
# compared as offsets from each snapshot's own as_of; a regeneration's setup takes seconds.
WALL_CLOCK_SLACK = timedelta(minutes=5)
FACT_FIELDS = ("value", "unit", "method", "block", "source", "error", "fetched_at")
# Judged only while the US market is in its regular session (n/a otherwise), and the session is
# this computer's clock at the inspection: a regeneration in another session changes the status.
SESSION_BOUND = ("PM-2",)


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Switch the network off: any connect or name lookup fails, and is recorded for the test to check."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[1:] if args and isinstance(args[0], socket.socket) else args)[:120])
        raise OSError("network is switched off in this test")

    for owner, name in (
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
        (socket, "create_connection"),
        (socket, "getaddrinfo"),
    ):
        monkeypatch.setattr(owner, name, refuse)
    return attempts


def demo_json(name: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert cli.main(["demo", name, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_every_scenario_is_shipped(capsys):
    assert cli.main(["demo"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert sorted(listed) == sorted(s.name for s in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_demo_shows_its_red_flag_offline(scenario: Scenario, network_attempts, capsys):
    report = demo_json(scenario.name, capsys)
    jsonschema.validate(report, SCHEMA)
    assert report["kind"] == "demo"
    assert report["demo"] == {"name": scenario.name, "title": scenario.title, "teaches": scenario.teaches}
    assert report["snapshot"]["file"] == f"{scenario.name}{snapshot.SUFFIX}"
    assert scenario.problems(report) == []
    assert network_attempts == []


def test_split_demo_dates_the_change_and_converts_after_it(network_attempts, capsys):
    report = demo_json("split-tomorrow", capsys)
    facts = {key: fact["value"] for key, fact in report["facts"].items()}
    when = datetime.fromisoformat(facts["multiplier_pending_at"].replace("Z", "+00:00"))
    chain_time = datetime.fromisoformat(facts["chain_time"].replace("Z", "+00:00"))
    assert when - chain_time == timedelta(days=1)
    ca1 = next(f for f in report["findings"] if f["id"] == "CA-1")
    assert f"changes to 2.0042 on {when:%Y-%m-%d %H:%M} UTC" in ca1["explanation"]
    # The converter works from the saved facts alone: 100 tokens now, and after the change.
    opened, _ = snapshot.load_source("demo:split-tomorrow")
    units = units_from_facts(opened.inspection.facts)
    assert units is not None and units.pending == Decimal("2.0042") and units.pending_at == when
    result = convert(Decimal(100), "tokens", units)
    assert result.shares == Decimal("100.21")
    assert result.after is not None and result.after.shares == Decimal("200.42")
    assert network_attempts == []


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every scenario generated afresh from the test chain by the committed script."""
    out = tmp_path_factory.mktemp("demos")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_demos.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return out


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def same(old: Any, new: Any, old_as_of: datetime, new_as_of: datetime) -> bool:
    """Equal, except loopback ports, and times that may differ only as their snapshots' ``as_of`` do."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k], old_as_of, new_as_of) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b, old_as_of, new_as_of) for a, b in zip(old, new, strict=True))
    if not (isinstance(old, str) and isinstance(new, str)):
        return old == new
    old_parts = TIME.split(PORT.sub("127.0.0.1:PORT", old))
    new_parts = TIME.split(PORT.sub("127.0.0.1:PORT", new))
    if len(old_parts) != len(new_parts):
        return False
    for i, (a, b) in enumerate(zip(old_parts, new_parts, strict=True)):
        if a == b:
            continue
        # Odd parts are times: a chain's clock is fixed, so its times are equal; this computer's are relative.
        if i % 2 == 0 or abs((_time(a) - old_as_of) - (_time(b) - new_as_of)) > WALL_CLOCK_SLACK:
            return False
    return True


def judged(path: Path) -> dict[str, Any]:
    """The snapshot's report, judged as of its own time (so freshness is compared like for like)."""
    opened = snapshot.read(path)
    return snapshot.open_report(opened, Registry.load(), now=opened.inspection.generated_at).document


def _regular(report: dict[str, Any]) -> bool:
    return report["facts"].get("market_session", {}).get("value") == "regular"


def drift(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Every fact field and finding status that differs between two reports of one scenario."""
    old_as_of, new_as_of = _time(old["as_of"]), _time(new["as_of"])
    found = [f"token: {old['token']} -> {new['token']}"] if old["token"] != new["token"] else []
    for key in sorted(old["facts"].keys() | new["facts"].keys()):
        if key not in old["facts"] or key not in new["facts"]:
            found.append(f"fact {key}: {'added' if key in new['facts'] else 'gone'}")
            continue
        a, b = old["facts"][key], new["facts"][key]
        if key == "market_session":  # the NYSE session at this computer's time of the inspection
            a = {**a, "value": a["value"] == session(_time(a["fetched_at"]))}
            b = {**b, "value": b["value"] == session(_time(b["fetched_at"]))}
        found += [
            f"fact {key}.{field}: {str(a.get(field))[:200]!r} -> {str(b.get(field))[:200]!r}"
            for field in FACT_FIELDS
            if not same(a.get(field), b.get(field), old_as_of, new_as_of)
        ]
    old_status = {f["id"]: f["status"] for f in old["findings"]}
    new_status = {f["id"]: f["status"] for f in new["findings"]}
    if _regular(old) != _regular(new):
        # Across sessions the run outside regular hours must say n/a; the other has nothing to match.
        closed = new_status if _regular(old) else old_status
        wrong = [rule for rule in SESSION_BOUND if closed.get(rule, "n/a") != "n/a"]
        found += [f"finding {rule}: {closed[rule]} outside regular hours, not n/a" for rule in wrong]
        for rule in SESSION_BOUND:
            old_status.pop(rule, None)
            new_status.pop(rule, None)
    found += [
        f"finding {rule}: {old_status.get(rule, 'absent')} -> {new_status.get(rule, 'absent')}"
        for rule in dict.fromkeys([*old_status, *new_status])
        if old_status.get(rule) != new_status.get(rule)
    ]
    if found == [] and list(old_status) != list(new_status):
        found.append(f"findings reordered: {list(old_status)} -> {list(new_status)}")
    return found


@pytest.mark.chain
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_committed_demo_matches_a_fresh_run(scenario: Scenario, regenerated: Path):
    file = f"{scenario.name}{snapshot.SUFFIX}"
    changes = drift(judged(resource_path("demo", file)), judged(regenerated / file))
    assert not changes, (
        f"demo {scenario.name!r} drifted from the test chain:\n  "
        + "\n  ".join(changes)
        + f"\nIf the change is intended, regenerate it with: {REGENERATE} {scenario.name} (then review and commit)."
    )


def test_drift_names_the_fact_and_the_finding():
    """The comparison itself: ports and wall-clock times pass, a changed figure or status does not."""
    as_of = "2026-11-30T03:00:00.000Z"
    fact = {"value": "10021", "unit": "tokens", "method": "eth_call at block 65", "block": 65, "source": "x"}
    old = {
        "as_of": as_of,
        "token": {"symbol": "AAPLx"},
        "facts": {
            "total_supply": {**fact, "source": "EVM RPC ethereum (http://127.0.0.1:4001)"},
            "reserves_updated_at": {**fact, "value": "2026-11-29T21:00:00Z", "fetched_at": as_of},
        },
        "findings": [{"id": "RS-2", "status": "pass"}],
    }
    later = "2027-03-01T10:00:00.000Z"
    new = {
        **old,
        "as_of": later,
        "facts": {
            "total_supply": {**fact, "source": "EVM RPC ethereum (http://127.0.0.1:5002)"},
            "reserves_updated_at": {**fact, "value": "2027-03-01T04:00:30Z", "fetched_at": later},
        },
    }
    assert drift(old, new) == []
    new["facts"]["total_supply"] = {**fact, "value": "10022"}
    new["findings"] = [{"id": "RS-2", "status": "critical"}]
    changes = drift(old, new)
    assert any(c.startswith("fact total_supply.value: '10021' -> '10022'") for c in changes), changes
    assert "finding RS-2: pass -> critical" in changes, changes


def test_drift_compares_a_session_bound_finding_only_within_one_session():
    """PM-2 passes in regular hours and does not apply outside them: that is the clock, not drift."""
    as_of = "2026-11-30T03:00:00.000Z"

    def report(session: str, pm2: str) -> dict[str, Any]:
        fact = {"value": session, "unit": "NYSE session", "method": "session(now)", "source": "calendar"}
        findings = [{"id": "PM-1", "status": "pass"}, {"id": "PM-2", "status": pm2}]
        return {
            "as_of": as_of,
            "token": {},
            "facts": {"market_session": {**fact, "fetched_at": as_of}},
            "findings": findings,
        }

    def changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
        return [c for c in drift(old, new) if not c.startswith("fact market_session")]

    assert changes(report("regular", "pass"), report("closed (weekend)", "n/a")) == []
    assert changes(report("pre-market", "n/a"), report("regular", "pass")) == []
    assert changes(report("regular", "pass"), report("regular", "caution")) == ["finding PM-2: pass -> caution"]
    assert changes(report("regular", "pass"), report("after-hours", "unknown")) == [
        "finding PM-2: unknown outside regular hours, not n/a"
    ]


@pytest.mark.chain
def test_the_labs_blockscout_verifies_only_this_projects_contracts(chain):
    """The demos' explorer answers like Blockscout v2: verified where the chain's code is this project's source."""
    explorer = blockscout(chain.anvil)
    token, implementation = chain.addresses["aaplx"], chain.addresses["aaplx_implementation"]

    async def verified() -> tuple[bool, str]:
        http = Http(timeout=5, retries=0)
        try:
            return await explorers.source_verified(http, explorer.url, [token, implementation])
        finally:
            await http.aclose()

    try:
        assert asyncio.run(verified())[0] is True
        proxy = httpx.get(f"{explorer.url}/api/v2/smart-contracts/{token}").json()
        assert (proxy["name"], proxy["proxy_type"]) == ("TransparentProxy", "eip1967")
        assert [i["name"] for i in proxy["implementations"]] == ["BackedAutoFeeToken"]
        assert httpx.get(f"{explorer.url}/api/v2/smart-contracts/{ACCOUNTS[9]}").status_code == 404  # no code
        chain.anvil.rpc("anvil_setCode", ACCOUNTS[9], "0x60006000f3")  # code from no source it knows
        unverified = httpx.get(f"{explorer.url}/api/v2/smart-contracts/{ACCOUNTS[9]}")
        assert unverified.status_code == 200 and "is_verified" not in unverified.json()
    finally:
        explorer.close()
