"""Build resources/registry/authorities.json (the issuers' recorded keys, ID-6) from authorities.csv.

Run: .venv/bin/python tools/build_authorities.py [CSV]
The source is ``tools/registry_sources/registries/authorities.csv`` (a verbatim copy; provenance in
that folder's README). Per issuer and chain kind, each power Backcheck reads (a fact name of the
Solana or EVM adapter) maps to the addresses a source recorded for it, each with its as-of date,
basis and source. Rows of the basis ``third-party (unattributed)`` are never recorded keys: they are
kept as conflicts (a key someone wrote down whose source could not be identified). Rows that name no
power Backcheck compares (factories, inventory wallets, URI prefixes, RFQ solvers) are listed with
the reason. A row whose role text the script does not know stops the build: each role is mapped on
purpose, never guessed.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from backcheck.core.addresses import normalize_solana

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "tools" / "registry_sources" / "registries" / "authorities.csv"
OUT = ROOT / "resources" / "registry" / "authorities.json"

# The CSV's issuer column → the registry's issuer key.
ISSUERS = {
    "Backed Finance (xStocks)": "backed",
    "Backed Finance (xStocks and bTokens)": "backed",
    "Ondo Global Markets": "ondo",
    "Backpack Securities": "backpack",
    "PreStocks": "prestocks",
    "Securitize Stocks": "securitize",
    "Superstate Opening Bell": "superstate",
    "Shift": "shift",
    "Robinhood (Stock Tokens)": "robinhood",
    "Dinari (dShares)": "dinari",
}
UNATTRIBUTED = "third-party (unattributed)"
ROLE_MODEL = "issuer (role model only)"
MULTIPLIER = "multiplier_authority"  # the Solana fact of the Scaled UI Amount authority
# Role text → the facts it names (Solana adapter AUTHORITIES; EVM: proxy_admin of a BeaconProxy is its beacon).
POWERS: dict[str, tuple[str, ...]] = {
    "mint_authority": ("mint_authority",),
    "freeze_authority": ("freeze_authority",),
    "freeze_authority (CONFLICTING observation)": ("freeze_authority",),
    "pause_authority": ("pause_authority",),
    "permanent_delegate": ("permanent_delegate",),
    "metadata_update_authority": ("metadata_update_authority",),
    "scaled_ui_amount_authority": (MULTIPLIER,),
    "scaled_ui_amount_authority (multiplier updater)": (MULTIPLIER,),
    "permanent_delegate + freeze_authority": ("permanent_delegate", "freeze_authority"),
    "permanent_delegate + scaled_ui_amount_authority": ("permanent_delegate", MULTIPLIER),
    "permanent_delegate + pause + metadata_update + scaled_ui_amount authority": (
        "permanent_delegate",
        "pause_authority",
        "metadata_update_authority",
        MULTIPLIER,
    ),
    "mint + freeze + permanent_delegate + metadata_update authority": (
        "mint_authority",
        "freeze_authority",
        "permanent_delegate",
        "metadata_update_authority",
    ),
    "dShare UpgradeableBeacon v0.3.1": ("proxy_admin",),
    "wrapped dShare UpgradeableBeacon v0.3.1": ("proxy_admin",),
    "dShare UpgradeableBeacon v1.0.0 (production)": ("proxy_admin",),
    "wrapped dShare UpgradeableBeacon v1.0.0 (production)": ("proxy_admin",),
}
# Role text (or its start) → why Backcheck does not compare it with a token's powers.
NOT_COMPARED = {
    "metadata_pointer_authority": "not a power Backcheck reads into a fact",
    "confidential_transfer_authority": "not a power Backcheck reads into a fact",
    "transfer_hook_authority": "not a power Backcheck reads into a fact",
    "issuer_inventory_owner": "an inventory wallet, not a power over the token",
    "issuer_inventory_wallet": "an inventory wallet, not a power over the token",
    "metadata_uri_prefix": "not an address (ID-1 checks the metadata URI)",
    "token_factory": "a factory, not a power over a deployed token",
    "program (ondo-gm": "the issuer's program; the token's powers are its PDA, recorded separately",
    "admin_minter": "a role inside the issuer's program, not a power on the mint",
    "UpdateMultiplierRole holder": "a role inside the issuer's program, not a power on the mint",
    "authorized_solver": "an RFQ maker, not a power over the token",
    "token deployer EOA": "a deployer, not a power over a deployed token",
    "GMTokenManager": "a mint/redeem manager, not a power fact Backcheck reads",
    "allowlist program": "a program holding freeze logic, not an authority fact",
    "equity burn address": "a burn address, not a power over the token",
    "StockFactory": "a factory, not a power over a deployed token",
    "Stock implementation": "an implementation, not a power holder",
    "DShareFactory": "a factory, not a power over a deployed token",
    "TransferRestrictor": "a transfer-restriction contract, not a power fact Backcheck reads",
    "OrderProcessor": "an order processor, not a power over the token",
}
# Exceptions a row's note states: Ondo's USDon is created with the mint-authority PDA as permanent delegate.
EXCEPTIONS = {("ondo", "solana", "permanent_delegate"): {"USDon": "9foMHsSDq7nMg4WPusSz9eY7tyxyukqborA8GyU5cUxD"}}
# Dates of sources whose rows give a commit without one (every other commit's date is in a row of the CSV).
COMMIT_DATES = {
    # Poglavar/rwa-sonar securitize-stocks.json: statusCheckedAt 2026-10-08 (securitize_stocks.csv, SOURCES.md).
    "19d6a41a2c16ee76740a829db8a03d7759cfce11": "2026-10-08",
}
DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
COMMIT = re.compile(r"\b([0-9a-f]{40})\b")
SLOT = re.compile(r"^slot (\d+)$")


class Refused(Exception):
    """A row the build cannot place; the message names the line."""


def _address(text: str, kind: str) -> str:
    if kind == "evm":
        if not re.fullmatch(r"0x[0-9a-fA-F]{40}", text):
            raise ValueError(f"{text!r} is not an EVM address")
        return to_checksum_address(text)
    return normalize_solana(text)


def _kind(chain: str) -> str:
    return "solana" if chain == "Solana" else "evm"


def _dates(rows: list[dict[str, str]]) -> dict[str, str]:
    """Each commit's date where some row states it beside the commit."""
    known = dict(COMMIT_DATES)
    for row in rows:
        text = row["source_commit_or_date"]
        commit, date = COMMIT.search(text), DATE.search(text)
        if commit and date:
            known.setdefault(commit.group(1), date.group(1))
    return known


def _as_of(row: dict[str, str], dates: dict[str, str]) -> str:
    """The row's date, its commit's date, its slot, or the undated commit it names."""
    text = row["source_commit_or_date"]
    if date := DATE.search(text):
        return date.group(1)
    commit = COMMIT.search(text)
    if commit and commit.group(1) in dates:
        return dates[commit.group(1)]
    if slot := SLOT.match(text):
        return f"slot {slot.group(1)}"
    if commit:
        return f"commit {commit.group(1)[:8]} (undated)"
    raise Refused(f"no as-of date in {text!r}")


def _source(row: dict[str, str]) -> str:
    return f"{row['source_repo']}: {row['source_path']} @ {row['source_commit_or_date']}"


def _skip_reason(role: str) -> str | None:
    return next((why for start, why in NOT_COMPARED.items() if role.startswith(start)), None)


def build(path: Path = CSV, say: Callable[[str], None] = print) -> dict[str, Any]:
    """The authorities document; ``say`` hears what became of the rows."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    dates = _dates(rows)
    issuers: dict[str, dict[str, Any]] = {}
    conflicts: list[dict[str, Any]] = []
    not_compared: list[dict[str, str]] = []
    for line, row in enumerate(rows, start=2):
        try:
            _place(row, dates, issuers, conflicts, not_compared)
        except (Refused, ValueError) as exc:
            raise SystemExit(f"{path.name} line {line}: {exc}") from None
    recorded = sum(len(v) for kinds in issuers.values() for keys in kinds.values() for v in keys["roles"].values())
    say(
        f"{path.name}: {len(rows)} rows → {recorded} recorded keys, {len(conflicts)} conflicts, "
        f"{len(not_compared)} not compared"
    )
    return {
        "schema": "backcheck.authorities/1",
        "built_by": "tools/build_authorities.py",
        "source": "tools/registry_sources/registries/authorities.csv (see its README for provenance)",
        "issuers": issuers,
        "conflicts": conflicts,
        "not_compared": not_compared,
    }


def _place(
    row: dict[str, str],
    dates: dict[str, str],
    issuers: dict[str, dict[str, Any]],
    conflicts: list[dict[str, Any]],
    not_compared: list[dict[str, str]],
) -> None:
    """Put one row where it belongs: a recorded key, a conflict, a gap, or not compared."""
    issuer = ISSUERS.get(row["issuer"])
    if issuer is None:
        raise Refused(f"unknown issuer {row['issuer']!r}: map it in ISSUERS")
    kind, role, basis = _kind(row["chain"]), row["role"], row["basis"]
    if basis == ROLE_MODEL:
        slot = issuers.setdefault(issuer, {}).setdefault(kind, {"roles": {}, "not_found": None})
        slot["not_found"] = f"{row['status']}; the role model is in {row['source_repo']}"
        return
    why = _skip_reason(role)
    if why is not None:
        not_compared.append(
            {"issuer": issuer, "chain": row["chain"], "role": role, "address": row["address"], "why": why}
        )
        return
    facts = POWERS.get(role)
    if facts is None:
        raise Refused(f"role {role!r} is not mapped: add it to POWERS or NOT_COMPARED")
    address = _address(row["address"], kind) if row["address"] else "none"
    chain_id = int(row["chain_id"]) if row["chain_id"] else None
    if basis == UNATTRIBUTED:
        conflicts.append(
            {"issuer": issuer, "kind": kind, "facts": list(facts), "address": address, "source": _source(row)}
            | {"note": row["notes"]}
        )
        return
    slot = issuers.setdefault(issuer, {}).setdefault(kind, {"roles": {}, "not_found": None})
    for fact in facts:
        entry = {
            "address": address,
            "as_of": _as_of(row, dates),
            "basis": basis,
            "method": row["status"],
            "source": _source(row),
            "chain_id": chain_id,
            "except": EXCEPTIONS.get((issuer, kind, fact), {}),
        }
        slot["roles"].setdefault(fact, []).append(entry)


def main() -> None:
    doc = build(Path(sys.argv[1]) if len(sys.argv) > 1 else CSV)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
