"""NVDAx on Solana: the reserves held against the float Backcheck measures on every chain (issue 8).

Every chain the registry lists for NVDAx runs here: the loopback Solana RPC with the real
NVDAx snapshot, and one anvil per EVM chain id with a Backed AutoFee token placed at NVDAx's
EVM address. The report must show the measured coverage beside the issuer's own ratio, each
part with its block or slot and the chain's time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path
from tests.chain.build_state import INVENTORY, MINTER, build_token, wei
from tests.conftest import start_node
from tests.helpers.anvil import Anvil
from tests.helpers.evm import ACCOUNTS, Chain
from tests.helpers.nvdax import setup_nvdax
from tests.helpers.solc import compile_contracts

BACKCHECK = Path(sys.executable).with_name("backcheck")
SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())
NVDAX = next(t for t in Registry.load().tokens if t.symbol == "NVDAx" and t.official)
EVM = [d for d in NVDAX.deployments if d.chain.kind == "evm"]
EVM_FLOAT = Decimal("17850.5")  # per chain, to an ordinary holder: with Solana's float, near the issuer's 196,340


@pytest.fixture(scope="module")
def evm_nodes() -> Iterator[dict[str, Anvil]]:
    """One anvil per EVM chain NVDAx is listed on, NVDAx placed at its real address."""
    art = compile_contracts()
    nodes: dict[str, Anvil] = {}
    try:
        for deployment in EVM:
            node = start_node(deployment.chain.chain_id)
            nodes[deployment.chain.key] = node
            chain = Chain(node)
            token, _, _ = build_token(chain, art, deployment.address, "NVIDIA xStock", "NVDAx")
            mint = (art["BackedAutoFeeToken"], "mint(address,uint256)")
            chain.transact(MINTER, token, *mint, INVENTORY, wei(Decimal(1_000)))
            chain.transact(MINTER, token, *mint, ACCOUNTS[5], wei(EVM_FLOAT))
        yield nodes
    finally:
        for node in nodes.values():
            node.stop()


def inspect(solana_url: str, api_url: str, nodes: dict[str, Anvil]) -> subprocess.CompletedProcess[str]:
    rpcs = [arg for key, node in nodes.items() for arg in ("--rpc", f"{key}={node.url}")]
    args = ["inspect", "NVDAx", "--chain", "solana", "--rpc", f"solana={solana_url}", *rpcs]
    return subprocess.run(
        [str(BACKCHECK), *args, "--api", f"xstocks={api_url}", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_measured_coverage_beside_the_issuers(evm_nodes, solana_rpc, xstocks_api):
    setup_nvdax(solana_rpc, xstocks_api)
    result = inspect(solana_rpc.url, xstocks_api.url, evm_nodes)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    facts = report["facts"]
    parts = {p["chain"]: p for p in facts["outstanding_measured_parts"]["value"]}
    assert set(parts) == {"solana", *(d.chain.key for d in EVM)}
    for key, part in parts.items():
        assert part["chain_time"].endswith("Z"), part
        assert isinstance(part["slot" if key == "solana" else "block"], int), part
        assert "error" not in part, part
    for deployment in EVM:
        assert Decimal(parts[deployment.chain.key]["float"]) == EVM_FLOAT
    solana_float = Decimal(facts["float"]["value"])
    assert Decimal(parts["solana"]["float"]) == solana_float
    outstanding = solana_float + EVM_FLOAT * len(EVM)
    assert facts["outstanding_measured_all_chains"]["value"] is not None, facts["outstanding_measured_all_chains"][
        "error"
    ]
    assert Decimal(facts["outstanding_measured_all_chains"]["value"]) == outstanding
    measured = Decimal(facts["reserves_coverage_measured"]["value"])
    assert measured == (Decimal(196_869) / outstanding).quantize(Decimal("0.000001"))
    issuer = Decimal(facts["reserves_coverage"]["value"])
    assert issuer == (Decimal(196_869) / Decimal("196340.26085951860836")).quantize(Decimal("0.000001"))
    assert Decimal(facts["reserves_coverage_gap"]["value"]) == measured - issuer
    assert "reserves as of" in facts["reserves_coverage_measured"]["unit"]
    findings = {f["id"]: f for f in report["findings"]}
    assert "measured coverage" in findings["RS-2"]["explanation"]
    assert "reserves_coverage_measured" in findings["RS-2"]["evidence"]
    assert "as counted by Backcheck on every chain fits within" in findings["RS-3"]["explanation"]


def test_one_chain_not_read_leaves_the_measured_coverage_unknown(evm_nodes, solana_rpc, xstocks_api):
    setup_nvdax(solana_rpc, xstocks_api)
    reachable = {k: v for k, v in evm_nodes.items() if k != "ink"}  # ink stays on the closed test port
    report = json.loads(inspect(solana_rpc.url, xstocks_api.url, reachable).stdout)
    facts = report["facts"]
    assert facts["reserves_coverage_measured"]["value"] is None
    assert "not read on ink" in facts["outstanding_measured_all_chains"]["error"]
    assert facts["reserves_coverage"]["value"] is not None  # the issuer's own figure is still shown
    rs2 = next(f for f in report["findings"] if f["id"] == "RS-2")
    assert "Backcheck's own measure on every chain is unknown" in rs2["explanation"]
    assert "not read on ink" in rs2["explanation"]
