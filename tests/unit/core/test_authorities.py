"""The issuers' recorded keys: the committed resource is the build script's output, and only real keys ship."""

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from backcheck.core.authorities import Authorities, compare, holders

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def script():
    """tools/build_authorities.py as a module."""
    spec = importlib.util.spec_from_file_location("build_authorities", ROOT / "tools" / "build_authorities.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_resource_is_the_scripts_output(script):
    assert script.CSV == ROOT / "tools" / "registry_sources" / "registries" / "authorities.csv"  # inside the clone
    said = []
    assert script.build(say=said.append) == json.loads(
        (ROOT / "resources" / "registry" / "authorities.json").read_text()
    )
    assert said == ["authorities.csv: 77 rows → 37 recorded keys, 2 conflicts, 44 not compared"]


def test_every_recorded_key_is_a_csv_row_that_is_not_unattributed(script):
    with script.CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    trusted = {r["address"] for r in rows if r["basis"] != "third-party (unattributed)"}
    doc = script.build(say=lambda _: None)
    recorded = [
        e for kinds in doc["issuers"].values() for k in kinds.values() for es in k["roles"].values() for e in es
    ]
    assert recorded
    for entry in recorded:
        assert entry["address"] in trusted | {"none"}
        assert entry["basis"] in ("issuer", "third-party")
        assert entry["as_of"] and entry["source"]
    book = Authorities.from_doc(doc)
    for conflict in book.conflicts:  # kept to mention, never as the issuer's key for that power
        keys = book.keys(conflict.issuer, conflict.kind)
        for fact in conflict.facts:
            assert conflict.address not in {r.address for r in (keys.roles.get(fact, ()) if keys else ())}


def test_xstocks_and_ondo_evm_keys_are_not_published(script):
    book = Authorities.from_doc(script.build(say=lambda _: None))
    for issuer in ("backed", "ondo"):
        keys = book.keys(issuer, "evm", 1)
        assert not keys.roles
        assert keys.not_found.startswith("not-found")


def test_evm_records_apply_to_their_own_chain_only(script):
    book = Authorities.from_doc(script.build(say=lambda _: None))
    on_ethereum = book.keys("dinari", "evm", 1).roles["proxy_admin"]
    assert {r.chain_id for r in on_ethereum} == {1}
    assert book.keys("dinari", "evm", 8453).roles == {}  # Base: no beacon recorded


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("role", "brand_new_role", "role 'brand_new_role' is not mapped"),
        ("issuer", "Someone Else", "unknown issuer 'Someone Else'"),
        ("address", "0x1234", "is not an EVM address"),
        ("source_commit_or_date", "whenever", "no as-of date in 'whenever'"),
    ],
)
def test_a_row_the_script_cannot_place_stops_the_build(script, tmp_path, field, value, message):
    with script.CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    row = dict(rows[-1])  # Dinari's Base factory: an EVM row
    row.update({"role": "dShare UpgradeableBeacon v0.3.1", field: value})
    broken = tmp_path / "authorities.csv"
    with broken.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, row])
    with pytest.raises(SystemExit, match=f"line {len(rows) + 2}: .*{message}"):
        script.build(broken, say=lambda _: None)


def test_observed_holders():
    assert holders("none") == holders("not present") == holders("none (the metadata is immutable)") == {"none"}
    assert holders("0xA, 0xB") == {"0xA", "0xB"}


def test_evm_keys_compare_without_case_and_every_holder_must_be_recorded():
    book = Authorities.load()
    keys = book.keys("dinari", "evm", 1)
    beacon = keys.roles["proxy_admin"][0].address
    assert compare(keys, {"proxy_admin": beacon.lower()}, None).identifies
    assert compare(keys, {"proxy_admin": beacon.upper().replace("0X", "0x")}, None).identifies
    extra = compare(keys, {"proxy_admin": f"{beacon}, 0x{'1' * 40}"}, None)
    assert extra.differ and not extra.identifies
    assert compare(keys, {}, None).unread == ("proxy_admin",)


def test_nobody_alone_identifies_nobody():
    keys = Authorities.load().keys("ondo", "solana")
    only_none = {"permanent_delegate": "none"}
    result = compare(keys, only_none, "AAPLon")
    assert result.matched and result.unread and not result.identifies


def test_usdon_is_ondos_token_with_a_permanent_delegate():
    keys = Authorities.load().keys("ondo", "solana")
    pda = keys.roles["mint_authority"][0].address
    assert compare(keys, {"permanent_delegate": pda}, "USDon").differ == ()
    assert compare(keys, {"permanent_delegate": pda}, "AAPLon").differ  # a GM stock token has none by design
