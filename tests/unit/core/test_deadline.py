"""Deadlines: a request and a whole inspection are cut off on time, and say so."""

import asyncio
import json
import time

import pytest

from backcheck.core.cli import main
from backcheck.core.deadline import deadlines
from backcheck.core.errors import SourceError
from backcheck.core.http import Http
from backcheck.core.settings import DECLARED
from tests.helpers.drip_server import DripServer


@pytest.fixture
def drip():
    server = DripServer(size=1000, interval=0.05)
    yield server
    server.close()


async def fetch(request_s, inspection_s, url, *, nested=None):
    http = Http(timeout=30, retries=0)
    try:
        with deadlines(request_s, inspection_s):
            if nested is None:
                return await http.get_json(url)
            with deadlines(*nested) as inner:
                assert inner.inspection_seconds == inspection_s  # the outer inspection's limits hold
                return await http.get_json(url)
    finally:
        await http.aclose()


def test_the_request_deadline_cuts_a_drip_off(drip):
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"was cut off by the request deadline \(0\.3 s\) at 20\d\d-"):
        asyncio.run(fetch(0.3, 10, drip.url))
    assert time.monotonic() - started < 2  # the 1000 bytes would take 50 s


def test_the_inspection_deadline_comes_first_when_it_is_sooner(drip):
    with pytest.raises(SourceError, match=r"cut off by the inspection deadline \(0\.3 s\)"):
        asyncio.run(fetch(10, 0.3, drip.url, nested=(5, 60)))


def test_outside_an_inspection_the_http_deadline_holds(drip):
    async def go():
        http = Http(timeout=30, retries=0, deadline=0.3)
        try:
            return await http.get_json(drip.url)
        finally:
            await http.aclose()

    with pytest.raises(SourceError, match=r"request deadline \(0\.3 s\)"):
        asyncio.run(go())


@pytest.mark.parametrize(
    ("key", "low", "high"), [("deadline.request_seconds", 1, 600), ("deadline.inspection_seconds", 5, 3600)]
)
def test_deadline_settings_have_sane_bounds(key, low, high):
    from backcheck.core.errors import BadInput
    from backcheck.core.settings import validated

    assert validated(key, str(low)) == str(low) and validated(key, str(high)) == str(high)
    for bad in (str(low - 0.5), str(high + 1), "nan", "x"):
        with pytest.raises(BadInput):
            validated(key, bad)


def test_a_whole_inspection_against_drip_sources_ends_within_its_deadline(drip, config_dir, capsys):
    """Every endpoint (RPC, issuer API, Jupiter, explorers) drips: the report still comes, on time."""
    settings = {key: drip.url for key, setting in DECLARED.items() if setting.is_url}
    settings |= {"deadline.request_seconds": "2", "deadline.inspection_seconds": "5", "logs.confirmations": "0"}
    (config_dir / "settings.json").write_text(json.dumps(settings))
    started = time.monotonic()
    code = main(["inspect", "AAPLx", "--chain", "ethereum", "--json"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 3, err  # no source answered
    assert elapsed < 5 + 3, elapsed  # the inspection's own deadline, plus judging and printing
    report = json.loads(out)
    fetched = {k: f for k, f in report["facts"].items() if "://" in f["source"]}
    assert fetched and all(f["value"] is None for f in fetched.values())
    reasons = {f["error"] for f in fetched.values()}
    assert all("cut off by the" in r for r in reasons), reasons
    assert {s["state"] for s in report["sources"]} == {"failed"}
    assert drip.connections >= 2  # the chain and the issuer were both tried
