"""Build resources/registry/factories.json from tools/registry_sources/factories/factory_rows.csv.

Run: .venv/bin/python tools/build_factories.py
Each factory keeps its issuer, chain, address, how its list is read (``getDShares`` or the
``Deployed`` events), its basis (``issuer``: the issuer's own repository declares it; else
``third-party``) and its source (repository, path, commit or date).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from backcheck.core.chains import chain_by_id

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "registry_sources" / "factories" / "factory_rows.csv"
OUT = ROOT / "resources" / "registry" / "factories.json"
# The `issuer` column → registry key and the name shown for the issuer.
ISSUERS = {
    "Dinari (dShares)": ("dinari", "Dinari, Inc. (dShares)"),
    "Robinhood (Stock Tokens)": ("robinhood", "Robinhood (Stock Tokens)"),
}
DATE = re.compile(r"\d{4}-\d\d-\d\d|\b\d{4}\b")


def build(source: Path = SOURCE) -> dict[str, Any]:
    """The factories document of the source rows."""
    factories = []
    with source.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            key, _ = ISSUERS[row["issuer"]]
            chain = chain_by_id(int(row["chain_id"]))
            if chain is None:
                raise SystemExit(f"{source.name}:{n}: chain id {row['chain_id']} is not in core/chains.py")
            role = row["role"]
            kind = "dshares" if role.startswith("DShareFactory") else "deployed-events"
            commit = row["source_commit_or_date"]
            where = f"{row['source_repo']}: {row['source_path']}".rstrip(": ")
            date = DATE.search(commit)
            factories.append(
                {
                    "issuer": key,
                    "chain": chain.key,
                    "address": to_checksum_address(row["address"]),
                    "kind": kind,
                    "role": role,
                    "basis": "issuer" if row["basis"] == "issuer" else "third-party",
                    "listed_by": row["source_repo"].strip("()"),
                    "source": f"{where} @ {commit}" if commit else where,
                    "as_of": date.group(0) if date else commit,
                    "from_block": 0,
                }
            )
    return {
        "schema": "backcheck.factories/1",
        "built_by": "tools/build_factories.py from tools/registry_sources/factories/factory_rows.csv",
        "issuers": {key: {"name": name} for key, name in ISSUERS.values()},
        "factories": factories,
    }


def main() -> None:
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
