"""Paths of the repository's test tools."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
ANVIL = NODE_MODULES / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
CHAIN_DIR = ROOT / "tests" / "chain"
CONTRACTS = sorted((CHAIN_DIR / "contracts").glob("*.sol"))
STATE_FIXTURE = CHAIN_DIR / "state.json.gz"
ADDRESSES = CHAIN_DIR / "addresses.json"
BUILD = ROOT / "build"
ARTIFACTS = ROOT / "artifacts"
