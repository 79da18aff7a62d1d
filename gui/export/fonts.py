"""The font every export uses, shipped with the app so a PDF looks the same on every machine."""

from __future__ import annotations

import functools

from PySide6.QtGui import QFontDatabase

from backcheck.core.resources import resource_path

FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")  # provenance and license: resources/export/FONTS.md


@functools.cache
def family() -> str:
    """Register the bundled fonts with Qt (once; needs a QGuiApplication) and return their family.

    Raises:
        RuntimeError: A font file is missing or unreadable: the installation is broken.
    """
    ids = [QFontDatabase.addApplicationFont(str(resource_path("export", name))) for name in FILES]
    if min(ids) < 0:
        raise RuntimeError(f"The bundled export fonts {', '.join(FILES)} could not be loaded; reinstall Backcheck.")
    return QFontDatabase.applicationFontFamilies(ids[0])[0]
