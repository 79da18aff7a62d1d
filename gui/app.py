"""Start the window: the Qt application, the core loop, and the main window."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings, config_dir

from .gc_guard import MainThreadCollector
from .main_window import MainWindow
from .settings_dialog import show_settings_notice


class _FirstPaint(QObject):
    """Print a marker on the window's first paint and quit (for bench/first_paint.py)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint web3-imported={'web3' in sys.modules}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            watched.removeEventFilter(self)
        return False


def _report_crash(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Show a plain message instead of a traceback; keep the details in a log file."""
    log = config_dir() / "crash.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(kind, exc, tb)) + "\n")
        where = f"The details were saved to {log}."
    except OSError:
        where = "The details could not be saved."
    QMessageBox.critical(None, "Backcheck", f"Backcheck hit an unexpected error: {exc}\n\n{where}")


def run_app(args: list[str]) -> int:
    """Run the window until it is closed; return the exit code."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Backcheck")
    app.setWindowIcon(QIcon(str(resource_path("icons", "backcheck.svg"))))
    sys.excepthook = _report_crash
    settings = Settings.load()
    core = CoreLoop()
    collector = MainThreadCollector()
    try:
        window = MainWindow(Registry.load(), settings, core)
        probe = _FirstPaint(window) if "--first-paint-probe" in args else None
        if probe is not None:
            window.installEventFilter(probe)
        window.show()
        if settings.notice:
            show_settings_notice(window, settings.notice)
        return app.exec()
    finally:
        core.stop()
        collector.stop()
