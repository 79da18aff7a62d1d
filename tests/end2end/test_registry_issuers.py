"""Every issuer's tokens resolve with their issuer, basis and source; a third party's row is never official."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.errors import BadInput
from backcheck.core.lookup import resolve
from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path

BACKCHECK = Path(sys.executable).with_name("backcheck")
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())
REGISTRY = Registry.load()
ONDO = "Ondo Global Markets"
ONDO_LIST = "ondoprotocol/ondo-global-markets-token-list"


def mint(symbol: str, issuer: str) -> str:
    """A token whose symbol is also a ticker (MU, AMZN) is named by its address: the ticker names every MU token."""
    return next(
        d.address
        for t in REGISTRY.tokens
        if t.symbol == symbol and t.issuer_name.startswith(issuer)
        for d in t.deployments
    )


BY_ADDRESS = {"MU": mint("MU", "Backpack"), "AMZN": mint("AMZN", "Securitize")}


@pytest.mark.parametrize(
    ("query", "chain", "issuer", "basis", "listed_by", "official"),
    [
        ("AAPLon", "ethereum", ONDO, "issuer", ONDO_LIST, True),
        ("AAPLon", "solana", ONDO, "issuer", "ondoprotocol/gm-solana-simulator", True),
        ("IWNon", "bnb", ONDO, "issuer", ONDO_LIST, True),  # one of the 444 per chain beyond the first five
        (
            "MU",
            "solana",
            "Backpack Securities (token issuer of record: Trek Nexus Markets Ltd, BVI)",
            "third-party",
            "darcsoulj-lgtm/float-solana",
            None,
        ),
        (
            "AMZN",
            "solana",
            "Securitize Stocks (Convertible Entitlement Tokens; Securitize Markets, LLC)",
            "third-party",
            "Poglavar/rwa-sonar",
            None,
        ),
        ("ANTHROPIC", "solana", "PreStocks (no legal issuer named)", "third-party", "Poglavar/rwa-sonar", None),
        ("AAOIx", "solana", "Backed Assets (JE) Limited", "third-party", "psyto/confide", None),
        ("ULon", "ethereum", ONDO, "withdrawn", ONDO_LIST, False),
    ],
)
def test_a_token_resolves_with_its_issuer_basis_and_source(query, chain, issuer, basis, listed_by, official):
    target = resolve(REGISTRY, BY_ADDRESS.get(query, query), chain)
    assert (target.token.symbol, target.chain.key) == (query, chain)
    assert target.token.issuer_name == issuer
    assert (target.deployment.basis, target.deployment.listed_by, target.official) == (basis, listed_by, official)
    assert target.deployment.source.startswith(listed_by) and target.deployment.as_of


def test_a_ticker_that_is_also_a_symbol_names_every_token_of_the_underlying():
    with pytest.raises(BadInput, match=r"'MU' matches several tokens: MU \(Backpack.*MUon \(Ondo.*address"):
        resolve(REGISTRY, "MU", "solana")


def test_the_cli_reports_a_third_party_row_as_listed_by_someone_else():
    """Every endpoint is the closed loopback port (conftest): the report is printed, every fact unknown."""
    result = subprocess.run(
        [str(BACKCHECK), "inspect", BY_ADDRESS["MU"], "--chain", "solana", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3, result.stderr  # no source could be reached
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    token = report["token"]
    assert (token["basis"], token["listed_by"], token["official"]) == (
        "third-party",
        "darcsoulj-lgtm/float-solana",
        None,
    )
    assert token["registry_source"].startswith("darcsoulj-lgtm/float-solana: lib/tokens.ts")
    id1 = next(f for f in report["findings"] if f["id"] == "ID-1")
    assert id1["status"] == "unknown"
    assert "listed by darcsoulj-lgtm/float-solana, not confirmed by the issuer" in id1["explanation"]
