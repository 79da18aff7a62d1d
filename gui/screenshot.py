"""``backcheck screenshot --demo NAME --view VIEW [--step N] [--scale S] [--size WxH] --out FILE.png``.

One view of the real window on a shipped demo, for tests and the docs: drawn offscreen (nothing
shows on screen) and offline (the demo opens through the window's own File → Open path, which never
reads the network). A scale other than 1 is presentation mode at that scale (high contrast, raw
layers folded) in a window of the given size rather than full screen. Errors are one sentence on
stderr, exit 2 for bad input, and the PNG is written whole or not at all.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QEventLoop, QIODevice, QSize, QTimer
from PySide6.QtWidgets import QApplication

from backcheck.core.crash import crash_sentence
from backcheck.core.errors import BackcheckError, BadInput
from backcheck.core.registry import Registry
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings
from backcheck.core.snapshot import demo_path, write_atomic

from .export import check_target
from .gc_guard import MainThreadCollector
from .headless import EXIT_INTERNAL, EXIT_OK, OneSentenceParser, application, quiet_offscreen_notices
from .main_window import MainWindow
from .plain_text import printable

# Each view and the start of its tab's title in the window (the walkthrough is not a tab).
TABS = {
    "answers": "Overview",
    "checks": "Checks",
    "holders": "Holders",
    "powers": "Issuer powers",
    "evidence": "Evidence",
    "legal": "Redemption",
    "converter": "Converter",
    "compare": "Compare",
}
VIEWS = (*TABS, "walkthrough")
SIZES = ((480, 3840), (360, 2160))  # allowed width and height, in pixels
SCALES = (1.0, 3.0)
CONVERTER_AMOUNT = "10"  # the converter is shown converting something
OPEN_SECONDS = 30


def _size(text: str) -> tuple[int, int]:
    (low_w, high_w), (low_h, high_h) = SIZES
    match = re.fullmatch(r"(\d{1,5})x(\d{1,5})", text)
    if match is None or not (low_w <= int(match[1]) <= high_w and low_h <= int(match[2]) <= high_h):
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT in pixels, from {low_w}x{low_h} to {high_w}x{high_h}, e.g. 1280x800"
        )
    return int(match[1]), int(match[2])


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not SCALES[0] <= value <= SCALES[1]:  # NaN fails too
        raise argparse.ArgumentTypeError(f"expected a number from {SCALES[0]:g} to {SCALES[1]:g}, e.g. 1.5")
    return value


def _step(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 999):
        raise argparse.ArgumentTypeError("expected a whole number from 1, e.g. 3")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The ``backcheck screenshot`` argument parser."""
    parser = OneSentenceParser(
        prog="backcheck screenshot",
        description="Save a PNG of one view of the window on a shipped demo, offscreen and offline.",
    )
    parser.add_argument("--demo", required=True, metavar="NAME", help="a shipped demo (see 'backcheck demo')")
    parser.add_argument("--view", required=True, choices=VIEWS, metavar="VIEW", help=f"one of {', '.join(VIEWS)}")
    parser.add_argument("--step", type=_step, metavar="N", help="the walkthrough's step, from 1 (default 1)")
    parser.add_argument(
        "--scale", type=_scale, default=1.0, metavar="S", help="presentation mode at this font scale (default 1: off)"
    )
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH", help="window size (default 1280x800)")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.png", help="write the PNG here")
    return parser


def main(argv: list[str]) -> int:
    """Run ``backcheck screenshot`` (``argv`` without the command's name) and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.step is not None and args.view != "walkthrough":
        parser.error("--step goes with --view walkthrough only")
    if args.out.suffix.lower() != ".png":
        parser.error(f"--out must name a .png file, not {str(args.out)[:80]!r}")
    try:
        check_target(args.out)
        demo = demo_path(args.demo)
        settings = Settings.load()
        if settings.notice:
            print(f"backcheck: {settings.notice}", file=sys.stderr)
        _app = application(QApplication, offscreen=True)  # kept alive while the window draws
        with quiet_offscreen_notices():
            png = render(demo, settings, args.view, step=args.step or 1, scale=args.scale, size=args.size)
        write_atomic(args.out, png)
    except BackcheckError as exc:  # its sentence may quote what was typed: printed without control characters
        print(f"backcheck: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard, as in the core CLI: one sentence and a crash report
        print(f"backcheck: {crash_sentence(exc)}", file=sys.stderr)
        return EXIT_INTERNAL
    print(f"backcheck: wrote {printable(str(args.out))}", file=sys.stderr)
    return EXIT_OK


def render(demo: Path, settings: Settings, view: str, *, step: int, scale: float, size: tuple[int, int]) -> bytes:
    """The window on ``demo`` showing ``view``, as PNG bytes of exactly ``size`` (a QApplication must exist).

    Raises:
        BadInput: The view does not exist in this window, the step is beyond the walkthrough, or
            the demo did not open.
    """
    core = CoreLoop()
    collector = MainThreadCollector() if gc.isenabled() else None  # a caller may already collect on this thread
    window = MainWindow(Registry.load(), settings, core)
    try:
        window.resize(*size)
        window.show()  # on the offscreen platform: laid out and drawn, never on a screen
        _open(window, demo)
        if scale != 1:
            window.present.set_presentation(True, scale=scale, full_screen=False)
        _show(window, view, step)
        _settle()
        pixmap = window.grab()
        expected = QSize(*size) * pixmap.devicePixelRatio()
        if pixmap.size() != expected:
            raise BadInput(
                f"The window cannot be drawn at {size[0]}x{size[1]}: it came out "
                f"{pixmap.width()}x{pixmap.height()}; try a larger --size."
            )
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        pixmap.save(buffer, "PNG")
        return bytes(buffer.data().data())
    finally:
        window.present.set_presentation(False)  # the application's font and palette back, for a caller that goes on
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        core.stop()
        if collector is not None:
            collector.stop()


def _open(window: MainWindow, demo: Path) -> None:
    """Open the demo as File → Open does, and wait until it is on screen."""
    window.files.open_path(demo)
    deadline = time.monotonic() + OPEN_SECONDS
    _wait_until(
        lambda: window.report is not None or window.files.message_box is not None or time.monotonic() > deadline
    )
    if window.files.message_box is not None:
        raise BadInput(window.files.message_box.text())
    if window.report is None:
        raise BadInput(f"The demo {demo.stem} did not open within {OPEN_SECONDS} s.")


def _show(window: MainWindow, view: str, step: int) -> None:
    """Bring ``view`` to the front."""
    report = window.report
    assert report is not None
    if view == "walkthrough":
        window.present.start()
        walk = window.present.walkthrough
        if step > len(walk.steps):
            raise BadInput(
                f"The walkthrough of this demo has {len(walk.steps)} steps: give --step 1 to {len(walk.steps)}."
            )
        walk.start(report.document, index=step - 1)
        return
    tabs = window.tabs
    index = next((i for i in range(tabs.count()) if tabs.tabText(i).startswith(TABS[view])), None)
    if index is None:
        raise BadInput(f"The {view} view is not available yet in this version of the window.")
    tabs.setCurrentIndex(index)
    if view == "checks":  # the worst check open: Answer → Why → Evidence, as "Why ›" shows it
        window.checklist.select(tuple(f.id for f in report.findings))
    elif view == "converter" and not window.converter.amount.text():
        window.converter.amount.setText(CONVERTER_AMOUNT)


def _wait_until(done: Callable[[], bool]) -> None:
    """Run the event loop until ``done()`` (checked every 20 ms)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if done() else None)
    timer.start(20)
    if not done():
        loop.exec()
    timer.stop()


def _settle(ms: int = 150) -> None:
    """Let the layouts, word-wrapped labels and deferred deletions settle, as they would before a person looks."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
