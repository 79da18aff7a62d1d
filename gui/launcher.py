"""Entry point of ``backcheck``: the window without arguments, the CLI with a command.

Qt is imported only when the window is wanted, so the CLI starts fast and works
on machines without a display.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the command line, the export and the screenshot (they need Qt), the self-test or the window."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--self-test"]:
        from .self_test import run_self_test  # noqa: PLC0415 - imports Qt

        return run_self_test()
    if args and args[0] == "export":
        from .export.cli import main as export_main  # noqa: PLC0415 - imports Qt

        return export_main(args[1:])
    if args and args[0] == "screenshot":
        from .screenshot import main as screenshot_main  # noqa: PLC0415 - imports Qt

        return screenshot_main(args[1:])
    if args in ([], WINDOW_PROBE):
        from .app import run_app  # noqa: PLC0415 - imports Qt

        return run_app(args)
    # Anything else is the command line's (commands, --help, --version, and a clear error for
    # an unknown option), never a window opened by mistake.
    from backcheck.core.cli import main as cli_main  # noqa: PLC0415 - no Qt for the CLI

    return cli_main(args)


WINDOW_PROBE = ["--first-paint-probe"]  # the benchmark's first-paint measurement (bench/run.py)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
