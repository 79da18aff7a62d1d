"""Export a report as a PDF and as a self-contained HTML page (F14).

Both need a running QGuiApplication (fonts, QPdfWriter, QSvgGenerator). A file is written whole
or not at all: rendered in memory, then a temp file beside the target and one rename.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backcheck.core.errors import BadInput
from backcheck.core.snapshot import write_atomic
from backcheck.gui.charts import CHARTS

from . import fonts, page, pdf, svg

__all__ = ["check_target", "export_html", "export_pdf"]


def export_pdf(document: Mapping[str, Any], path: Path, *, attachment: tuple[str, bytes] | None = None) -> None:
    """Write the report as a PDF, with ``attachment`` (file name, bytes) embedded when given.

    Raises:
        BadInput: The target's folder does not exist or cannot be written.
    """
    check_target(path)
    write_atomic(path, pdf.pdf_bytes(document, fonts.family(), attachment))


def export_html(document: Mapping[str, Any], path: Path) -> None:
    """Write the report as one HTML file that loads nothing: inline CSS and SVG, no script.

    Raises:
        BadInput: The target's folder does not exist or cannot be written.
    """
    check_target(path)
    family = fonts.family()
    charts = {key: svg.chart_svg(key, document, family) for key in CHARTS}
    write_atomic(path, page.render(document, for_pdf=False, chart_markup=charts).encode("utf-8"))


def check_target(path: Path) -> None:
    """Refuse a target whose folder does not exist, or that is a folder, before rendering anything.

    Raises:
        BadInput: One sentence saying what is wrong.
    """
    folder = path.absolute().parent
    if not folder.is_dir():
        raise BadInput(f"Cannot write {path}: the folder {folder} does not exist.")
    if path.is_dir():
        raise BadInput(f"Cannot write {path}: it is a folder; give a file name.")
