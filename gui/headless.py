"""What the commands that render without showing a window share (``export``, ``screenshot``).

They run from a terminal, often with no display: Qt then uses its offscreen platform unless the
user chose one, and a usage error is one sentence on stderr with exit 2, as in the core CLI.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn, TypeVar

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2  # as in the core CLI
# What the offscreen platform says of what it cannot do (raise a window, grab the keyboard, pass on
# size hints): harmless, and not for the user (the tests ignore the same ones, see pyproject.toml).
OFFSCREEN_NOTICES = ("This plugin does not support",)

App = TypeVar("App", bound=QGuiApplication)


class OneSentenceParser(argparse.ArgumentParser):
    """argparse, but a usage error is one sentence on stderr (exit 2), as in the core CLI."""

    def error(self, message: str) -> NoReturn:
        """Say what is wrong in one sentence and exit 2."""
        self.exit(EXIT_BAD_INPUT, f"backcheck: {message[:1].upper()}{message[1:]}. See '{self.prog} --help'.\n")


def application(kind: type[App], *, offscreen: bool = False) -> App:
    """The running Qt application, or a new one of ``kind``.

    Args:
        kind: QGuiApplication to draw, QApplication for widgets.
        offscreen: Render offscreen even when there is a display (nothing is shown on screen);
            otherwise only when there is none. A platform the user chose is kept either way.
    """
    app = kind.instance()
    if isinstance(app, kind):
        return app
    no_display = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if offscreen or no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return kind(["backcheck"])


@contextmanager
def quiet_offscreen_notices() -> Iterator[None]:
    """Drop the offscreen platform's notices while a command renders; any other Qt message still goes to stderr."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message.startswith(OFFSCREEN_NOTICES):
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
