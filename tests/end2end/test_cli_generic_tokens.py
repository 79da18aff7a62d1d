"""The installed `backcheck` command on tokens that are not Backed's: no power reads as absent unless measured."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.resources import resource_path

BACKCHECK = Path(sys.executable).with_name("backcheck")
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())
pytestmark = pytest.mark.chain


def inspect_json(chain, address: str) -> dict:
    result = subprocess.run(
        [str(BACKCHECK), "inspect", address, "--chain", "ethereum", "--rpc", f"ethereum={chain.url}", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    return report


def test_paused_generic_token_has_no_false_pass(chain):
    report = inspect_json(chain, chain.addresses["generic_token_paused"])
    facts = report["facts"]
    status = {f["id"]: f["status"] for f in report["findings"]}
    assert facts["token_interface"]["value"] == "ERC-20 + Ownable + Pausable (not a proxy)"
    assert facts["paused"]["value"] is True
    assert status["CT-4"] == "critical"
    # Mint, pause and forced transfer exist and sit with one key; a transfer fee cannot be ruled out.
    assert {rule: status[rule] for rule in ("CT-2", "CT-3", "CT-5", "CT-8")} == {
        "CT-2": "warning",
        "CT-3": "caution",
        "CT-5": "warning",
        "CT-8": "unknown",
    }
    owner = chain.addresses["generic_owner"]
    assert {(r["power"], r["holder"]) for r in facts["issuer_powers"]["value"]} == {
        (power, owner) for power in ("owner", "mint_authority", "pause_authority", "permanent_delegate")
    }


def test_code_matching_no_interface_reports_powers_unknown(chain):
    report = inspect_json(chain, chain.addresses["opaque_token"])
    facts = report["facts"]
    status = {f["id"]: f["status"] for f in report["findings"]}
    assert facts["token_interface"]["value"] is None
    for key in ("mint_authority", "freeze_authority", "pause_authority", "permanent_delegate", "proxy_admin"):
        assert facts[key]["value"] is None and "unidentified" in facts[key]["error"], key
    assert {rule: status[rule] for rule in ("CT-1", "CT-2", "CT-3", "CT-5", "CT-8")} == dict.fromkeys(
        ("CT-1", "CT-2", "CT-3", "CT-5", "CT-8"), "unknown"
    )
