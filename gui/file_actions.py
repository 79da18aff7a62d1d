"""The File and Demo menus: open, save, export and compare snapshots; open a shipped demo offline.

Each action that asks for a file has a method taking the path (:meth:`FileActions.open_path`,
:meth:`~FileActions.save_to`, :meth:`~FileActions.export_to`, :meth:`~FileActions.compare_path`):
the menu's file dialog calls it, and so do the tests. Reading and writing snapshots run on the core
loop's worker threads through a :class:`CoreBridge`, so a large file never freezes the window, and a
job made obsolete (a new search, a newer open) never lands. Exports draw on a QThread of their own
(a PDF takes about a second to lay out). Every failure is one sentence in a message box and changes
nothing on screen.
"""

from __future__ import annotations

import asyncio
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
)

from backcheck.core import snapshot
from backcheck.core.diff import Diff, diff
from backcheck.core.errors import BackcheckError
from backcheck.core.registry import Registry
from backcheck.core.report import Recorded, Report
from backcheck.core.rules import RuleConfig
from backcheck.core.snapshot import Demo

from .bridge import CoreBridge
from .widgets import WrapLabel, menu_text, named, one_line, utc_time

if TYPE_CHECKING:
    from .main_window import MainWindow

SNAPSHOTS = f"Backcheck snapshots (*{snapshot.SUFFIX})"
EXPORTS = {"pdf": "PDF documents (*.pdf)", "html": "Web pages (*.html)"}
Attachment = tuple[str, bytes] | None  # a snapshot's file name and bytes, embedded in its PDF


def default_name(document: dict[str, Any], suffix: str) -> str:
    """``<SYMBOL>-<chain>-<UTC date>`` of the report, safe as a file name (a symbol comes from the chain)."""
    token = document["token"]
    symbol = re.sub(r"[^A-Za-z0-9._-]+", "_", str(token["symbol"] or "token"))[:40].strip("._") or "token"
    chain = re.sub(r"[^a-z0-9-]+", "_", str(token["chain"]))[:40]
    return f"{symbol}-{chain}-{document['as_of'][:10]}{suffix}"


def _open(path: Path, registry: Registry, config: RuleConfig) -> tuple[snapshot.Snapshot, Report]:
    opened = snapshot.read(path)
    return opened, snapshot.open_report(opened, registry, config)


def _compare(base: Report, path: Path, registry: Registry, config: RuleConfig) -> tuple[Report, Diff]:
    other = _open(path, registry, config)[1]
    old, new = sorted((base, other), key=lambda r: r.inspection.generated_at)
    return base, diff(old, new)


def _save(path: Path, recorded: Recorded) -> str:
    digest = snapshot.save(path, recorded.report, recorded.recorder.exchanges, omitted=recorded.recorder.omitted)
    return f"Saved {path} (digest {digest[:16]}…)"


class _Export(QThread):
    """One export, drawn on its own Qt thread: a PDF takes about a second to lay out.

    Qt allows painting on a QPdfWriter or QSvgGenerator, and a QTextDocument, made in a thread
    other than the GUI's; it must be a QThread (the text layout starts timers).

    Signals:
        outcome(int, bool, str): the job id, whether the file was written, and the sentence to show.
    """

    outcome = Signal(int, bool, str)

    def __init__(self, job_id: int, fmt: str, document: dict[str, Any], path: Path, attachment: Attachment) -> None:
        super().__init__()
        self.job = (job_id, fmt, document, path, attachment)

    def run(self) -> None:
        from .export import export_html, export_pdf  # noqa: PLC0415 - the PDF/HTML stack loads on first use

        job_id, fmt, document, path, attachment = self.job
        try:
            if fmt == "pdf":
                export_pdf(document, path, attachment=attachment)
            else:
                export_html(document, path)
        except BackcheckError as exc:
            self.outcome.emit(job_id, False, str(exc))
        except Exception as exc:  # noqa: BLE001 - in a thread it would reach nobody; the user must learn it failed
            self.outcome.emit(job_id, False, f"Something went wrong while exporting: {type(exc).__name__}: {exc}")
        else:
            self.outcome.emit(job_id, True, f"Exported {path}")


class FileActions(QObject):
    """The File and Demo menus of a :class:`MainWindow`.

    Attributes:
        demos: The demo scenarios offered.
        message_box: The last message shown (a failure, in one sentence).
        compare_dialog: The last comparison shown.
        folder: Where the file dialogs start (the last folder used).
    """

    def __init__(self, window: MainWindow, demos: list[Demo]) -> None:
        super().__init__(window)
        self.window = window
        self.demos = demos
        self.message_box: QMessageBox | None = None
        self.compare_dialog: QDialog | None = None
        self.folder = Path.home()
        core = window.bridge.core
        self.opener = CoreBridge(core, self)
        self.opener.succeeded.connect(self._on_opened)
        self.opener.failed.connect(functools.partial(self._failed, self.opener))
        self.comparer = CoreBridge(core, self)
        self.comparer.succeeded.connect(self._on_compared)
        self.comparer.failed.connect(functools.partial(self._failed, self.comparer))
        self.saver = CoreBridge(core, self)
        self.saver.succeeded.connect(functools.partial(self._written, self.saver))
        self.saver.failed.connect(functools.partial(self._failed, self.saver))
        self.exports: list[_Export] = []  # running; only the newest one's outcome is shown
        self._export_id = 0
        self._build_menus()

    def _build_menus(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("&File")
        self.open_action = _action(menu, "&Open snapshot…", self.open_snapshot, QKeySequence.StandardKey.Open)
        self.save_action = _action(menu, "&Save snapshot…", self.save_snapshot, QKeySequence.StandardKey.Save)
        menu.addSeparator()
        self.export_pdf_action = _action(menu, "Export &PDF…", lambda: self.export("pdf"))
        self.export_html_action = _action(menu, "Export &HTML…", lambda: self.export("html"))
        self.compare_action = _action(menu, "&Compare with…", self.compare_with)
        menu.addSeparator()
        self.settings_action = _action(menu, "Se&ttings…", w.open_settings, QKeySequence("Ctrl+,"))
        self.quit_action = _action(menu, "&Quit", w.close, QKeySequence.StandardKey.Quit)
        demo_menu = w.menuBar().addMenu("&Demo")
        demo_menu.setToolTipsVisible(True)
        self.demo_actions = []
        for demo in self.demos:
            action = _action(demo_menu, menu_text(demo.title), lambda _=False, demo=demo: self.open_demo(demo))
            action.setToolTip(demo.name)
            self.demo_actions.append(action)
        if not self.demos:
            demo_menu.addAction("No demo scenarios are installed").setEnabled(False)
        self.update_actions()

    def update_actions(self) -> None:
        """Enable what applies to the report on screen: save a live one; export or compare any."""
        self.save_action.setEnabled(self._live() is not None)
        for action in (self.export_pdf_action, self.export_html_action, self.compare_action):
            action.setEnabled(self.window.report is not None)

    def cancel(self) -> None:
        """Drop the open or comparison under way (a new search replaces it)."""
        self.opener.cancel()
        self.comparer.cancel()

    def _live(self) -> Recorded | None:
        recorded = self.window.recorded
        return recorded if recorded is not None and recorded.report is self.window.report else None

    # -- open ----------------------------------------------------------------------------

    def open_snapshot(self) -> None:
        """Ask for a snapshot file and open it."""
        path = self._ask_open("Open a snapshot")
        if path is not None:
            self.open_path(path)

    def open_demo(self, demo: Demo) -> None:
        """Open a shipped demo scenario (offline, like any snapshot)."""
        self.open_path(demo.path)

    def open_path(self, path: Path) -> None:
        """Open a snapshot file in the background; the screen changes only once it opened whole."""
        w = self.window
        w.statusBar().showMessage(f"Opening {path.name} …")
        self.opener.run(asyncio.to_thread(_open, path, w.registry, RuleConfig.load(w.settings)))

    def _on_opened(self, job_id: int, opened: tuple[snapshot.Snapshot, Report]) -> None:
        if job_id != self.opener.current_id:
            return
        self.window.statusBar().clearMessage()
        self.window.bridge.cancel()  # a live read still running would land over it
        self.window.show_report(opened[1], opened[0])

    # -- save and export -----------------------------------------------------------------

    def save_snapshot(self) -> None:
        """Ask where to save the live report on screen as a snapshot, then save it."""
        recorded = self._live()
        if recorded is None:
            return
        name = default_name(recorded.report.document, snapshot.SUFFIX)
        path = self._ask_save("Save snapshot", name, SNAPSHOTS, snapshot.SUFFIX)
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Save the live report on screen, with its recorded exchanges, as a snapshot (in the background)."""
        recorded = self._live()
        if recorded is None:
            self.tell("Only a report read live can be saved as a snapshot; this one was opened from a file.")
            return
        self.window.statusBar().showMessage(f"Saving {path.name} …")
        self.saver.run(asyncio.to_thread(_save, path, recorded))

    def _written(self, bridge: CoreBridge, job_id: int, done: str) -> None:
        if job_id == bridge.current_id:
            self.window.statusBar().showMessage(done, 10_000)

    def export(self, fmt: str) -> None:
        """Ask where to export the report on screen as PDF or HTML (``fmt``), then export it."""
        report = self.window.report
        if report is None:
            return
        suffix = f".{fmt}"
        path = self._ask_save(f"Export {fmt.upper()}", default_name(report.document, suffix), EXPORTS[fmt], suffix)
        if path is not None:
            self.export_to(path, fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Export the report on screen in the background; a snapshot or demo also attaches its file to the PDF."""
        report, opened = self.window.report, self.window.snapshot
        if report is None:
            return
        attachment = (opened.name, opened.data) if opened is not None and fmt == "pdf" else None
        self.window.statusBar().showMessage(f"Exporting {path.name} …")
        self._export_id += 1
        thread = _Export(self._export_id, fmt, report.document, path, attachment)
        thread.outcome.connect(self._exported)  # a QObject's method: queued onto the GUI thread
        thread.finished.connect(self._reap)
        self.exports.append(thread)
        thread.start()

    def _exported(self, job_id: int, written: bool, sentence: str) -> None:
        if job_id != self._export_id:
            return
        if written:
            self.window.statusBar().showMessage(sentence, 10_000)
        else:
            self.window.statusBar().clearMessage()
            self.tell(sentence)

    def _reap(self) -> None:
        for thread in [t for t in self.exports if t.isFinished()]:
            self.exports.remove(thread)
            thread.deleteLater()

    def finish(self) -> None:
        """Wait for the exports still drawing (the window is closing; a file is written whole or not at all)."""
        for thread in self.exports:
            thread.wait()

    # -- compare -------------------------------------------------------------------------

    def compare_with(self) -> None:
        """Ask for a snapshot of the same token and show what changed."""
        path = self._ask_open("Compare with a snapshot of the same token")
        if path is not None:
            self.compare_path(path)

    def compare_path(self, path: Path) -> None:
        """Compare the report on screen with a snapshot file (in the background)."""
        w = self.window
        if w.report is None:
            self.tell("Open a snapshot or read a token first, then compare it with a snapshot of the same token.")
            return
        self.comparer.run(asyncio.to_thread(_compare, w.report, path, w.registry, RuleConfig.load(w.settings)))

    def _on_compared(self, job_id: int, compared: tuple[Report, Diff]) -> None:
        base, changes = compared
        if job_id == self.comparer.current_id and base is self.window.report:
            self.show_diff(changes)

    def show_diff(self, changes: Diff) -> QDialog:
        """Show the changes, most important first, as plain text (sentences quote the chain's values)."""
        dialog = named(QDialog(self.window), "compareDialog")
        dialog.setWindowTitle(f"What changed — {one_line(changes.token)}")
        header = WrapLabel(
            f"{changes.token}: what changed from {utc_time(changes.old_as_of)} to {utc_time(changes.new_as_of)}, "
            "most important first.",
            plain=True,
        )
        text = named(QPlainTextEdit(), "compareText")
        text.setReadOnly(True)
        lines = [f"• {c.sentence}" for c in changes.changes]
        text.setPlainText("\n".join(lines) or "Nothing changed in the facts or the findings.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(header)
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
        dialog.resize(820, 480)
        dialog.open()
        self.compare_dialog = dialog
        return dialog

    # -- messages and dialogs ------------------------------------------------------------

    def _failed(self, bridge: CoreBridge, job_id: int, text: str) -> None:
        if job_id == bridge.current_id:
            self.window.statusBar().clearMessage()
            self.tell(text)

    def tell(self, text: str) -> QMessageBox:
        """Say why something could not be done, in a message that does not block the window."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Backcheck", text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("fileMessage")
        box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes file names
        box.open()
        self.message_box = box
        return box

    def _ask_open(self, title: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.window, title, str(self.folder), f"{SNAPSHOTS};;All files (*)")
        return self._chosen(name)

    def _ask_save(self, title: str, default: str, kinds: str, suffix: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, title, str(self.folder / default), kinds)
        path = self._chosen(name)
        return path if path is None or path.suffix == suffix else path.with_name(path.name + suffix)

    def _chosen(self, name: str) -> Path | None:
        if not name:
            return None
        path = Path(name)
        self.folder = path.parent
        return path


def _action(
    menu: QMenu, text: str, slot: Any, shortcut: QKeySequence | QKeySequence.StandardKey | None = None
) -> QAction:
    action = QAction(text, menu)
    menu.addAction(action)
    action.triggered.connect(slot)
    if shortcut is not None:
        action.setShortcut(shortcut)
    return action
