"""The last guard: anything unexpected becomes one sentence and a crash report the user can attach.

A traceback is never shown; it goes to a file in the cache folder, with every URL in it redacted
(an endpoint may carry a key) and the wallet a user checked left out, together with the app and Python versions.
"""

from __future__ import annotations

import platform
import sys
import traceback
from pathlib import Path

from .facts import utc_now
from .redact import redact_private, redact_text
from .report import app_version
from .settings import cache_dir


def write_crash_report(exc: BaseException) -> Path | None:
    """Write the crash report and return its path (``None`` if even that failed)."""
    stamp = utc_now().strftime("%Y%m%dT%H%M%S.%fZ")
    lines = [
        f"Backcheck {app_version()} crash report, {stamp}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        "",
        *traceback.format_exception(exc),
    ]
    try:
        folder = cache_dir() / "crash-reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}.txt"
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        path.write_text(redact_private(redact_text(text)))
    except Exception:  # noqa: BLE001 - the guard of last resort must not raise itself
        return None
    return path


def crash_sentence(exc: BaseException) -> str:
    """One sentence for the user, naming the crash report file."""
    path = write_crash_report(exc)
    where = (
        f"A crash report was written to {path}; please attach it to a bug report."
        if path
        else ("No crash report could be written.")
    )
    return f"Something went wrong inside Backcheck ({type(exc).__name__}); nothing was changed. {where}"
