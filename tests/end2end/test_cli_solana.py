"""`backcheck inspect NVDAx --chain solana` against the local Solana RPC and xStocks API."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.resources import resource_path
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.solana_rpc import (
    BACKED_AUTHORITY,
    DEVNET_GENESIS,
    FREEZE_AUTHORITY,
    INVENTORY_OWNER,
    MINT_AUTHORITY,
    pubkey,
)

BACKCHECK = Path(sys.executable).with_name("backcheck")
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())


def inspect(rpc, api, *extra: str, jupiter=None) -> subprocess.CompletedProcess[str]:
    extra = (*extra, "--api", f"jupiter={jupiter.url}") if jupiter else extra
    return subprocess.run(
        [
            str(BACKCHECK),
            "inspect",
            "NVDAx",
            "--chain",
            "solana",
            "--rpc",
            f"solana={rpc.url}",
            "--api",
            f"xstocks={api.url}",
            "--json",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nvdax_report(solana_rpc, xstocks_api, jupiter_api):
    setup_nvdax(solana_rpc, xstocks_api, pending=True)
    result = inspect(solana_rpc, xstocks_api, jupiter=jupiter_api)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    facts = {k: v["value"] for k, v in report["facts"].items()}
    assert report["token"]["official"] is True
    assert facts["multiplier"] == "1.001701196801074"
    assert facts["multiplier_pending"] == "1.0025"
    assert facts["multiplier_pending_at"].endswith("Z")
    assert (
        facts["mint_authority"],
        facts["freeze_authority"],
        facts["permanent_delegate"],
        facts["pause_authority"],
    ) == (MINT_AUTHORITY, FREEZE_AUTHORITY, BACKED_AUTHORITY, FREEZE_AUTHORITY)
    assert "scaledUiAmountConfig" in facts["extensions"]
    assert facts["holders"][0]["owner"] == INVENTORY_OWNER and facts["holders"][0]["label"]
    assert Decimal(facts["reserves_coverage"]) > 1
    assert facts["reserves_age_hours"] == "6.0"
    assert report["facts"]["total_supply"]["block"] == 449660471
    assert facts["chain_time"].endswith("Z")  # the Clock sysvar, read in the first batch
    assert report["facts"]["chain_time"]["block"] == 449660471
    assert report["facts"]["reserves_coverage"]["source"] == f"xStocks API ({xstocks_api.url})"
    assert {s["state"] for s in report["sources"]} == {"ok"}
    findings = {f["id"]: f for f in report["findings"]}
    # Price vs the shares' value: 184.00 ÷ (183.50 × 1.001701196801074) − 1.
    reference = (Decimal("183.50") * Decimal("1.001701196801074")).quantize(Decimal("0.000001"))
    assert facts["reference_price"] == str(reference)
    assert Decimal(facts["premium"]) == (Decimal("184.00") / reference - 1).quantize(Decimal("0.000001"))
    assert findings["PM-1"]["status"] == "pass"
    assert findings["PM-3"]["status"] == "pass"
    assert findings["CA-1"]["status"] == "pass"  # scheduled two days ahead: shown, not short notice
    assert facts["market_session"]
    from backcheck.core.rules import RULES

    assert {f["id"] for f in report["findings"]} == {rule_id for rule_id, *_ in RULES} | {"DQ-1"}
    assert {f["id"]: f["status"] for f in report["findings"]}["ID-1"] == "pass"


def test_api_down_still_reports_the_chain(nvdax):
    rpc, api = nvdax
    api.close()
    result = inspect(rpc, api)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["facts"]["total_supply"]["value"] == "321821.29653478"
    assert report["facts"]["reserves_coverage"]["value"] is None
    assert "issuer API" in report["facts"]["reserves_coverage"]["error"]
    assert [s["state"] for s in report["sources"]][:2] == ["ok", "failed"]


def test_a_devnet_node_alone_exits_3_with_one_sentence(nvdax):
    """No source but a Solana node of the wrong cluster: nothing was reached, and the reason says why."""
    rpc, _ = nvdax
    rpc.genesis = DEVNET_GENESIS
    result = subprocess.run(
        [str(BACKCHECK), "inspect", "NVDAx", "--chain", "solana", "--rpc", f"solana={rpc.url}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("backcheck: no data source could be reached: ")
    assert f"is not Solana mainnet-beta: its genesis hash is '{DEVNET_GENESIS}'" in line


def test_token_account_is_refused_with_one_sentence(nvdax):
    rpc, api = nvdax
    account = pubkey("nvdax-ata-0")
    result = subprocess.run(
        [
            str(BACKCHECK),
            "inspect",
            account,
            "--chain",
            "solana",
            "--rpc",
            f"solana={rpc.url}",
            "--api",
            f"xstocks={api.url}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"backcheck: {account} is a token account (one holder's balance), not a mint; its mint is "
        "Xsc9qvGR1efVDFGLrVsmkzv3qi45LTBjeUKSPmx9qEh — inspect that address instead."
    ]


@pytest.mark.parametrize("json_flag", [True, False])
def test_refresh_registry(xstocks_api, json_flag):
    xstocks_api.assets = [a for a in xstocks_api.assets if a["symbol"] != "TSLAx"]
    args = [str(BACKCHECK), "refresh-registry", "--api", f"xstocks={xstocks_api.url}"] + (
        ["--json"] if json_flag else []
    )
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    if json_flag:
        diff = json.loads(result.stdout)
        assert not diff["clean"]
        assert {r["symbol"] for r in diff["removed"]} == {"TSLAx"}
    else:
        assert "no longer listed" in result.stdout and "TSLAx" in result.stdout


def test_refresh_registry_unreachable():
    result = subprocess.run(
        [str(BACKCHECK), "refresh-registry", "--api", "xstocks=http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert result.stderr.startswith("backcheck: Could not reach 127.0.0.1:9")
