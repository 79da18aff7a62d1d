"""Entry point of ``backcheck``: the window without arguments, the CLI with a command.

Qt is imported only when the window is wanted, so the CLI starts fast and works
on machines without a display.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the command line, the self-test or the window."""
    args = sys.argv[1:] if argv is None else argv
    if args and not args[0].startswith("-"):
        from backcheck.core.cli import main as cli_main  # noqa: PLC0415 - no Qt for the CLI

        return cli_main(args)
    if args in (["-h"], ["--help"]):
        from backcheck.core.cli import build_parser  # noqa: PLC0415

        build_parser().print_help()
        return 0
    if "--self-test" in args:
        from .self_test import run_self_test  # noqa: PLC0415 - imports Qt

        return run_self_test()
    from .app import run_app  # noqa: PLC0415 - imports Qt

    return run_app(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
