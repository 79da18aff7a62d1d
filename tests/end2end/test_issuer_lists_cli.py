"""Issue 13 "Done when" line 1 through the CLI against this project's own chains and APIs.

`backcheck inspect AAPLon --chain ethereum` (the anvil test chain) and a Backpack, Securitize and
PreStocks token (the loopback Solana RPC) report their issuer, basis and source; a third party's row
is never official, and only the issuer's live list naming its address confirms it for one report.
"""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path
from tests.conftest import CLOSED_PORT_URL
from tests.helpers.solana_rpc import nvdax_mint

BACKCHECK = Path(sys.executable).with_name("backcheck")
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())
REGISTRY = Registry.load()


def row(symbol: str, issuer: str):
    return next((t, d) for t in REGISTRY.tokens if t.symbol == symbol and t.issuer_key == issuer for d in t.deployments)


def run(*args: str) -> dict:
    result = subprocess.run([str(BACKCHECK), "inspect", *args, "--json"], capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    return report


def id1(report: dict) -> dict:
    return next(f for f in report["findings"] if f["id"] == "ID-1")


@pytest.mark.chain
def test_aaplon_on_ethereum_resolves_with_issuer_basis_and_source(chain):
    report = run("AAPLon", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}")
    token = report["token"]
    assert (token["issuer"], token["basis"], token["official"]) == ("Ondo Global Markets", "issuer", True)
    assert token["address"] == "0x14c3abF95Cb9C93a8b82C1CdCB76D72Cb87b2d4c"
    assert token["registry_source"].startswith("ondoprotocol/ondo-global-markets-token-list tokenlist.json v11.0.0")


@pytest.mark.parametrize(
    ("symbol", "issuer", "name", "listed_by"),
    [
        ("MU", "backpack", "Backpack Securities", "darcsoulj-lgtm/float-solana"),
        ("AMZN", "securitize", "Securitize Stocks", "Poglavar/rwa-sonar"),
        ("ANTHROPIC", "prestocks", "PreStocks", "Poglavar/rwa-sonar"),
    ],
)
def test_third_party_issuers_resolve_and_are_never_official(solana_rpc, symbol, issuer, name, listed_by):
    _, deployment = row(symbol, issuer)
    solana_rpc.accounts[deployment.address] = nvdax_mint()  # a readable mint: the chain read succeeds
    report = run(deployment.address, "--chain", "solana", "--rpc", f"solana={solana_rpc.url}")
    token = report["token"]
    assert token["issuer"].startswith(name)
    assert (token["basis"], token["listed_by"], token["official"]) == ("third-party", listed_by, None)
    assert token["registry_source"].startswith(listed_by) and "as of 20" in token["registry_source"]
    assert id1(report)["status"] == "unknown"
    assert f"listed by {listed_by}, not confirmed by the issuer" in id1(report)["explanation"]


def aaoix_report(solana_rpc, api_url: str) -> dict:
    _, deployment = row("AAOIx", "backed")
    solana_rpc.accounts[deployment.address] = nvdax_mint()
    return run("AAOIx", "--chain", "solana", "--rpc", f"solana={solana_rpc.url}", "--api", f"xstocks={api_url}")


def test_an_xstocks_third_party_row_confirmed_by_the_live_list(solana_rpc, xstocks_api):
    _, deployment = row("AAOIx", "backed")
    xstocks_api.assets.append(
        {"symbol": "AAOIx", "name": "AAOIx", "deployments": [{"network": "Solana", "address": deployment.address}]}
    )
    report = aaoix_report(solana_rpc, xstocks_api.url)
    token = report["token"]
    assert (token["official"], token["basis"]) == (True, "issuer (live list)")
    assert token["registry_source"].startswith(f"{xstocks_api.url}/public/assets/AAOIx")
    assert report["facts"]["issuer_list_confirmation"]["fetched_at"]
    assert id1(report)["status"] == "pass"


def test_an_xstocks_third_party_row_with_the_live_list_unreachable_stays_unconfirmed(solana_rpc):
    report = aaoix_report(solana_rpc, CLOSED_PORT_URL)
    assert (report["token"]["official"], report["token"]["basis"]) == (None, "third-party")
    assert "could not be read" in report["facts"]["issuer_list_confirmation"]["error"]
    assert id1(report)["status"] == "unknown"
