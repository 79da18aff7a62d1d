"""Where the bundled resources live (works from source, an installed wheel and a frozen app)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Return the path of a file shipped in ``backcheck.resources``."""
    path = resources.files("backcheck.resources")
    for part in parts:  # one part at a time: a frozen app's MultiplexedPath takes only one
        path = path / part
    return Path(str(path))
