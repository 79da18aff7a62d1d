"""packaging/icu_trim.py: the ICU data package is rewritten item for item, and the check catches loss."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icu_trim = _load("icu_trim")


def _package(found: dict[str, bytes]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + bytes(8) + b"CmnD" + bytes(16)
    return icu_trim.pack(header, found)


def test_pack_and_items_round_trip_with_16_byte_aligned_items_sorted_by_name():
    found = {"icudt73l/zz.res": b"z" * 17, "icudt73l/coll/de.res": b"c", "icudt73l/a.res": b"a" * 16}
    package = _package(found)
    header, read = icu_trim.items(package)
    assert len(header) == 32
    assert {name: data.rstrip(b"\xaa") for name, data in read.items()} == found
    (count,) = struct.unpack_from("<I", package, 32)
    offsets = [struct.unpack_from("<II", package, 32 + 4 + 8 * i) for i in range(count)]
    names = [package[32 + n : package.index(b"\0", 32 + n)].decode() for n, _ in offsets]
    assert names == sorted(found)
    assert all(data % 16 == 0 for _, data in offsets)
    assert _package(dict(read)) == package  # a re-pack of what was read is byte-identical


def test_items_refuses_what_is_not_a_common_data_package():
    with pytest.raises(ValueError, match="not an ICU common-data package"):
        icu_trim.items(b"\x20\x00\xda\x28" + bytes(60))
    with pytest.raises(ValueError, match="not a 64-bit"):
        icu_trim.rodata(b"MZ" + bytes(100))


@pytest.mark.parametrize(
    ("name", "gone"),
    [
        ("icudt73l/brkitr/word.brk", True),
        ("icudt73l/unit/de.res", True),
        ("icudt73l/curr/de.res", True),
        ("icudt73l/lang/de.res", True),
        ("icudt73l/translit/root.res", True),
        ("icudt73l/rbnf/de.res", True),
        ("icudt73l/rfc3491.spp", True),
        ("icudt73l/coll/de.res", False),  # QCollator
        ("icudt73l/zone/de.res", False),  # QTimeZone display names
        ("icudt73l/region/de.res", False),
        ("icudt73l/de.res", False),  # the locale tree (calendars)
        ("icudt73l/ibm-943_P15A-2003.cnv", False),  # QStringConverter
        ("icudt73l/cnvalias.icu", False),
        ("icudt73l/zoneinfo64.res", False),
        ("icudt73l/brkitr.res", False),  # a file named like a tree is not the tree
    ],
)
def test_only_the_trees_qt_never_reads_are_dropped(name, gone):
    assert icu_trim.dropped(name) is gone


def _bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trees: tuple[str, ...]) -> Path:
    """A folder with PySide6's libicuuc/libicui18n and a libicudata trimmed of these trees."""
    import PySide6

    qt_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    source = next(qt_lib.glob("libicudata.so.*"))
    folder = tmp_path / "lib"
    folder.mkdir()
    for library in (*qt_lib.glob("libicuuc.so.*"), *qt_lib.glob("libicui18n.so.*")):
        shutil.copy2(library, folder)
    monkeypatch.setattr(icu_trim, "DROPPED_TREES", trees)
    shutil.copy2(icu_trim.trim_library(source, tmp_path / "work"), folder)
    return folder


@pytest.mark.skipif(not LINUX, reason="PySide6 ships its own ICU only on Linux")
@pytest.mark.parametrize(
    ("trees", "returncode"),
    [(icu_trim.DROPPED_TREES, 0), ((*icu_trim.DROPPED_TREES, "zone"), 1), ((*icu_trim.DROPPED_TREES, "coll"), 1)],
)
def test_the_check_passes_the_trim_and_fails_when_data_qt_reads_is_gone(tmp_path, monkeypatch, trees, returncode):
    folder = _bundle(tmp_path, monkeypatch, trees)
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "icu_check.py"), str(folder)], capture_output=True, text=True
    )
    assert result.returncode == returncode, result.stderr
    assert (" 0 differ" in result.stdout) is (returncode == 0)
    assert ("differs:" in result.stderr) is (returncode == 1)
