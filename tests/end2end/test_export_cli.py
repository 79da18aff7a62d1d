"""``backcheck export SOURCE --pdf … --html …`` as a user runs it: offline, without a display, one-sentence errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from backcheck.core.answers import ICONS, WORDS
from backcheck.core.snapshot import load_source
from backcheck.gui import launcher

BACKCHECK = Path(sys.executable).with_name("backcheck")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BACKCHECK), *args], capture_output=True, text=True, timeout=120, env=env)


def pdftotext(path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext is missing: install poppler-utils (tools/bootstrap.sh --test)"
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: an export reads only the snapshot."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network used by an offline export: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_export_a_demo_with_no_display(tmp_path):
    """No DISPLAY and no QT_QPA_PLATFORM: the command picks the offscreen platform by itself."""
    pdf, html = tmp_path / "over-issued.pdf", tmp_path / "over-issued.html"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    result = run("export", "demo:over-issued", "--pdf", str(pdf), "--html", str(html), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"backcheck: wrote {pdf}", f"backcheck: wrote {html}"]
    document = load_source("demo:over-issued")[1].document
    text = pdftotext(pdf)
    assert document["token"]["symbol"] in text and "DEMO" in text
    assert all(f["id"] in text for f in document["findings"])
    statuses = {f["id"]: f["status"] for f in document["findings"]}
    assert statuses["RS-2"] == "critical" and f"{ICONS['critical']} {WORDS['critical']}" in text  # its red flag
    tool = shutil.which("pdfdetach")
    assert tool is not None, "pdfdetach is missing: install poppler-utils (tools/bootstrap.sh --test)"
    listing = subprocess.run([tool, "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "over-issued.backcheck" in listing
    page = html.read_text(encoding="utf-8")
    assert document["snapshot"]["digest"] in page and "DEMO" in page


def test_export_through_the_launcher_with_the_network_off(qapp, no_network, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    code = launcher.main(["export", "demo:stale-reserve", "--pdf", str(out / "r.pdf")])
    assert code == 0, capsys.readouterr().err
    assert "RS-1" in pdftotext(out / "r.pdf")
    assert [p.name for p in out.iterdir()] == ["r.pdf"]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["demo:clean"], "Give --pdf OUT.pdf, --html OUT.html or both"),
        (["demo:nope", "--pdf", "{out}/r.pdf"], "There is no demo called 'nope'"),
        (["{out}/missing.backcheck", "--html", "{out}/r.html"], "missing.backcheck does not exist"),
        (["demo:clean", "--pdf", "{out}/r.pdf", "--html", "{out}/nope/r.html"], "the folder {out}/nope does not exist"),
        (["demo:clean", "--pdf", "{out}"], "it is a folder"),
        (["demo:clean", "--pdf", "{out}/r.pdf", "--bogus"], "Unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(tmp_path, args, text):
    out = tmp_path / "out"
    out.mkdir()
    result = run("export", *(a.format(out=out) for a in args))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backcheck: ") and text.format(out=out) in lines[0], lines
    assert list(out.iterdir()) == []
