"""Start the window: the Qt application, the core loop, and the main window."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from backcheck.core.crash import crash_sentence
from backcheck.core.registry import Registry
from backcheck.core.resources import resource_path
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings

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
    """Show one sentence instead of a traceback; the details go to a crash report file (keys redacted)."""
    QMessageBox.critical(None, "Backcheck", crash_sentence(exc.with_traceback(tb)))


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
