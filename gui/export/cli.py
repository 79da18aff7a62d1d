"""``backcheck export SOURCE [--pdf OUT.pdf] [--html OUT.html]``: a snapshot or demo as PDF and/or HTML.

It lives in the GUI package because rendering needs Qt (fonts, QPdfWriter, QSvgGenerator); the
launcher sends ``export`` here. Errors are one sentence on stderr, like the rest of the CLI:
exit 2 for bad input, and nothing is written when either target is bad.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from backcheck.core.errors import BackcheckError
from backcheck.core.rules import RuleConfig
from backcheck.core.settings import Settings
from backcheck.core.snapshot import load_source
from backcheck.gui.headless import EXIT_OK, OneSentenceParser, application

from . import check_target, export_html, export_pdf


def build_parser() -> argparse.ArgumentParser:
    """The ``backcheck export`` argument parser."""
    parser = OneSentenceParser(
        prog="backcheck export",
        description="Write a snapshot or a demo scenario as a PDF and/or a self-contained HTML page, offline.",
    )
    parser.add_argument("source", help="a .backcheck snapshot file, or demo:NAME for a shipped demo")
    parser.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the PDF here (the snapshot is attached)")
    parser.add_argument("--html", type=Path, metavar="OUT.html", help="write the HTML page here")
    return parser


def main(argv: list[str]) -> int:
    """Run ``backcheck export`` (``argv`` without the command's name) and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.pdf is None and args.html is None:
        parser.error("give --pdf OUT.pdf, --html OUT.html or both")
    try:
        for target in (args.pdf, args.html):
            if target is not None:
                check_target(target)
        settings = Settings.load()
        if settings.notice:
            print(f"backcheck: {settings.notice}", file=sys.stderr)
        snapshot, report = load_source(args.source, config=RuleConfig.load(settings))
        _app = application(QGuiApplication)  # kept alive while the exports render; offscreen without a display
        if args.pdf is not None:
            export_pdf(report.document, args.pdf, attachment=(snapshot.name, snapshot.data))
            print(f"backcheck: wrote {args.pdf}", file=sys.stderr)
        if args.html is not None:
            export_html(report.document, args.html)
            print(f"backcheck: wrote {args.html}", file=sys.stderr)
    except BackcheckError as exc:
        print(f"backcheck: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return EXIT_OK
