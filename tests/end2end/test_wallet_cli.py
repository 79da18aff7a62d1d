"""The installed `backcheck wallet` command against anvil and the loopback Solana server, as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.evm import ACCOUNTS
from tests.helpers.wallet import NVDAX_RAW, NVDAX_SHARES, NVDAX_SHOWN, OWNER, setup_wallet

BACKCHECK = Path(sys.executable).with_name("backcheck")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BACKCHECK), *args], capture_output=True, text=True, timeout=60)


@pytest.mark.chain
def test_evm_wallet_on_the_test_chain(chain):
    result = run("wallet", ACCOUNTS[7], "--chain", "ethereum", "--rpc", f"ethereum={chain.url}", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    (aaplx,) = doc["holdings"]
    facts = {k: f["value"] for k, f in aaplx["facts"].items()}
    assert facts["balance_raw"] == "150500000000000000000"
    assert facts["balance_displayed"] == facts["shares"] == "150.81605"
    assert facts["multiplier"] == "1.0021" and facts["sanctioned"] is False
    assert aaplx["token"]["official"] is True and aaplx["token"]["standing"] == "Official: on the issuer's list"
    assert doc["chains"][0]["round_trips"] == 1 and doc["chains"][0]["block_or_slot"] == int(
        chain.anvil.rpc("eth_blockNumber"), 16
    )


def test_solana_wallet_text(solana_rpc):
    setup_wallet(solana_rpc)
    result = run("wallet", OWNER, "--rpc", f"solana={solana_rpc.url}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"raw balance    {NVDAX_RAW} raw units" in out
    assert f"wallets show   {NVDAX_SHOWN}\n" in out and f"shares         {NVDAX_SHARES}\n" in out
    assert "frozen         YES" in out and "Solana (slot 449660471, 2 round trips)" in out
    assert len(solana_rpc.calls) == 2


def test_a_mint_given_as_a_wallet_is_one_sentence_and_exit_2():
    result = run("wallet", "Xsc9qvGR1efVDFGLrVsmkzv3qi45LTBjeUKSPmx9qEh", "--chain", "solana")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("backcheck: Xsc9") and "is the NVDAx token contract" in line and "not a wallet" in line
