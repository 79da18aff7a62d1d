"""A third party's row is confirmed only by the issuer's live list naming this address on this chain, never otherwise."""

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backcheck.core import cli
from backcheck.core.adapters.xstocks import XStocksApi
from backcheck.core.chains import chain_by_key
from backcheck.core.facts import Fact
from backcheck.core.http import Http
from backcheck.core.issuer_lists import CONFIRMATION, LIVE_LIST, confirm_live
from backcheck.core.lookup import Inspection, Target, inspect, resolve
from backcheck.core.registry import THIRD_PARTY, Registry
from backcheck.core.registry_refresh import refresh
from backcheck.core.report import make_report
from backcheck.core.settings import Settings
from tests.conftest import CLOSED_PORT_URL
from tests.helpers.loopback_server import Reply
from tests.helpers.solana_rpc import nvdax_mint

REGISTRY = Registry.load()
SOLANA = chain_by_key("solana")
THIRD_PARTY_ROWS = [(t, d) for t in REGISTRY.tokens for d in t.deployments if d.basis == THIRD_PARTY]
XSTOCKS_ROWS = [(t, d) for t, d in THIRD_PARTY_ROWS if t.issuer_api == "xstocks"]
AAOIX, AAOIX_MINT = next((t, d) for t, d in XSTOCKS_ROWS if t.symbol == "AAOIx")
OTHER_MINT = next(d.address for t, d in XSTOCKS_ROWS if t.symbol != "AAOIx")
AT = datetime(2026, 11, 1, tzinfo=UTC)
URL = "http://127.0.0.1:1/api/v2/public/assets/AAOIx"


def api_fact(value, error=None):
    return Fact(value, "address", "xStocks API (test)", f"GET {URL}", None, AT, error=error)


def test_the_bundled_registry_has_third_party_rows_of_every_kind():
    assert len(XSTOCKS_ROWS) > 600 and len(THIRD_PARTY_ROWS) > len(XSTOCKS_ROWS)
    assert {t.issuer_key for t, _ in THIRD_PARTY_ROWS} >= {"backed", "backpack", "securitize", "prestocks"}


def test_no_bundled_third_party_row_is_official():
    assert all(t.official is None for t, _ in THIRD_PARTY_ROWS)


@pytest.mark.parametrize(
    "live",
    [
        None,  # the issuer's API was not read
        Fact.unknown("connection refused", unit="address", source="xStocks API (test)", method=f"GET {URL}"),
        api_fact("not listed on this chain"),  # the API lists it on another chain only
        api_fact(OTHER_MINT),  # the API names another address
        api_fact(AAOIX_MINT.address.lower()),  # base58 is case-sensitive: this is another address
    ],
    ids=["not-read", "unreachable", "other-chain", "other-address", "other-case"],
)
def test_every_third_party_row_stays_unconfirmed_unless_the_live_list_names_it(live):
    facts = {} if live is None else {"issuer_api_address": live}
    for token, row in THIRD_PARTY_ROWS:
        if live is not None and live.value == row.address:
            continue
        judged = confirm_live(token, row, row.chain, facts)
        if token.issuer_api != "xstocks":
            assert judged is None  # no keyless live list: nothing to confirm with
            continue
        kept, deployment, fact = judged
        assert (kept, deployment) == (token, row) and kept.official is None and deployment.basis == THIRD_PARTY
        assert fact.value != "confirmed by the issuer's live list"
        report = make_report(
            Inspection(Target(token.symbol, row.chain, row.address, kept, deployment), {}, [], AT), REGISTRY
        )
        assert report.document["token"]["official"] is not True


def test_reasons_are_said():
    _, _, unread = confirm_live(AAOIX, AAOIX_MINT, SOLANA, {})
    assert unread.value is None and "could not be read" in unread.error and "psyto/confide" in unread.error
    _, _, elsewhere = confirm_live(
        AAOIX, AAOIX_MINT, SOLANA, {"issuer_api_address": api_fact("not listed on this chain")}
    )
    assert elsewhere.value == "not in the issuer's list: it lists no AAOIx address on Solana"
    _, _, other = confirm_live(AAOIX, AAOIX_MINT, SOLANA, {"issuer_api_address": api_fact(OTHER_MINT)})
    assert other.value == f"not in the issuer's list: it names {OTHER_MINT} for AAOIx on Solana"
    assert (other.source, other.method, other.fetched_at) == ("xStocks API (test)", f"GET {URL}", AT)


def test_the_live_list_naming_this_address_confirms_it_with_provenance():
    token, row, fact = confirm_live(AAOIX, AAOIX_MINT, SOLANA, {"issuer_api_address": api_fact(AAOIX_MINT.address)})
    assert token.official is True and token.deployments == (row,)
    assert (row.basis, row.listed_by, row.as_of) == (LIVE_LIST, "xStocks API (test)", "2026-11-01T00:00:00.000Z")
    assert row.source.startswith(URL) and "psyto/confide" in row.source
    assert (fact.value, fact.method, fact.fetched_at) == ("confirmed by the issuer's live list", f"GET {URL}", AT)


def test_issuer_rows_need_no_confirmation():
    official = next(t for t in REGISTRY.tokens if t.symbol == "NVDAx")
    assert confirm_live(official, official.on(SOLANA), SOLANA, {}) is None
    assert confirm_live(None, None, SOLANA, {}) is None


def inspect_aaoix(api_url: str, solana_url: str = CLOSED_PORT_URL):
    settings = Settings.load()
    settings.override("api.xstocks", api_url)
    settings.override("rpc.solana", solana_url)
    target = resolve(REGISTRY, "AAOIx", "solana")
    assert target.deployment == AAOIX_MINT

    async def go():
        http = Http(timeout=2, retries=0)
        try:
            return await inspect(target, settings, http, REGISTRY)
        finally:
            await http.aclose()

    inspection = asyncio.run(go())
    return inspection, make_report(inspection, REGISTRY).document


def list_aaoix(api, network: str, address: str) -> None:
    node = next((a for a in api.assets if a["symbol"] == "AAOIx"), None)
    if node is None:
        node = {"symbol": "AAOIx", "name": "Applied Optoelectronics xStock", "deployments": []}
        api.assets.append(node)
    node["deployments"].append({"network": network, "address": address})


def test_inspect_confirms_a_row_the_live_list_names(xstocks_api, solana_rpc):
    list_aaoix(xstocks_api, "Solana", AAOIX_MINT.address)
    solana_rpc.accounts[AAOIX_MINT.address] = nvdax_mint()  # a mint whose metadata the issuer holds
    inspection, report = inspect_aaoix(xstocks_api.url, solana_rpc.url)
    assert (report["token"]["official"], report["token"]["basis"]) == (True, LIVE_LIST)
    assert f"{xstocks_api.url}/public/assets/AAOIx" in report["token"]["registry_source"]
    assert report["facts"][CONFIRMATION]["value"] == "confirmed by the issuer's live list"
    assert inspection.target.official is True
    id1 = next(f for f in report["findings"] if f["id"] == "ID-1")
    assert id1["status"] == "pass", id1
    assert "the issuer's live API lists it" in id1["explanation"]


@pytest.mark.parametrize(
    ("network", "address", "said"),
    [
        ("Solana", "lying", "not in the issuer's list: it names"),
        ("Ethereum", "mint", "not in the issuer's list: it lists no AAOIx address on Solana"),
    ],
    ids=["wrong-address", "wrong-chain"],
)
def test_inspect_of_a_lying_list_leaves_the_row_unconfirmed(xstocks_api, network, address, said):
    list_aaoix(xstocks_api, network, OTHER_MINT if address == "lying" else AAOIX_MINT.address)
    _, report = inspect_aaoix(xstocks_api.url)
    assert (report["token"]["official"], report["token"]["basis"]) == (None, THIRD_PARTY)
    assert report["facts"][CONFIRMATION]["value"].startswith(said)
    assert next(f for f in report["findings"] if f["id"] == "ID-1")["status"] == "unknown"


@pytest.mark.parametrize("fault", ["closed", "500", "error-document"])
def test_inspect_with_an_unreachable_list_leaves_the_row_unconfirmed_with_the_reason(xstocks_api, fault):
    list_aaoix(xstocks_api, "Solana", AAOIX_MINT.address)
    if fault == "500":
        xstocks_api.fault = lambda request: Reply({"oops": True}, status=500)
    elif fault == "error-document":
        xstocks_api.fault = lambda request: Reply({"statusCode": 503, "message": "maintenance"})
    _, report = inspect_aaoix(CLOSED_PORT_URL if fault == "closed" else xstocks_api.url)
    assert (report["token"]["official"], report["token"]["basis"]) == (None, THIRD_PARTY)
    confirmation = report["facts"][CONFIRMATION]
    assert confirmation["value"] is None and "could not be read" in confirmation["error"]


def run_refresh(api_url):
    async def go():
        http = Http(timeout=2, retries=0)
        try:
            return await refresh(XStocksApi(http, api_url), REGISTRY)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_refresh_tells_which_third_party_rows_the_live_list_confirms(xstocks_api):
    list_aaoix(xstocks_api, "Solana", AAOIX_MINT.address)
    diff = run_refresh(xstocks_api.url)
    assert [(r.symbol, r.chain, r.address) for r in diff.confirmed] == [("AAOIx", "solana", AAOIX_MINT.address)]
    assert len(diff.not_listed) == len(XSTOCKS_ROWS) - 1
    assert all(r.symbol != "AAOIx" for r in diff.new)  # told once, as confirmed
    doc = diff.to_json()["third_party"]
    assert doc["confirmed_by_issuer_live_list"] == [
        {"symbol": "AAOIx", "chain": "solana", "address": AAOIX_MINT.address}
    ]


def test_refresh_does_not_confirm_a_row_listed_on_another_chain_or_at_another_address(xstocks_api):
    list_aaoix(xstocks_api, "Ethereum", AAOIX_MINT.address)
    list_aaoix(xstocks_api, "Solana", OTHER_MINT)
    diff = run_refresh(xstocks_api.url)
    confirmed = {(r.chain, r.address) for r in diff.confirmed}
    assert ("solana", AAOIX_MINT.address) not in confirmed
    assert any(r.address == AAOIX_MINT.address for r in diff.not_listed)


def test_cli_refresh_registry_says_confirmed_and_not_listed(xstocks_api, capsys):
    list_aaoix(xstocks_api, "Solana", AAOIX_MINT.address)
    assert cli.main(["refresh-registry", "--api", f"xstocks={xstocks_api.url}"]) == 0
    out = capsys.readouterr().out
    assert f"Rows listed by third parties: 1 confirmed by the issuer's live list, {len(XSTOCKS_ROWS) - 1} not in" in out
    assert f"confirmed          AAOIx      solana     {AAOIX_MINT.address}" in out
    assert cli.main(["refresh-registry", "--json", "--api", f"xstocks={xstocks_api.url}"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["third_party"]["not_in_issuer_list"]) == len(XSTOCKS_ROWS) - 1


def test_cli_refresh_factories_unreachable_says_so_per_factory():
    exe = str(Path(sys.executable).with_name("backcheck"))
    result = subprocess.run(
        [exe, "refresh-registry", "--factories", "--json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {f["chain"] for f in doc["factories"]} == {
        "robinhood",
        "ethereum",
        "kinto",
        "blast",
        "arbitrum",
        "plume",
        "base",
    }
    assert all(f["tokens"] is None and f["error"] for f in doc["factories"])  # every RPC is a closed port in tests


def test_cli_refresh_factories_text_names_each_factory_and_the_cache(capsys):
    assert cli.main(["refresh-registry", "--factories"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum("  not read: " in line for line in lines) == 7
    assert any(line.startswith("  dinari     ethereum   0x60B5E7eEcb2AEE0382db86491b8cFfA39347c747") for line in lines)
    assert lines[-1].startswith("Lists kept in ") and lines[-1].endswith("issuer_lists.json.")


def test_an_address_both_a_third_party_and_an_issuer_list_hold_resolves_to_the_issuers_row():
    from backcheck.core.registry import Deployment, Token, Underlying

    ethereum = chain_by_key("ethereum")
    address = "0x1111111111111111111111111111111111111111"

    def token(basis, official):
        row = Deployment(ethereum, address, 18, f"{basis} list", "2026-11-01", basis, basis)
        return Token("AAPL.d", "Apple", "dinari", "Dinari", None, Underlying("AAPL", "Apple", None), (row,), official)

    for order in (
        (token(THIRD_PARTY, None), token("issuer (factory)", True)),
        (token("issuer (factory)", True), token(THIRD_PARTY, None)),
    ):
        target = resolve(Registry(order, []), address, "ethereum")
        assert (target.official, target.deployment.basis) == (True, "issuer (factory)")
