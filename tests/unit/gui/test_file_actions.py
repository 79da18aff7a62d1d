"""File and Demo menus in the real window: open, save, export and compare snapshots; demos; offline mode."""

import dataclasses
import io
import json
import socket
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from backcheck.core import snapshot
from backcheck.core.cli import main
from backcheck.core.registry import Registry
from backcheck.core.settings import Settings
from backcheck.gui.banner import DEMO_NOTE
from backcheck.gui.file_actions import default_name
from backcheck.gui.main_window import OFFLINE, RETRY_HINT, MainWindow
from backcheck.gui.settings_dialog import SettingsDialog
from tests.end2end.test_cli import _transact

PAUSED_TITLE = "Paused token with a single-key proxy admin"


def make_snapshot(chain, xstocks_api, path: Path) -> Path:
    """A live snapshot of AAPLx on the test chain, saved by the command line."""
    code = main(
        ["inspect", "AAPLx", "--chain", "ethereum", "--rpc", f"ethereum={chain.url}",
         "--api", f"xstocks={xstocks_api.url}", "--holders", "logs", "--save", str(path)]
    )  # fmt: skip
    assert code == 0 and path.is_file()
    return path


def make_demos(chain, xstocks_api, tmp_path: Path) -> Path:
    """A demo folder: the clean token, and the same token paused (each a real read relabelled)."""
    folder = tmp_path / "demos"
    folder.mkdir()
    clean = make_snapshot(chain, xstocks_api, tmp_path / "clean.backcheck")
    snapshot.as_demo(
        clean, folder / "clean-token.backcheck", name="clean-token", title="Clean token",
        teaches="What a token with nothing alarming looks like: every power governed, reserves fresh.",
    )  # fmt: skip
    _transact(chain, "pauser", "aaplx", "BackedAutoFeeToken", "setPause(bool)", True)
    paused = make_snapshot(chain, xstocks_api, tmp_path / "paused.backcheck")
    snapshot.as_demo(
        paused, folder / "paused-token.backcheck", name="paused-token", title=PAUSED_TITLE,
        teaches="The issuer can stop every transfer; here it did (CT-4).",
    )  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.fixture
def window(qtbot, registry, core, tmp_path):
    def make(demo_dir: Path | None = None, **overrides: str) -> MainWindow:
        settings = Settings.load()
        for key, value in overrides.items():
            settings.override(key.replace("_", "."), value)
        w = MainWindow(registry, settings, core, demo_dir=demo_dir or tmp_path / "no-demos")
        qtbot.add_widget(w)
        w.resize(1280, 800)
        w.show()
        qtbot.wait_exposed(w)
        return w

    return make


@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt fails the test: demos and snapshots open offline."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network used while offline: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def presentation(qapp):
    """Presentation scale: the whole application's font half as large again."""
    before = qapp.font()
    bigger = QFont(before)
    bigger.setPointSizeF(before.pointSizeF() * 1.5)
    qapp.setFont(bigger)
    yield
    qapp.setFont(before)


def shoot(qtbot, w: MainWindow, artifacts_dir: Path, name: str) -> None:
    qtbot.wait(100)  # let the layout settle, as the event loop would before a person looks
    assert w.grab().save(str(artifacts_dir / f"{name}-{QApplication.platformName()}.png"), "PNG")


def opened(qtbot, w: MainWindow, path: Path) -> None:
    """Open a snapshot the way File → Open snapshot… does once a file is chosen."""
    w.files.open_path(path)
    qtbot.wait_until(lambda: w.snapshot is not None and w.snapshot.name == path.name, timeout=10_000)


def statuses(w: MainWindow) -> dict[str, str]:
    return {f.id: f.status for f in w.report.findings}


def tree_rows(w: MainWindow) -> list[str]:
    tree = w.checklist.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


@pytest.mark.chain
@pytest.mark.parametrize("scale", ["1280x800", "presentation"])
def test_a_snapshot_opens_with_its_banner(request, qtbot, window, chain, xstocks_api, tmp_path, artifacts_dir, scale):
    if scale == "presentation":
        request.getfixturevalue("presentation")
    path = make_snapshot(chain, xstocks_api, tmp_path / "aaplx.backcheck")
    expected = snapshot.load_source(str(path))[1]
    w = window()
    assert not w.banner.isVisible() and not w.files.export_pdf_action.isEnabled()
    opened(qtbot, w, path)
    digest = snapshot.read(path).digest
    assert statuses(w) == {f.id: f.status for f in expected.findings}
    assert w.title_label.text().startswith("AAPLx — ")
    assert w.official_badge.text() == "OFFICIAL"
    assert "10,021" in w.supply_label.text()
    assert w.banner.isVisible() and w.banner.badge.text() == "SNAPSHOT"
    assert w.banner.title.text().startswith("Snapshot aaplx.backcheck: ")
    as_of = expected.document["as_of"]
    assert w.banner.as_of.text() == f"As of {as_of[:10]} {as_of[11:19]} UTC · digest {digest[:16]}…"
    assert digest in w.banner.as_of.toolTip()
    assert w.banner.as_of.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    w.banner.copy_button.click()
    assert QApplication.clipboard().text() == digest
    assert w.banner.versions.isHidden()  # made and judged by this very version
    assert w.message_label.text().startswith("When it was made — ")
    assert RETRY_HINT not in w.message_label.text()  # a search reads it again, not the file
    assert not w.files.save_action.isEnabled()  # already a file
    assert w.files.export_pdf_action.isEnabled() and w.files.compare_action.isEnabled()
    shoot(qtbot, w, artifacts_dir, f"snapshot-open-{scale}")
    # Facts measured by another version than the one judging them now: the banner says both.
    older = {"app_version": "0.0.9", "thresholds_version": "1.0.0"}
    w.banner.show_report(dataclasses.replace(w.report, document={**w.report.document, "made_by": older}))
    evaluated = w.report.document["evaluated_by"]
    assert w.banner.versions.isVisible()
    assert w.banner.versions.text() == (
        "Facts measured by Backcheck 0.0.9 (thresholds 1.0.0); judged now by Backcheck "
        f"{evaluated['app_version']} (thresholds {evaluated['thresholds_version']})."
    )


@pytest.mark.chain
@pytest.mark.parametrize("scale", ["1280x800", "presentation"])
def test_the_demo_menu_opens_each_demo_offline(
    request, qtbot, window, chain, xstocks_api, tmp_path, artifacts_dir, scale
):
    folder = make_demos(chain, xstocks_api, tmp_path)
    request.getfixturevalue("no_network")  # from here on, any connection fails the test
    if scale == "presentation":
        request.getfixturevalue("presentation")
    w = window(folder)
    assert [a.text() for a in w.files.demo_actions] == ["Clean token", PAUSED_TITLE]
    assert [a.toolTip() for a in w.files.demo_actions] == ["clean-token", "paused-token"]
    w.files.demo_actions[1].trigger()
    qtbot.wait_until(lambda: w.snapshot is not None, timeout=10_000)
    assert w.banner.badge.text() == "DEMO"
    assert w.banner.title.text() == f"{PAUSED_TITLE} — {DEMO_NOTE}"
    assert w.report.document["kind"] == "demo" and w.report.document["demo"]["name"] == "paused-token"
    assert statuses(w)["CT-4"] == "critical"
    assert tree_rows(w)[0].startswith("[CRITICAL]")
    assert w.stack.currentWidget() is not w.welcome
    shoot(qtbot, w, artifacts_dir, f"demo-open-{scale}")


@pytest.mark.chain
@pytest.mark.parametrize("scale", ["1280x800", "presentation"])
def test_the_window_starts_on_the_welcome_panel(
    request, qtbot, window, chain, xstocks_api, tmp_path, artifacts_dir, scale
):
    folder = make_demos(chain, xstocks_api, tmp_path)
    if scale == "presentation":
        request.getfixturevalue("presentation")
    w = window(folder)
    assert w.stack.currentWidget() is w.welcome
    assert [b.text() for b in w.welcome.buttons] == ["Clean token", PAUSED_TITLE]
    assert w.welcome.descriptions[1].text() == "The issuer can stop every transfer; here it did (CT-4)."
    assert not w.banner.isVisible()
    shoot(qtbot, w, artifacts_dir, f"welcome-{scale}")
    w.welcome.buttons[1].click()
    qtbot.wait_until(lambda: w.snapshot is not None, timeout=10_000)
    assert w.stack.currentWidget() is not w.welcome
    assert w.banner.badge.text() == "DEMO"


@pytest.mark.parametrize("scale", ["1280x800", "presentation"])
def test_the_shipped_demos_are_offered(request, qtbot, registry, core, artifacts_dir, scale):
    """Whatever resources/demo holds is in the Demo menu and on the welcome panel."""
    if scale == "presentation":
        request.getfixturevalue("presentation")
    w = MainWindow(registry, Settings.load(), core)
    qtbot.add_widget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.wait_exposed(w)
    shipped = snapshot.demo_names()
    assert [(a.toolTip(), a.text()) for a in w.files.demo_actions] == [(n, t.replace("&", "&&")) for n, t in shipped]
    assert [b.toolTip() for b in w.welcome.buttons] == [name for name, _ in shipped]
    assert w.stack.currentWidget() is w.welcome
    shoot(qtbot, w, artifacts_dir, f"welcome-shipped-{scale}")
    request.getfixturevalue("no_network")
    for button in w.welcome.buttons[-1:]:  # the last shipped demo, when there is one
        button.click()
        qtbot.wait_until(lambda: w.snapshot is not None, timeout=10_000)
        assert w.banner.badge.text() == "DEMO" and w.report.document["kind"] == "demo"
        shoot(qtbot, w, artifacts_dir, f"demo-shipped-open-{scale}")


def test_menus_and_shortcuts(qtbot, window):
    w = window()
    files = w.files
    assert files.open_action.shortcut().toString() == "Ctrl+O"
    assert files.save_action.shortcut().toString() == "Ctrl+S"
    assert files.settings_action.shortcut().toString() == "Ctrl+,"
    assert [m.title() for m in (a.menu() for a in w.menuBar().actions())] == [
        "&File",
        "&Demo",
        "&Registry",
        "&Wallet",
        "&View",
    ]
    for action in (files.save_action, files.export_pdf_action, files.export_html_action, files.compare_action):
        assert not action.isEnabled()  # nothing on screen yet
    files.settings_action.trigger()
    dialog = w.findChild(SettingsDialog, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


@pytest.mark.chain
def test_a_demo_title_is_plain_text(qtbot, window, chain, xstocks_api, tmp_path):
    """A demo file comes from anyone: its title is never markup, never a menu shortcut."""
    folder = tmp_path / "demos"
    folder.mkdir()
    (folder / "broken.backcheck").write_bytes(b"not a zip")  # left out, never stops the window
    assert snapshot.demos(folder) == [] and snapshot.demos(tmp_path / "absent") == []
    live = make_snapshot(chain, xstocks_api, tmp_path / "live.backcheck")
    title = "<b>Bold</b> & <a href='https://x.example'>link</a>"
    snapshot.as_demo(live, folder / "odd.backcheck", name="odd", title=title, teaches="<i>t</i>")
    w = window(folder)
    assert [d.name for d in w.files.demos] == ["odd"]
    assert w.files.demo_actions[0].text() == title.replace("&", "&&")
    w.files.demo_actions[0].trigger()
    qtbot.wait_until(lambda: w.snapshot is not None, timeout=10_000)
    assert w.banner.title.text() == f"{title} — {DEMO_NOTE}"
    assert w.banner.title.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.chain
def test_save_reopen_export_and_refusals(qtbot, window, chain, xstocks_api, tmp_path):
    w = window(rpc_ethereum=chain.url, api_xstocks=xstocks_api.url, holders_method="logs")
    assert not w.files.save_action.isEnabled()
    w.search_edit.setText("AAPLx")
    w.chain_combo.setCurrentIndex(w.chain_combo.findData("ethereum"))
    w.search()
    qtbot.wait_until(lambda: w.report is not None, timeout=15_000)
    live = statuses(w)
    assert w.files.save_action.isEnabled() and not w.banner.isVisible()
    doc = w.report.document
    assert default_name(doc, ".backcheck") == f"AAPLx-ethereum-{doc['as_of'][:10]}.backcheck"

    # Unwritable places: one sentence, nothing written.
    w.files.save_to(tmp_path / "no-such-folder" / "a.backcheck")
    box = told(qtbot, w)
    assert box.text() == f"Cannot write {tmp_path / 'no-such-folder' / 'a.backcheck'}: the folder " \
        f"{tmp_path / 'no-such-folder'} does not exist."  # fmt: skip
    assert box.textFormat() == Qt.TextFormat.PlainText
    w.files.export_to(tmp_path / "nowhere" / "a.pdf", "pdf")
    box = told(qtbot, w)
    assert "nowhere" in box.text() and box.text().count("\n") == 0
    assert not list(tmp_path.glob("**/*.part"))

    # Save and export in the background; then reopen: the same findings, now with the snapshot's banner.
    path = tmp_path / "mine.backcheck"
    w.files.save_to(path)
    qtbot.wait_until(lambda: "Saved" in w.statusBar().currentMessage(), timeout=10_000)
    assert path.is_file() and snapshot.read(path).digest[:16] in w.statusBar().currentMessage()
    for fmt in ("pdf", "html"):
        exported(qtbot, w, tmp_path / f"live.{fmt}", fmt)
    assert (tmp_path / "live.pdf").read_bytes().startswith(b"%PDF")
    assert "AAPLx" in (tmp_path / "live.html").read_text()
    opened(qtbot, w, path)
    assert statuses(w) == live
    assert w.banner.isVisible() and not w.files.save_action.isEnabled()
    w.files.save_to(tmp_path / "again.backcheck")
    assert "Only a report read live can be saved" in told(qtbot, w).text()
    # A snapshot's PDF carries the snapshot itself.
    exported(qtbot, w, tmp_path / "snap.pdf", "pdf")
    assert "mine.backcheck".encode("utf-16-be") in (tmp_path / "snap.pdf").read_bytes()
    assert b"/EmbeddedFiles" in (tmp_path / "snap.pdf").read_bytes()
    assert b"/EmbeddedFiles" not in (tmp_path / "live.pdf").read_bytes()


def told(qtbot, w: MainWindow):
    """The message the window showed for a failure (the last one), then closed."""
    qtbot.wait_until(lambda: w.files.message_box is not None, timeout=10_000)
    box, w.files.message_box = w.files.message_box, None
    box.close()
    return box


def exported(qtbot, w: MainWindow, path: Path, fmt: str) -> None:
    """Export in the background: the call returns at once and the window stays responsive."""
    started = time.perf_counter()
    w.files.export_to(path, fmt)
    assert time.perf_counter() - started < 0.1
    qtbot.wait_until(lambda: w.statusBar().currentMessage() == f"Exported {path}", timeout=20_000)
    assert w.files.message_box is None


def tampered(good: bytes) -> bytes:
    """The same ZIP with one fact changed after saving (the manifest's hash no longer matches)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "inspection.json":
                body = body.replace(b'"paused"', b'"pausex"', 1)
            dst.writestr(info, body)
    return out.getvalue()


def newer(good: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "manifest.json":
                body = json.dumps({**json.loads(body), "schema": "backcheck.snapshot/9"}).encode()
            dst.writestr(info, body)
    return out.getvalue()


@pytest.mark.chain
def test_a_bad_file_is_one_sentence_and_changes_nothing(qtbot, window, chain, xstocks_api, tmp_path):
    good = make_snapshot(chain, xstocks_api, tmp_path / "good.backcheck")
    w = window()
    opened(qtbot, w, good)
    shown, rows = w.report, tree_rows(w)
    cases = {
        "not-a-zip.backcheck": (b"%PDF-1.4 not a snapshot", "it is not a Backcheck snapshot"),
        "tampered.backcheck": (tampered(good.read_bytes()), "it was altered after saving"),
        "newer.backcheck": (newer(good.read_bytes()), "made by a newer Backcheck"),
        "cut.backcheck": (good.read_bytes()[:2000], "cannot be opened"),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        w.files.message_box = None
        w.files.open_path(tmp_path / name)
        qtbot.wait_until(lambda: w.files.message_box is not None, timeout=10_000)
        text = w.files.message_box.text()
        assert text.startswith(f"{name} cannot be opened: ") and words in text, text
        assert text.count("\n") == 0 and "Traceback" not in text
        assert w.report is shown and tree_rows(w) == rows and w.snapshot.name == "good.backcheck"
        w.files.message_box.close()
    w.files.open_path(tmp_path / "missing.backcheck")
    qtbot.wait_until(lambda: "does not exist" in (w.files.message_box.text() if w.files.message_box else ""))
    assert w.report is shown


@pytest.mark.chain
def test_compare_with_names_what_changed_most_important_first(qtbot, window, chain, xstocks_api, tmp_path):
    before = make_snapshot(chain, xstocks_api, tmp_path / "before.backcheck")
    _transact(chain, "pauser", "aaplx", "BackedAutoFeeToken", "setPause(bool)", True)
    after = make_snapshot(chain, xstocks_api, tmp_path / "after.backcheck")
    w = window()
    assert not w.files.compare_action.isEnabled()
    opened(qtbot, w, after)
    w.files.compare_path(before)  # older than the one on screen: still compared oldest first
    qtbot.wait_until(lambda: w.files.compare_dialog is not None, timeout=10_000)
    dialog = w.files.compare_dialog
    text = dialog.findChild(QPlainTextEdit, "compareText").toPlainText().splitlines()
    assert text[0].startswith("• CT-4 ") and "→ critical" in text[0]
    assert any(line.startswith("• paused: the token was not paused and now is") for line in text)
    assert "AAPLx on ethereum" in dialog.windowTitle()
    dialog.close()


@pytest.mark.chain
def test_compare_refuses_another_token_in_one_sentence(qtbot, window, chain, xstocks_api, tmp_path):
    path = make_snapshot(chain, xstocks_api, tmp_path / "aaplx.backcheck")
    code = main(
        ["inspect", chain.addresses["impostor"], "--chain", "ethereum", "--rpc", f"ethereum={chain.url}",
         "--holders", "logs", "--save", str(tmp_path / "impostor.backcheck")]
    )  # fmt: skip
    assert code == 0
    w = window()
    opened(qtbot, w, path)
    w.files.compare_path(tmp_path / "impostor.backcheck")
    qtbot.wait_until(lambda: w.files.message_box is not None, timeout=10_000)
    assert "different tokens" in w.files.message_box.text()
    assert w.files.compare_dialog is None


@pytest.mark.chain
def test_an_obsolete_open_never_lands(qtbot, window, chain, xstocks_api, tmp_path):
    first = make_snapshot(chain, xstocks_api, tmp_path / "first.backcheck")
    second = tmp_path / "second.backcheck"
    snapshot.as_demo(first, second, name="second", title="Second", teaches="t")
    w = window()
    # A newer open replaces an older one.
    w.files.open_path(first)
    opened(qtbot, w, second)
    qtbot.wait(300)
    assert w.snapshot.name == "second.backcheck"
    # A search replaces an open still under way, even one whose result is already queued.
    w.files.open_path(first)
    w.search_edit.setText("")
    w.search()
    qtbot.wait(300)
    assert w.report is None and w.snapshot is None and not w.banner.isVisible()
    assert w.title_label.text() == "No token selected"


@pytest.mark.usefixtures("no_network")
def test_offline_mode_refuses_live_reads_and_says_so(qtbot, window):
    w = window(offline="on")
    assert w.offline_label.isVisible() and w.offline_label.text() == "Offline"
    w.search_edit.setText("AAPLx")
    w.chain_combo.setCurrentIndex(w.chain_combo.findData("ethereum"))
    w.search()
    assert w.message_label.text() == OFFLINE
    assert not w.bridge.running and w.report is None
    assert w.stack.currentWidget() is w.welcome  # nothing was shown in its place
    w.check_registry_action.trigger()
    assert w.registry_check_box.text() == OFFLINE
    w.registry_check_box.close()


def test_turning_offline_mode_on_in_the_settings_shows_at_once(qtbot, window):
    w = window()
    assert not w.offline_label.isVisible()
    dialog = w.open_settings()
    dialog.fields["offline"].setText("on")
    dialog.save()
    assert w.offline_label.isVisible()
    w.search_edit.setText("AAPLx")
    w.chain_combo.setCurrentIndex(w.chain_combo.findData("ethereum"))
    w.search()
    assert w.message_label.text() == OFFLINE
