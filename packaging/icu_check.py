"""Prove the trimmed ICU data answers every ICU call Qt makes exactly as the full data does.

Usage: ``icu_check.py BUNDLE_ICU_DIR`` (e.g. ``dist/backcheck/_internal/PySide6/Qt/lib``). The
reference is the ICU PySide6 ships in this interpreter. Each side runs in its own process (both
libraries have the same soname) and answers, for every ICU locale: a collator's sort keys
(``ucol_*``, QCollator), upper/lower case (``u_strTo*``, QLocale::toUpper), the display names of
time zones (``ucal_*``, QTimeZone::displayName); and for every converter: its standard names and
a sample encoded (``ucnv_*``, QStringConverter). Exit code 1 and the first differences when any
answer differs. See ``packaging/icu_trim.py``.
"""

from __future__ import annotations

import ctypes
import json
import re
import subprocess
import sys
from pathlib import Path

SAMPLES = ["Straße", "İstanbul ıi", "Ĳssel", "ΌΣΟΣ", "東京 – €1,5", "ǅemal", "ﬁx 123", "Ärger", "ä", "a", "Z"]
ZONES = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC", "Etc/GMT+5"]
CAP = 512


def _uchars(text: str) -> ctypes.Array:
    return (ctypes.c_uint16 * (len(text.encode("utf-16-le")) // 2 + 1)).from_buffer_copy(
        text.encode("utf-16-le") + b"\0\0"
    )


class _Icu:
    """The ICU functions Qt calls, from the libraries in one directory."""

    def __init__(self, directory: Path) -> None:
        found = re.fullmatch(r"libicui18n\.so\.(\d+)", next(directory.glob("libicui18n.so.*")).name)
        assert found
        self.library = ctypes.CDLL(str(directory / found[0]))  # loads libicuuc/libicudata next to it
        self.version = found[1]
        self.status = ctypes.c_int(0)
        self.buffer = (ctypes.c_uint16 * CAP)()

    def __call__(self, name: str, *args: object, restype: object = ctypes.c_int32) -> object:
        function = getattr(self.library, f"{name}_{self.version}")
        function.restype = restype
        return function(*args)

    def ok(self) -> int:
        """The last call's status, then reset."""
        code, self.status.value = self.status.value, 0
        return code

    def text(self, size: int) -> str:
        return bytes(self.buffer)[: 2 * size].decode("utf-16-le", "surrogatepass")


def _locale_row(icu: _Icu, locale: str) -> list[object]:
    name, status, row = locale.encode(), ctypes.byref(icu.status), [locale]
    keys = (ctypes.c_uint8 * 4096)()
    collator = icu("ucol_open", name, status, restype=ctypes.c_void_p)
    row.append(icu.ok())
    if collator:
        for text in SAMPLES:
            size = icu("ucol_getSortKey", ctypes.c_void_p(collator), _uchars(text), -1, keys, len(keys))
            row.append(bytes(keys[:size]).hex())
        icu("ucol_close", ctypes.c_void_p(collator), restype=None)
    for function in ("u_strToUpper", "u_strToLower"):
        for text in SAMPLES:
            size = icu(function, icu.buffer, CAP, _uchars(text), -1, name, status)
            row.append([icu.ok(), icu.text(size)])
    for zone in ZONES:
        calendar = ctypes.c_void_p(icu("ucal_open", _uchars(zone), -1, name, 0, status, restype=ctypes.c_void_p))
        row.append(icu.ok())
        for kind in range(4):  # UCAL_STANDARD, UCAL_SHORT_STANDARD, UCAL_DST, UCAL_SHORT_DST
            size = icu("ucal_getTimeZoneDisplayName", calendar, kind, name, icu.buffer, CAP, status)
            row.append([icu.ok(), icu.text(size)])
        icu("ucal_close", calendar, restype=None)
        size = icu("ucal_getCanonicalTimeZoneID", _uchars(zone), -1, icu.buffer, CAP, None, status)
        row.append([icu.ok(), icu.text(size)])
    return row


def _converter_row(icu: _Icu, name: bytes) -> list[object]:
    status, row = ctypes.byref(icu.status), [name.decode()]
    encoded = (ctypes.c_char * 4096)()
    for standard in (b"MIME", b"IANA"):
        found = icu("ucnv_getStandardName", name, standard, status, restype=ctypes.c_char_p)
        row.append([icu.ok(), found and found.decode()])
    converter = ctypes.c_void_p(icu("ucnv_open", name, status, restype=ctypes.c_void_p))
    row.append(icu.ok())
    if converter:
        for text in SAMPLES:
            size = icu("ucnv_fromUChars", converter, encoded, len(encoded), _uchars(text), -1, status)
            row.append([icu.ok(), bytes(encoded[:size]).hex()])
        icu("ucnv_close", converter, restype=None)
    return row


def _answers(directory: Path) -> list[object]:
    icu = _Icu(directory)
    count = icu("uloc_countAvailable")
    locales = [icu("uloc_getAvailable", i, restype=ctypes.c_char_p).decode() for i in range(count)]
    converters = [icu("ucnv_getAvailableName", i, restype=ctypes.c_char_p) for i in range(icu("ucnv_countAvailable"))]
    return [
        locales,
        *(_locale_row(icu, locale) for locale in locales),
        *(_converter_row(icu, name) for name in converters),
    ]


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--answers":
        json.dump(_answers(Path(argv[2])), sys.stdout)
        return 0
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    import PySide6  # noqa: PLC0415 - only the reference side needs it

    sides = [Path(PySide6.__file__).parent / "Qt" / "lib", Path(argv[1])]
    if not any(sides[1].glob("libicui18n.so.*")):
        print(f"icu_check: no ICU in {sides[1]}: nothing to compare")
        return 0
    command = [sys.executable, __file__, "--answers"]
    full, trimmed = (
        json.loads(subprocess.run([*command, str(side)], capture_output=True, check=True).stdout) for side in sides
    )
    differences = [(a, b) for a, b in zip(full, trimmed, strict=False) if a != b] + (
        [("rows", len(full), len(trimmed))] if len(full) != len(trimmed) else []
    )
    for difference in differences[:5]:
        print(f"icu_check: differs: {str(difference)[:300]}", file=sys.stderr)
    calls = sum(len(row) - 1 for row in full[1:])
    print(f"icu_check: {len(full[0])} locales, {calls} ICU answers, {len(differences)} differ ({sides[1]})")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
