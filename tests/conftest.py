"""Shared fixtures: the anvil test chain, an isolated config folder, an in-memory keyring."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest

# Qt reads the platform before the first QApplication; tests run offscreen unless a
# caller (the Xvfb pass in .ci/run) chose another platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers.anvil import Anvil
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.paths import ADDRESSES, ARTIFACTS, STATE_FIXTURE


@dataclass
class TestChain:
    """The loaded test chain: its URL, the node, and the scenario's addresses."""

    anvil: Anvil
    url: str
    addresses: dict[str, Any]


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give every test its own empty settings folder."""
    folder = tmp_path / "config"
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


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[Anvil]:
    """A real anvil (chain id 1) with the committed scenario state loaded."""
    node = Anvil(chain_id=1)
    try:
        assert node.rpc("anvil_loadState", "0x" + STATE_FIXTURE.read_bytes().hex()) is True
        yield node
    finally:
        node.stop()


@pytest.fixture
def chain(anvil_node: Anvil) -> Iterator[TestChain]:
    """The test chain, reverted to the fixture state after each test."""
    snapshot = anvil_node.rpc("evm_snapshot")
    try:
        yield TestChain(anvil_node, anvil_node.url, json.loads(ADDRESSES.read_text()))
    finally:
        assert anvil_node.rpc("evm_revert", snapshot) is True


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for screenshots and other files a person looks at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
