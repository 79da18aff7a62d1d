"""Compile the test chain's Solidity with solc-js, cached by source hash."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from .paths import BUILD, CHAIN_DIR, CONTRACTS, NODE_MODULES


def compile_contracts(sources: list[Path] = CONTRACTS) -> dict[str, Any]:
    """Return ``{Name: {abi, bytecode, deployedBytecode, methodIdentifiers}}``."""
    digest = hashlib.sha256()
    for path in [CHAIN_DIR / "compile.mjs", NODE_MODULES / "solc" / "package.json", *sources]:
        digest.update(path.read_bytes())
    out = BUILD / "solc" / f"{digest.hexdigest()[:16]}.json"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["node", str(CHAIN_DIR / "compile.mjs"), str(NODE_MODULES), str(out), *map(str, sources)],
            check=True,
        )
    return json.loads(out.read_text())["artifacts"]
