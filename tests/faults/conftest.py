"""The fault matrix's servers (one fault server per source, shared by every cell) and its report.

Every source's endpoint points at its :class:`FaultServer`, healthy unless the cell breaks it.
The run writes ``docs/reliability.md`` once every cell has an outcome (a partial run leaves it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcheck.core.chains import CHAINS
from backcheck.core.registry import Registry
from tests.faults.explorers import balances, blockscout_routes, ethplorer_routes
from tests.faults.report import write_reliability
from tests.faults.sources import DEADLINES, cells
from tests.helpers.anvil import Anvil
from tests.helpers.fault_server import FaultServer
from tests.helpers.jupiter_api import JupiterServer
from tests.helpers.nvdax import setup_nvdax, setup_prices
from tests.helpers.paths import ADDRESSES
from tests.helpers.solana_rpc import NVDAX, SolanaRpc
from tests.helpers.xstocks_api import XStocksApiServer

AAPLX_SOLANA = "XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp"
RELIABILITY = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


@pytest.fixture(scope="session")
def fault_servers(anvil_node: Anvil, polygon_node: Anvil) -> Iterator[dict[str, FaultServer]]:
    """One fault server per source, in front of the real local component, keyed by endpoint setting."""
    solana, xstocks, jupiter = SolanaRpc({}), XStocksApiServer(Registry.load()), JupiterServer()
    setup_nvdax(solana, xstocks)
    setup_prices(jupiter)
    for table in ("reserves", "multipliers", "histories", "statuses", "prices"):
        docs = getattr(xstocks, table)
        docs["AAPLx"] = copy.deepcopy(docs["NVDAx"])
    jupiter.prices[AAPLX_SOLANA] = copy.deepcopy(jupiter.prices[NVDAX])
    holders = balances(anvil_node, json.loads(ADDRESSES.read_text())["aaplx"])
    servers = {
        "rpc.ethereum": FaultServer(anvil_node.url),
        "rpc.polygon": FaultServer(polygon_node.url),
        "rpc.solana": FaultServer(solana.server.url, suffix="/"),
        "api.xstocks": FaultServer(xstocks.server.url, suffix="/api/v2"),
        "api.jupiter": FaultServer(jupiter.url),
        "explorer.blockscout.ethereum": FaultServer(routes=blockscout_routes(holders)),
        "api.ethplorer": FaultServer(routes=ethplorer_routes(holders)),
    }
    yield servers
    for server in servers.values():
        server.close()
    for upstream in (solana, xstocks, jupiter):
        upstream.close()


@pytest.fixture
def endpoints(
    config_dir: Path, fault_servers: dict[str, FaultServer], anvil_node: Anvil
) -> Iterator[dict[str, FaultServer]]:
    """This test's settings: every source at its fault server (healthy), short deadlines; healed afterwards.

    The token's other EVM chains (read only for the measured coverage) point at the Ethereum node,
    which the app refuses at once as another chain: a closed port would cost every cell the HTTP
    retries' back-off, most of the matrix's time.
    """
    settings = config_dir / "settings.json"
    stored = json.loads(settings.read_text())
    others = {
        f"rpc.{c.key}": anvil_node.url for c in CHAINS if c.kind == "evm" and c.key not in ("ethereum", "polygon")
    }
    stored |= others | {key: server.url for key, server in fault_servers.items()} | DEADLINES
    settings.write_text(json.dumps(stored))
    yield fault_servers
    for server in fault_servers.values():
        server.reset()


@pytest.fixture(scope="session")
def outcomes() -> Iterator[dict[tuple[str, str], str]]:
    """Each cell's outcome; written to docs/reliability.md when the whole matrix ran."""
    found: dict[tuple[str, str], str] = {}
    yield found
    if set(found) >= set(cells()):
        write_reliability(RELIABILITY, found)
