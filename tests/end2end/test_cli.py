"""The installed `backcheck` command, run as a user would: exit codes, JSON, messages."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.resources import resource_path

BACKCHECK = Path(sys.executable).with_name("backcheck")
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BACKCHECK), *args], capture_output=True, text=True, timeout=60)


def assert_one_clear_sentence(result: subprocess.CompletedProcess[str], code: int, text: str):
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backcheck: ") and text in lines[0], result.stderr


@pytest.mark.chain
def test_official_aaplx_on_ethereum(chain, xstocks_api):
    result = run(
        "inspect", "AAPLx", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}", "--api",
        f"xstocks={xstocks_api.url}", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    block = int(chain.anvil.rpc("eth_blockNumber"), 16)
    assert report["token"]["official"] is True
    assert report["token"]["address"].lower() == chain.addresses["aaplx"].lower()
    supply = report["facts"]["total_supply"]
    assert supply["value"] == "10021"
    assert supply["block"] == block
    assert supply["source"] == f"EVM RPC ethereum ({chain.url})"
    id1 = next(f for f in report["findings"] if f["id"] == "ID-1")
    assert id1["status"] == "pass" and "the issuer's live API lists it" in id1["explanation"]
    # Holders: the explorers are unreachable here, so balances come from the chain's own logs.
    assert report["facts"]["holders_count"]["value"] == "6"
    assert report["facts"]["holders_sum_check"]["value"] == "matches"
    assert {s["name"]: s["state"] for s in report["sources"]}["holders via logs"] == "ok"


@pytest.mark.chain
def test_official_address_unconfirmed_while_the_issuers_list_is_down(chain):
    """Offline, the bundled list alone does not make ID-1 a pass: the issuer may have withdrawn it."""
    result = run("inspect", "AAPLx", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}", "--json")
    report = json.loads(result.stdout)
    assert report["token"]["official"] is True
    id1 = next(f for f in report["findings"] if f["id"] == "ID-1")
    assert id1["status"] == "unknown" and "live data could not confirm it" in id1["explanation"], id1


@pytest.mark.chain
def test_impostor_is_flagged_critical(chain):
    result = run(
        "inspect",
        chain.addresses["impostor"],
        "--chain",
        "ethereum",
        "--rpc",
        f"ethereum={chain.url}",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["token"]["official"] is False
    assert {f["id"]: f["status"] for f in report["findings"]}["ID-1"] == "critical"


@pytest.mark.chain
def test_text_report(chain):
    result = run("inspect", "AAPLx", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}")
    assert result.returncode == 0
    assert "Official: on the issuer's list" in result.stdout and "total_supply" in result.stdout


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["inspect", "ZZZZQ"], "No token matches 'ZZZZQ'"),
        (["inspect", "%%%garbage%%%"], "No token matches"),
        (["inspect", "0x9d275685dc284c8eb1c79f6aba7a63dc75ec890a", "--chain", "solana"], "is an EVM address"),
        (
            ["inspect", "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890A", "--chain", "ethereum"],
            "invalid EIP-55 checksum",
        ),
        (["inspect", "AAPLx", "--chain", "ethereum", "--rpc", "ethereum=http://rpc.example"], "plain http"),
        (["inspect", "AAPLx", "--registry-overlay", "/nonexistent/overlay.json"], "does not exist"),
    ],
)
def test_bad_input_exits_2(args, text):
    assert_one_clear_sentence(run(*args), 2, text)


def test_unreachable_rpc_exits_3():
    result = run("inspect", "AAPLx", "--chain", "ethereum", "--rpc", "ethereum=http://127.0.0.1:9", "--json")
    assert_one_clear_sentence(result, 3, "no data source could be reached")
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["sources"][0]["state"] == "failed"
    assert report["facts"]["total_supply"]["value"] is None


@pytest.mark.chain
def test_wrong_chain_id_exits_3(chain):
    result = run("inspect", "AAPLx", "--chain", "arbitrum", "--rpc", f"arbitrum={chain.url}")
    assert_one_clear_sentence(result, 3, "serves Ethereum (1), not Arbitrum One (42161)")


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["inspect"], "The following arguments are required: query. See 'backcheck inspect --help'."),
        (["--no-such-option"], "Unrecognized arguments: --no-such-option"),
        (["--json", "inspect", "AAPLx"], "Unrecognized arguments: --json"),  # not a window opened by mistake
        (["convert", "1", "--unit", "nope"], "invalid choice: 'nope'"),
    ],
)
def test_usage_errors_are_one_sentence_and_exit_2(args, text):
    assert_one_clear_sentence(run(*args), 2, text)


def test_version():
    from importlib.metadata import version

    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"backcheck {version('backcheck')}"


def _transact(chain, sender_role: str, to_key: str, artifact: str, signature: str, *args):
    from tests.helpers.evm import Chain
    from tests.helpers.solc import compile_contracts

    Chain(chain.anvil).transact(
        chain.addresses["roles"][sender_role], chain.addresses[to_key], compile_contracts()[artifact], signature, *args
    )


@pytest.mark.chain
@pytest.mark.parametrize("scenario", ["paused", "multisig_admin", "timelocked_admin", "sanctions", "pending"])
def test_evm_scenarios_in_the_json_report(chain, scenario):
    if scenario == "paused":
        _transact(chain, "pauser", "aaplx", "BackedAutoFeeToken", "setPause(bool)", True)
    elif scenario == "multisig_admin":
        _transact(
            chain,
            "owner",
            "aaplx_proxy_admin",
            "ProxyAdmin",
            "transferOwnership(address)",
            chain.addresses["safe_2_of_3"],
        )
    elif scenario == "timelocked_admin":
        _transact(
            chain,
            "owner",
            "aaplx_proxy_admin",
            "ProxyAdmin",
            "transferOwnership(address)",
            chain.addresses["timelock_48h"],
        )
    elif scenario == "sanctions":
        _transact(
            chain,
            "owner",
            "aaplx",
            "BackedAutoFeeToken",
            "setSanctionsList(address)",
            chain.addresses["sanctions_list"],
        )
    else:
        latest = int(chain.anvil.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)
        _transact(
            chain,
            "multiplier_updater",
            "aaplx",
            "BackedAutoFeeToken",
            "updateMultiplierWithActivationTime(uint256,uint256)",
            2 * 10**18,
            latest + 3 * 86_400,
        )
    result = run("inspect", "AAPLx", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    facts = {k: v["value"] for k, v in report["facts"].items()}
    status = {f["id"]: f["status"] for f in report["findings"]}
    expected = {
        "paused": (facts["paused"] is True, status["CT-4"] == "critical"),
        "multisig_admin": (
            facts["proxy_admin_controller_kind"] == "multisig (2 of 3 signers)",
            status["CT-1"] == "caution",
        ),
        "timelocked_admin": (
            facts["proxy_admin_controller_kind"] == "timelock (minimum delay 48 h)",
            status["CT-1"] == "pass",
        ),
        "sanctions": (
            facts["sanctions_list"].lower() == chain.addresses["sanctions_list"],
            status["CT-3"] == "caution",
        ),
        "pending": (facts["multiplier_pending"] == "2", status["CA-1"] == "pass"),
    }[scenario]
    assert expected == (True, True), (facts, status)
    if scenario == "pending":
        assert any("multiplier changes to 2" in f["explanation"] for f in report["findings"] if f["id"] == "CA-1")
