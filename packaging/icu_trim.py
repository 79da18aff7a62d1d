"""Trim the ICU data library PySide6 ships on Linux to the parts Qt can read (31 MiB → 17 MiB).

QtCore is the only bundled binary that links ICU, and it calls four families of ICU functions
(``nm -D --undefined-only libQt6Core.so.6 | grep _73``): case mapping (``u_strToUpper/Lower``,
whose tables are built into libicuuc), converters (``ucnv_*``: ``*.cnv``, ``cnvalias.icu``),
collation (``ucol_*``: ``coll/``) and time zones (``ucal_*``: the locale tree, ``zone/``,
``zoneinfo64``, ``metaZones`` …). The trees only other ICU services read are dropped: break
iteration (``brkitr/``), measure units (``unit/``), currency names (``curr/``), language names
(``lang/``), transliteration (``translit/``), spelled-out numbers (``rbnf/``) and StringPrep
profiles (``*.spp``). Every locale, collation, converter and time zone name stays;
``packaging/icu_check.py`` compares what Qt's ICU calls answer with the full and the trimmed data.

``libicudata.so.73`` holds one ICU common-data package (format ``CmnD``: a header, a table of
contents of ``(name offset, data offset)`` pairs sorted by name, the names, then each item
16-byte aligned) as the symbol ``icudt73_dat``; the trimmed package is linked back into a
library of the same name with the same symbol, so libicuuc loads it unchanged.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

DROPPED_TREES = ("brkitr", "unit", "curr", "lang", "translit", "rbnf")
DROPPED_SUFFIXES = (".spp",)
_ALIGN = 16
_PAD = b"\xaa"  # what icupkg fills alignment gaps with


def rodata(library: bytes) -> bytes:
    """The ``.rodata`` section of a 64-bit little-endian ELF library (where ICU keeps its package)."""
    if library[:6] != b"\x7fELF\x02\x01":
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, shentsize, shnum, shstrndx = (
        struct.unpack_from("<Q", library, 0x28)[0],
        *struct.unpack_from("<HHH", library, 0x3A),
    )
    sections = [struct.unpack_from("<IIQQQQ", library, shoff + i * shentsize) for i in range(shnum)]
    names_at = sections[shstrndx][4]
    for name, _type, _flags, _addr, offset, size in sections:
        end = library.index(b"\0", names_at + name)
        if library[names_at + name : end] == b".rodata":
            return library[offset : offset + size]
    raise ValueError("no .rodata section")


def items(package: bytes) -> tuple[bytes, dict[str, bytes]]:
    """Split an ICU common-data package into its header and its items by name."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27) or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common-data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    ends = [offset for _name, offset in toc[1:]] + [len(package) - header_size]
    found = {}
    for (name_at, offset), end in zip(toc, ends, strict=True):
        start = header_size + name_at
        name = package[start : package.index(b"\0", start)].decode("ascii")
        found[name] = package[header_size + offset : header_size + end]
    return package[:header_size], found


def pack(header: bytes, kept: dict[str, bytes]) -> bytes:
    """Write a common-data package, laid out as ICU's ``icupkg`` writes one."""
    names = sorted(kept)  # ICU finds an item by binary search on the name bytes
    table = 4 + 8 * len(names)
    name_blob = b"".join(name.encode("ascii") + b"\0" for name in names)
    name_offsets, at = [], table
    for name in names:
        name_offsets.append(at)
        at += len(name) + 1
    data, data_offsets = bytearray(), []
    first = -(-(table + len(name_blob)) // _ALIGN) * _ALIGN
    for name in names:
        data += _PAD * (-len(data) % _ALIGN)
        data_offsets.append(first + len(data))
        data += kept[name]
    toc = struct.pack("<I", len(names)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    padding = _PAD * (first - table - len(name_blob))
    return header + toc + name_blob + padding + bytes(data)


def dropped(name: str) -> bool:
    """Whether an item (``icudt73l/brkitr/word.brk``) belongs to a service Qt never calls."""
    parts = name.split("/")
    return (len(parts) > 2 and parts[1] in DROPPED_TREES) or name.endswith(DROPPED_SUFFIXES)


def trim_library(source: Path, workdir: Path) -> Path:
    """Build a trimmed copy of ``libicudata.so.NN`` in ``workdir`` and return its path."""
    match = re.fullmatch(r"libicudata\.so\.(\d+)", source.name)
    if not match:
        raise ValueError(f"{source.name} is not an ICU data library")
    header, found = items(rodata(source.read_bytes()))
    kept = {name: data for name, data in found.items() if not dropped(name)}
    workdir.mkdir(parents=True, exist_ok=True)
    package = workdir / f"icudt{match.group(1)}l.dat"
    package.write_bytes(pack(header, kept))
    symbol = f"icudt{match.group(1)}_dat"
    assembly = workdir / "icudata.s"
    assembly.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {_ALIGN}\n{symbol}:\n"
        f'\t.incbin "{package.name}"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    target = workdir / source.name
    # binutils only (already needed by PyInstaller's strip): no C compiler on the build machine.
    subprocess.run(["as", "-o", "icudata.o", assembly.name], cwd=workdir, check=True)
    subprocess.run(["ld", "-shared", "-soname", source.name, "-o", target.name, "icudata.o"], cwd=workdir, check=True)
    print(
        f"icu_trim: {source.name} {len(found)} → {len(kept)} items, {source.stat().st_size >> 20} → "
        f"{target.stat().st_size >> 20} MiB"
    )
    return target


def trimmed_binaries(binaries: list[tuple[str, str, str]], workdir: Path) -> list[tuple[str, str, str]]:
    """Replace the ICU data library in a PyInstaller binary list with its trimmed copy (Linux)."""
    return [
        (dest, str(trim_library(Path(src), workdir)), kind)
        if kind == "BINARY" and re.fullmatch(r"libicudata\.so\.\d+", Path(dest).name)
        else (dest, src, kind)
        for dest, src, kind in binaries
    ]
