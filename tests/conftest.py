"""Shared fixtures: the anvil test chain, an isolated config folder, an in-memory keyring."""

from __future__ import annotations

import atexit
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest

from backcheck.core.registry import Registry
from backcheck.core.settings import DECLARED
from tests.helpers.anvil import Anvil
from tests.helpers.jupiter_api import JupiterServer
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.nvdax import setup_nvdax, setup_prices
from tests.helpers.paths import ADDRESSES, ARTIFACTS, STATE_FIXTURE
from tests.helpers.solana_rpc import SolanaRpc
from tests.helpers.xstocks_api import XStocksApiServer

# Qt reads the platform when the first QApplication starts; tests run offscreen unless a
# caller (the Xvfb pass in tools/test) chose another platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported: empty cache and config folders for the whole run.

    Test modules that load the registry at import time (before the per-test folders below) must not
    see the developer's own cache, since cached factory lists join the registry. (A hook, not module
    code: the benchmarks import this module for its helpers and keep their own folders.)
    """
    folder = tempfile.mkdtemp(prefix="backcheck-test-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["BACKCHECK_CACHE_DIR"] = os.path.join(folder, "cache")
    os.environ["BACKCHECK_CONFIG_DIR"] = os.path.join(folder, "config")


CLOSED_PORT_URL = "http://127.0.0.1:9"


@dataclass
class TestChain:
    """The loaded test chain: its URL, the node, and the scenario's addresses."""

    anvil: Anvil
    url: str
    addresses: dict[str, Any]


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give every test its own settings folder whose endpoints all point at a closed loopback port.

    Tests never reach a public host: one that forgets to point an endpoint at a local server
    gets "connection refused" instead of the keyless public default.
    """
    monkeypatch.setenv("BACKCHECK_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "config"
    folder.mkdir()
    closed = {key: CLOSED_PORT_URL for key, setting in DECLARED.items() if setting.is_url}
    closed["logs.confirmations"] = "0"  # the local chains have no reorgs; scan to their head
    (folder / "settings.json").write_text(json.dumps(closed))
    monkeypatch.setenv("BACKCHECK_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Replace the OS keyring with an in-memory one for the test's duration."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# Seconds after the dump's last block at which every test chain's clock starts.
CLOCK_START_AFTER_DUMP = 3600


def start_node(chain_id: int) -> Anvil:
    """A real anvil with the committed scenario state loaded (the state is chain-id agnostic).

    Left alone, anvil's clock follows the wall clock; started at the dump's time and moved to a
    fixed time after it, every test chain reads the same time whatever today's date (and the
    snapshot each test reverts to holds that clock too).
    """
    state = STATE_FIXTURE.read_bytes()
    dumped = int(json.loads(gzip.decompress(state))["block"]["timestamp"], 16)
    node = Anvil(chain_id=chain_id, genesis_time=dumped)
    assert node.rpc("anvil_loadState", "0x" + state.hex()) is True
    node.rpc("evm_setNextBlockTimestamp", hex(dumped + CLOCK_START_AFTER_DUMP))
    node.rpc("evm_mine")
    return node


def isolated(node: Anvil) -> Iterator[TestChain]:
    snapshot = node.rpc("evm_snapshot")
    try:
        yield TestChain(node, node.url, json.loads(ADDRESSES.read_text()))
    finally:
        assert node.rpc("evm_revert", snapshot) is True


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[Anvil]:
    """Ethereum (chain id 1) for the session."""
    node = start_node(1)
    yield node
    node.stop()


@pytest.fixture(scope="session")
def polygon_node() -> Iterator[Anvil]:
    """Polygon (chain id 137) for the session: the bToken reserve feeds live there."""
    node = start_node(137)
    yield node
    node.stop()


@pytest.fixture
def chain(anvil_node: Anvil) -> Iterator[TestChain]:
    """The Ethereum test chain, reverted to the fixture state after each test."""
    yield from isolated(anvil_node)


@pytest.fixture
def polygon(polygon_node: Anvil) -> Iterator[TestChain]:
    """The Polygon test chain, reverted after each test."""
    yield from isolated(polygon_node)


@pytest.fixture
def solana_rpc() -> Iterator[SolanaRpc]:
    """A local Solana JSON-RPC server (empty; scenarios load accounts)."""
    server = SolanaRpc({})
    yield server
    server.close()


@pytest.fixture
def xstocks_api() -> Iterator[XStocksApiServer]:
    """A local xStocks API whose asset list is the bundled registry's."""
    server = XStocksApiServer(Registry.load())
    yield server
    server.close()


@pytest.fixture
def jupiter_api() -> Iterator[JupiterServer]:
    """A local Jupiter price API with NVDAx and NVDA prices."""
    server = JupiterServer()
    setup_prices(server)
    yield server
    server.close()


@pytest.fixture
def nvdax(solana_rpc: SolanaRpc, xstocks_api: XStocksApiServer) -> tuple[SolanaRpc, XStocksApiServer]:
    """Both servers loaded with the real NVDAx snapshot (its multiplier change already effective)."""
    setup_nvdax(solana_rpc, xstocks_api)
    return solana_rpc, xstocks_api


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for screenshots and other files a person looks at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
