"""Snapshots end to end: save from a live run on the test chain, open offline, diff after a change."""

import json
import socket
import zipfile

import jsonschema
import pytest

from backcheck.core.cli import main
from backcheck.core.resources import resource_path
from tests.end2end.test_cli import _transact

SCHEMA = json.loads(resource_path("schema", "report.schema.json").read_text())


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt fails the test: opening a snapshot must not touch the network."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network used while offline: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def live(chain, xstocks_api, path, capsys) -> dict:
    code, out, err = cli(
        capsys, "inspect", "AAPLx", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}",
        "--api", f"xstocks={xstocks_api.url}", "--holders", "logs", "--json", "--save", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert f"saved {path}" in err
    return json.loads(out)


def findings(report: dict) -> dict[str, str]:
    return {f["id"]: f["status"] for f in report["findings"]}


@pytest.mark.chain
def test_saved_snapshot_opens_offline_with_the_same_findings_and_figures(chain, xstocks_api, tmp_path, capsys):
    path = tmp_path / "aaplx.backcheck"
    made = live(chain, xstocks_api, path, capsys)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert names == sorted(names) and names[:3] == ["inspection.json", "manifest.json", "raw/0000.json"]
    assert manifest["raw"]["exchanges"] == len([n for n in names if n.startswith("raw/")]) > 0
    assert manifest["chains"][0]["chain_id"] == 1 and manifest["chains"][0]["block"] is not None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", lambda *a: pytest.fail("network used while offline"))
        code, out, err = cli(capsys, "open", str(path), "--json")
    assert code == 0, err
    opened = json.loads(out)
    jsonschema.validate(opened, SCHEMA)
    assert findings(opened) == findings(made)
    assert {k: v["value"] for k, v in opened["facts"].items()} == {k: v["value"] for k, v in made["facts"].items()}
    assert opened["as_of"] == made["as_of"] and opened["kind"] == "live"
    assert len(opened["snapshot"]["digest"]) == 64 and opened["snapshot"]["file"] == "aaplx.backcheck"
    code, text, _ = cli(capsys, "open", str(path))
    assert f"digest {opened['snapshot']['digest']}" in text and f"As of {made['as_of']}" in text


@pytest.mark.chain
def test_diff_names_the_pause_and_ct4(chain, xstocks_api, tmp_path, capsys):
    before, after = tmp_path / "before.backcheck", tmp_path / "after.backcheck"
    live(chain, xstocks_api, before, capsys)
    _transact(chain, "pauser", "aaplx", "BackedAutoFeeToken", "setPause(bool)", True)
    live(chain, xstocks_api, after, capsys)
    code, out, err = cli(capsys, "diff", str(before), str(after), "--json")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    assert changes[0]["kind"] == "finding" and changes[0]["key"] == "CT-4" and changes[0]["after"] == "critical"
    assert {"kind": "fact", "key": "paused"} in [{"kind": c["kind"], "key": c["key"]} for c in changes]
    code, text, _ = cli(capsys, "diff", str(before), str(after))
    assert "CT-4" in text.splitlines()[1] and "paused" in text


@pytest.mark.chain
def test_saving_twice_is_byte_identical_but_for_what_was_measured(chain, xstocks_api, tmp_path, capsys):
    """Deterministic ZIP: fixed entry times and order, so the same content gives the same bytes."""
    from backcheck.core import snapshot

    path = tmp_path / "a.backcheck"
    live(chain, xstocks_api, path, capsys)
    opened = snapshot.read(path)
    copy = tmp_path / "b.backcheck"
    snapshot.as_demo(path, copy, name="x", title="X", teaches="t")
    again = tmp_path / "c.backcheck"
    snapshot.as_demo(path, again, name="x", title="X", teaches="t")
    assert copy.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(copy) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert snapshot.read(copy).digest != opened.digest and snapshot.read(copy).kind == "demo"


@pytest.mark.usefixtures("no_network")
def test_offline_refuses_a_live_inspection_in_one_sentence(capsys):
    code, out, err = cli(capsys, "inspect", "AAPLx", "--chain", "ethereum", "--offline")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--offline was given" in err and "backcheck demo" in err
