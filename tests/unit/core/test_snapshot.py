"""Snapshot files: deterministic, verified on opening, and every bad file is one sentence."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from backcheck.core import snapshot
from backcheck.core.errors import BadInput
from backcheck.core.facts import Fact
from backcheck.core.lookup import Inspection, SourceState
from backcheck.core.recording import Recorder
from backcheck.core.report import make_report
from tests.unit.core.rules.support import EVM, NOW, REGISTRY, SOURCE

FACTS = {
    "total_supply": Fact(Decimal("10021.5"), "tokens", SOURCE, "eth_call totalSupply()", 17, NOW),
    "holders_count": Fact(6, "holders", SOURCE, "logs", 17, NOW),
    "paused": Fact(False, "flag", SOURCE, "eth_call paused()", 17, NOW),
    "token_name": Fact("Apple <b>xStock</b>", "text", SOURCE, "eth_call name()", 17, NOW),
    "top_holders": Fact([{"address": "0x1", "share": "0.5"}], "table", SOURCE, "logs", 17, NOW),
    "chain_time": Fact("2026-06-01T14:59:00+00:00", "time", SOURCE, "multicall", 17, NOW),
    "reserves": Fact.unknown("the feed did not answer", unit="shares", source=SOURCE, method="latestRoundData()"),
}
INSPECTION = Inspection(EVM, FACTS, [SourceState("EVM RPC ethereum", "http://127.0.0.1:8545", "ok")], NOW)


def raw_exchange() -> Recorder:
    recorder = Recorder()
    recorder.add(
        "GET", "https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161", {"apiKey": "sekret-key-1"},
        None, 200, b'{"ok": true}', NOW,
    )  # fmt: skip
    return recorder


def saved(tmp_path, name: str = "a.backcheck") -> tuple:
    path = tmp_path / name
    recorder = raw_exchange()
    digest = snapshot.save(path, make_report(INSPECTION, REGISTRY, now=NOW), recorder.exchanges)
    return path, digest


def rezip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


def entries_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def test_round_trip_keeps_every_fact_with_its_type(tmp_path):
    path, digest = saved(tmp_path)
    opened = snapshot.read(path)
    assert opened.digest == digest == hashlib.sha256(entries_of(path)["manifest.json"]).hexdigest()
    assert opened.inspection.facts == FACTS
    assert opened.inspection.target == EVM and opened.inspection.generated_at == NOW
    assert opened.kind == "live" and opened.manifest["token"]["chain"] == "ethereum"


def test_a_reopened_snapshot_is_judged_as_of_its_time_and_dq3_against_now(tmp_path):
    path, _ = saved(tmp_path)
    live = make_report(INSPECTION, REGISTRY, now=NOW)
    later = snapshot.open_report(snapshot.read(path), REGISTRY, now=NOW + timedelta(days=40))
    status = {f.id: f.status for f in later.findings}
    assert {f.id: f.status for f in live.findings} == {**status, "DQ-3": "pass"}
    assert status["DQ-3"] == "caution"
    assert later.document["as_of"] == live.document["as_of"]
    assert later.document["evaluated_by"]["evaluated_at"].startswith("2026-07-11")
    assert later.document["snapshot"] == {"digest": snapshot.read(path).digest, "file": "a.backcheck"}


def test_keys_never_reach_the_file(tmp_path):
    path, _ = saved(tmp_path)
    blob = b"".join(entries_of(path).values())
    assert b"9aa3d95b3bc440fa88ea12eaa4456161" not in blob and b"sekret-key-1" not in blob
    raw = json.loads(entries_of(path)["raw/0000.json"])
    assert raw["url"] == "https://mainnet.infura.io/v3/<redacted>" and raw["params"] == {"apiKey": "<redacted>"}


def test_same_content_same_bytes(tmp_path):
    report = make_report(INSPECTION, REGISTRY, now=NOW)
    first = snapshot.build(report.document, INSPECTION, [])
    assert first == snapshot.build(report.document, INSPECTION, [])
    with zipfile.ZipFile(io.BytesIO(first[0])) as archive:
        assert archive.namelist() == sorted(archive.namelist())


def test_save_is_atomic_and_refuses_bad_places(tmp_path):
    report = make_report(INSPECTION, REGISTRY, now=NOW)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BadInput, match="does not exist"):
        snapshot.save(out / "missing" / "a.backcheck", report, [])
    with pytest.raises(BadInput, match="ends in .backcheck"):
        snapshot.save(out / "a.zip", report, [])
    with pytest.raises(BadInput, match="Cannot write in /proc"):  # a folder nobody may create files in, even root
        snapshot.save(Path("/proc/a.backcheck"), report, [])
    assert list(out.iterdir()) == []
    snapshot.save(out / "a.backcheck", report, [])
    assert [p.name for p in out.iterdir()] == ["a.backcheck"]  # no temp file left beside it


def tampered(tmp_path, change) -> bytes:
    path, _ = saved(tmp_path)
    entries = entries_of(path)
    change(entries)
    return rezip(entries)


def manifest_edit(edit):
    def change(entries):
        manifest = json.loads(entries["manifest.json"])
        edit(manifest)
        entries["manifest.json"] = json.dumps(manifest).encode()

    return change


BAD = {
    "not a zip": (lambda tmp: b"%PDF-1.4 renamed to .backcheck", "not a ZIP file"),
    "truncated": (lambda tmp: saved(tmp)[0].read_bytes()[:-200], "not a ZIP file, or cut short"),
    "empty": (lambda tmp: b"", "not a ZIP file"),
    "report altered": (
        lambda tmp: tampered(tmp, lambda e: e.update({"report.json": e["report.json"].replace(b"pass", b"PASS")})),
        "altered after saving",
    ),
    "inspection altered": (
        lambda tmp: tampered(tmp, lambda e: e.update({"inspection.json": e["inspection.json"] + b" "})),
        "altered after saving",
    ),
    "entry added": (lambda tmp: tampered(tmp, lambda e: e.update({"raw/0001.json": b"{}"})), "it was altered"),
    "entry removed": (lambda tmp: tampered(tmp, lambda e: e.pop("raw/0000.json")), "it was altered"),
    "no manifest": (lambda tmp: tampered(tmp, lambda e: e.pop("manifest.json")), "has no manifest"),
    "path traversal": (
        lambda tmp: tampered(tmp, lambda e: e.update({"../../evil.json": b"{}"})),
        "unsafe or unknown name",
    ),
    "absolute path": (lambda tmp: tampered(tmp, lambda e: e.update({"/etc/x.json": b"{}"})), "unsafe"),
    "unknown entry": (lambda tmp: tampered(tmp, lambda e: e.update({"run.sh": b"rm -rf"})), "unsafe or unknown"),
    "newer format": (
        lambda tmp: tampered(tmp, manifest_edit(lambda m: m.update(schema="backcheck.snapshot/2"))),
        "made by a newer Backcheck (snapshot format 2",
    ),
    "format 0": (
        lambda tmp: tampered(tmp, manifest_edit(lambda m: m.update(schema="backcheck.snapshot/0"))),
        "not one Backcheck ever wrote",
    ),
    "not a snapshot manifest": (
        lambda tmp: tampered(tmp, manifest_edit(lambda m: m.update(schema="something/1"))),
        "does not say it is a Backcheck snapshot",
    ),
    "manifest invalid": (
        lambda tmp: tampered(tmp, manifest_edit(lambda m: m.update(kind="evil"))),
        "manifest is not valid at kind",
    ),
    "manifest not json": (
        lambda tmp: tampered(tmp, lambda e: e.update({"manifest.json": b"{not json"})),
        "manifest.json is not valid JSON",
    ),
    "deep nesting": (
        lambda tmp: tampered(tmp, lambda e: e.update({"manifest.json": b"[" * 100_000 + b"]" * 100_000})),
        "nested deeper than 64 levels",
    ),
    "manifest not utf-8": (
        lambda tmp: tampered(tmp, lambda e: e.update({"manifest.json": b"\xff\xfe{}"})),
        "not valid JSON (not UTF-8)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_one_sentence(tmp_path, case):
    make, text = BAD[case]
    path = tmp_path / "bad.backcheck"
    path.write_bytes(make(tmp_path))
    with pytest.raises(BadInput) as error:
        snapshot.read(path)
    message = str(error.value)
    assert text in message and message.startswith("bad.backcheck cannot be opened:") and "\n" not in message


def test_a_damaged_inspection_names_the_path(tmp_path):
    def damage(entries):
        doc = json.loads(entries["inspection.json"])
        doc["facts"]["total_supply"]["value"] = "NaN"
        body = json.dumps(doc).encode()
        entries["inspection.json"] = body
        manifest = json.loads(entries["manifest.json"])
        for entry in manifest["entries"]:
            if entry["path"] == "inspection.json":
                entry.update(sha256=hashlib.sha256(body).hexdigest(), size=len(body))
        entries["manifest.json"] = json.dumps(manifest).encode()

    path = tmp_path / "bad.backcheck"
    path.write_bytes(tampered(tmp_path, damage))
    with pytest.raises(BadInput, match=r"inspection.facts.total_supply.value is not a decimal value"):
        snapshot.read(path)


def test_zip_bomb_is_refused_before_it_unpacks(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_ENTRY_BYTES", 1 << 16)
    bomb = tmp_path / "bomb.backcheck"
    bomb.write_bytes(
        tampered(tmp_path, lambda e: e.update({"report.json": b"0" * (1 << 20)}))  # 1 MiB of zeros: ~1 KiB packed
    )
    assert bomb.stat().st_size < 20_000
    with pytest.raises(BadInput, match="unpacks to more than a snapshot may hold"):
        snapshot.read(bomb)


def test_a_lying_declared_size_is_caught_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_ENTRY_BYTES", 1 << 16)
    data = bytearray(tampered(tmp_path, lambda e: e.update({"report.json": b"0" * (1 << 20)})))
    # Rewrite the declared uncompressed size (central directory) to 10 bytes: the reader must not trust it.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("report.json")
    assert info.file_size == 1 << 20
    path = tmp_path / "liar.backcheck"
    offset = bytes(data).find(b"report.json", bytes(data).find(b"PK\x01\x02"))
    start = bytes(data).rfind(b"PK\x01\x02", 0, offset)
    data[start + 24 : start + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match="unpacks to more than a snapshot may hold|damaged or cut short"):
        snapshot.read(path)


def test_too_many_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_ENTRIES", 3)
    path, _ = saved(tmp_path)
    with pytest.raises(BadInput, match="holds 4 entries, more than 3"):
        snapshot.read(path)


def test_missing_file_folder_and_demo(tmp_path):
    with pytest.raises(BadInput, match="does not exist"):
        snapshot.read(tmp_path / "nope.backcheck")
    with pytest.raises(BadInput, match="is a folder"):
        snapshot.read(tmp_path)
    with pytest.raises(BadInput, match="There is no demo called 'no-such-demo'"):
        snapshot.load_source("demo:no-such-demo")
    with pytest.raises(BadInput, match="There is no demo called '../x'"):
        snapshot.load_source("demo:../x")


def test_older_formats_go_through_one_converter_per_version(tmp_path, monkeypatch):
    """Electrum's pattern: format n is upgraded by UPGRADERS[n], then by n+1 … up to the current one."""
    path, _ = saved(tmp_path)  # a format-1 file
    monkeypatch.setattr(snapshot, "VERSION", 3)
    calls = []

    def upgrader(version):
        def up(manifest, entries):
            calls.append(version)
            return {**manifest, "schema": f"backcheck.snapshot/{version + 1}"}, entries

        return up

    monkeypatch.setattr(snapshot, "UPGRADERS", {1: upgrader(1), 2: upgrader(2)})
    monkeypatch.setattr(snapshot, "_validate", lambda manifest, name: None)
    assert snapshot.read(path).manifest["schema"] == "backcheck.snapshot/3" and calls == [1, 2]


def test_demos_are_listed_from_their_manifests_and_bad_files_skipped(tmp_path):
    folder = tmp_path / "demos"
    folder.mkdir()
    live, _ = saved(folder, "live.backcheck")  # a snapshot with no demo label: not a demo
    snapshot.as_demo(live, folder / "b-demo.backcheck", name="b-demo", title="B <b>title</b>", teaches="teaches")
    (folder / "a-broken.backcheck").write_bytes(b"not a zip")
    (folder / "notes.txt").write_text("not a snapshot name")
    found = snapshot.demos(folder)
    assert [(d.name, d.title, d.teaches) for d in found] == [("b-demo", "B <b>title</b>", "teaches")]
    assert found[0].path == folder / "b-demo.backcheck"
    assert snapshot.demos(tmp_path / "missing") == []


def test_the_shipped_demos_all_list_and_open():
    shipped = snapshot.demos()
    assert len(shipped) >= 8 and [d.name for d in shipped] == sorted(d.name for d in shipped)
    assert snapshot.demo_names() == [(d.name, d.title) for d in shipped]
    for demo in shipped:
        assert snapshot.read(demo.path).manifest["demo"]["title"] == demo.title


def test_a_registry_row_keeps_its_basis_and_a_missing_decimals_through_a_snapshot(tmp_path):
    import dataclasses

    third_party = dataclasses.replace(
        EVM.deployment, decimals=None, basis="third-party", listed_by="someone/list: tokens.json"
    )
    target = dataclasses.replace(EVM, deployment=third_party)
    report = make_report(Inspection(target, FACTS, [], NOW), REGISTRY, now=NOW)
    path = tmp_path / "t.backcheck"
    snapshot.save(path, report, [])
    back = snapshot.read(path).inspection.target.deployment
    assert (back.decimals, back.basis, back.listed_by) == (None, "third-party", "someone/list: tokens.json")
