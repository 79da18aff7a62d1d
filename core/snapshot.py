"""Snapshot files (``NAME.backcheck``): a report that lives on, opens offline and can be diffed.

A snapshot is a deterministic ZIP (fixed timestamps, sorted entries) of ``manifest.json``,
``report.json`` (the report as made), ``inspection.json`` (the typed facts the rules judge again
when the file is opened) and ``raw/NNNN.json`` (every HTTP exchange of the inspection, keys
redacted). The manifest lists each entry's sha256 and size; the **digest** is the sha256 of the
canonical manifest, so one short string names exactly what was seen.

A snapshot comes from anyone: opening one checks, before trusting a byte, that it is a ZIP of
sane size, that every name is a plain relative path, that the entries are exactly the manifest's
with the manifest's hashes, and that the manifest matches its JSON Schema. Older formats are
upgraded by one converter per version (Electrum's wallet-file pattern); newer ones are refused.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import BadInput
from .facts import iso
from .inspection_doc import inspection_doc, read_inspection
from .jsondoc import nesting
from .lookup import Inspection
from .recording import MAX_BODY_BYTES, MAX_TOTAL_BYTES, Exchange
from .registry import Registry
from .report import Origin, Report, make_report
from .resources import resource_path
from .rules import RuleConfig

SUFFIX = ".backcheck"
FORMAT = "backcheck.snapshot"
VERSION = 1
MAX_FILE_BYTES = 64 << 20
MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 32 << 20  # a single entry, uncompressed (report and inspection docs are far smaller)
MAX_TOTAL_ENTRY_BYTES = 128 << 20
MAX_DEPTH = 64  # an inspection document nests about ten levels (every-chain parts, tables of objects)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ENTRY = re.compile(r"(manifest|report|inspection)\.json|raw/\d{4,6}\.json")

# One converter per older format version: UPGRADERS[n] turns a version-n manifest (and its
# entries) into version n+1. Version 1 is the first; a format change adds one converter here.
Upgrader = Callable[[dict[str, Any], dict[str, bytes]], tuple[dict[str, Any], dict[str, bytes]]]
UPGRADERS: dict[int, Upgrader] = {}


@dataclasses.dataclass(frozen=True, slots=True)
class Snapshot:
    """An opened, verified snapshot.

    Attributes:
        manifest: The manifest (upgraded to the current version).
        digest: sha256 of the canonical manifest as stored in the file.
        inspection: The facts as measured.
        entries: Every other entry's bytes, by path (``report.json``, ``raw/0000.json`` …).
        data: The file's bytes (attached to PDF exports).
        name: The file's name.
    """

    manifest: dict[str, Any]
    digest: str
    inspection: Inspection
    entries: dict[str, bytes]
    data: bytes
    name: str

    @property
    def kind(self) -> str:
        """``live`` or ``demo``."""
        return str(self.manifest["kind"])


def canonical(doc: object) -> bytes:
    """The one byte form of a JSON document whose hash is its identity."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _chains(inspection: Inspection) -> list[dict[str, Any]]:
    """Per chain read: chain id or cluster, block/slot and chain time (from the ``chain_time`` fact)."""
    rows = []
    for part in inspection.per_chain or (inspection,):
        chain = part.target.chain
        clock = part.facts.get("chain_time")
        rows.append(
            {
                "chain": chain.key,
                "chain_id": chain.chain_id,
                "cluster": "mainnet-beta" if chain.kind == "solana" else None,
                "block": clock.block if clock is not None and clock.known else None,
                "block_hash": None,  # not read yet: the chain time and block number pin the state
                "time": clock.value if clock is not None and clock.known else None,
            }
        )
    return rows


def build(
    document: dict[str, Any],
    inspection: Inspection,
    raw: list[dict[str, Any]],
    *,
    omitted: int = 0,
    demo: dict[str, str] | None = None,
) -> tuple[bytes, str]:
    """The snapshot's bytes and digest: a report document, its inspection and its raw exchanges."""
    entries = {
        "report.json": canonical(document),
        "inspection.json": canonical(inspection_doc(inspection)),
        **{f"raw/{n:04d}.json": canonical(exchange) for n, exchange in enumerate(raw)},
    }
    manifest: dict[str, Any] = {
        "schema": f"{FORMAT}/{VERSION}",
        "app_version": document["made_by"]["app_version"],
        "thresholds_version": document["made_by"]["thresholds_version"],
        "kind": "demo" if demo else "live",
        "demo": demo,
        "as_of": iso(inspection.generated_at),
        "token": {
            "query": inspection.target.query,
            "symbol": document["token"]["symbol"],
            "chain": document["token"]["chain"],
            "address": inspection.target.address,
        },
        "chains": _chains(inspection),
        "raw": {
            "exchanges": len(raw),
            "bodies_omitted": omitted,
            "cap_bytes": {"per_body": MAX_BODY_BYTES, "total": MAX_TOTAL_BYTES},
            "note": "Bodies beyond the caps (long log scans) are kept as sha256 and size; the facts keep the "
            "derived balances and the exact method to re-run them.",
        },
        "entries": [
            {"path": path, "sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
            for path, body in sorted(entries.items())
        ],
    }
    manifest_bytes = canonical(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, body in sorted({**entries, "manifest.json": manifest_bytes}.items()):
            info = zipfile.ZipInfo(path, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, body)
    return out.getvalue(), hashlib.sha256(manifest_bytes).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a temp file in the same folder, then a rename).

    Raises:
        BadInput: The folder does not exist or cannot be written.
    """
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"Cannot write {path}: the folder {folder} does not exist.")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise BadInput(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise BadInput(f"Cannot write {path}: {exc.strerror or exc}.") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save(path: Path, report: Report, exchanges: list[Exchange], *, omitted: int = 0) -> str:
    """Write a live snapshot and return its digest.

    Raises:
        BadInput: The name does not end in ``.backcheck``, or the folder cannot be written.
    """
    if path.suffix != SUFFIX:
        raise BadInput(f"A snapshot's file name ends in {SUFFIX}; {path.name!r} does not.")
    data, digest = build(report.document, report.inspection, [e.to_json() for e in exchanges], omitted=omitted)
    write_atomic(path, data)
    return digest


def _fail(name: str, what: str) -> BadInput:
    return BadInput(f"{name} cannot be opened: {what}.")


def _entries(data: bytes, name: str) -> dict[str, bytes]:
    """Every entry of the ZIP, with names, count and sizes checked before and while reading."""
    if len(data) > MAX_FILE_BYTES:
        raise _fail(name, f"it is larger than {MAX_FILE_BYTES >> 20} MB, more than any snapshot")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _fail(name, "it is not a Backcheck snapshot (not a ZIP file, or cut short)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _fail(name, f"it holds {len(infos)} entries, more than {MAX_ENTRIES}")
        entries: dict[str, bytes] = {}
        total = 0
        for info in infos:
            path = info.filename
            pure = PurePosixPath(path)
            if pure.is_absolute() or ".." in pure.parts or "\\" in path or not _ENTRY.fullmatch(path):
                raise _fail(name, f"it holds an entry with an unsafe or unknown name ({path[:80]!r})")
            if path in entries:
                raise _fail(name, f"it holds {path!r} twice")
            if info.file_size > MAX_ENTRY_BYTES or total + info.file_size > MAX_TOTAL_ENTRY_BYTES:
                raise _fail(name, f"{path} unpacks to more than a snapshot may hold")
            try:
                with archive.open(info) as handle:
                    body = handle.read(MAX_ENTRY_BYTES + 1)  # the declared size may lie (zip bomb)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
                raise _fail(name, f"{path} is damaged or cut short") from None
            if len(body) > MAX_ENTRY_BYTES:
                raise _fail(name, f"{path} unpacks to more than a snapshot may hold")
            total += len(body)
            entries[path] = body
    return entries


def _json(body: bytes, name: str, path: str) -> Any:
    # Depth first: web3 raises the recursion limit so far that deep JSON would overflow the C stack.
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(name, f"{path} is not valid JSON (not UTF-8)") from None
    if nesting(text) > MAX_DEPTH:
        raise _fail(name, f"{path} is nested deeper than {MAX_DEPTH} levels, more than any snapshot")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise _fail(name, f"{path} is not valid JSON") from None


def _schema_version(manifest: object, name: str) -> int:
    schema = manifest.get("schema") if isinstance(manifest, dict) else None
    match = re.fullmatch(rf"{re.escape(FORMAT)}/(\d{{1,4}})", schema) if isinstance(schema, str) else None
    if match is None:
        raise _fail(name, "its manifest does not say it is a Backcheck snapshot")
    version = int(match.group(1))
    if version > VERSION:
        raise _fail(
            name,
            f"it was made by a newer Backcheck (snapshot format {version}; this version reads up to {VERSION}). "
            "Update Backcheck to open it",
        )
    if version < 1 or (version < VERSION and version not in UPGRADERS):
        raise _fail(name, f"snapshot format {version} is not one Backcheck ever wrote")
    return version


def read_bytes(data: bytes, name: str) -> Snapshot:
    """Open a snapshot from its bytes (``name`` is said in every message).

    Raises:
        BadInput: One sentence for any file that is not a whole, untampered snapshot.
    """
    entries = _entries(data, name)
    if "manifest.json" not in entries:
        raise _fail(name, "it has no manifest (not a Backcheck snapshot)")
    manifest_bytes = entries.pop("manifest.json")
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    manifest = _json(manifest_bytes, name, "manifest.json")
    version = _schema_version(manifest, name)
    while version < VERSION:
        manifest, entries = UPGRADERS[version](manifest, entries)
        version += 1
    _validate(manifest, name)
    listed = {e["path"]: e for e in manifest["entries"]}
    if set(listed) != set(entries):
        missing = sorted(set(listed) - set(entries)) or sorted(set(entries) - set(listed))
        raise _fail(name, f"its entries do not match its manifest ({missing[0]}): it was altered")
    for path, body in entries.items():
        if hashlib.sha256(body).hexdigest() != listed[path]["sha256"] or len(body) != listed[path]["size"]:
            raise _fail(name, f"{path} does not match the digest in its manifest: it was altered after saving")
    inspection = read_inspection(_json(entries["inspection.json"], name, "inspection.json"), name)
    return Snapshot(manifest, digest, inspection, entries, data, name)


@functools.cache
def _validator() -> Any:
    import jsonschema  # noqa: PLC0415 - ~0.1 s to import: only when a snapshot is read, not at first paint

    return jsonschema.Draft202012Validator(
        json.loads(resource_path("schema", "snapshot-manifest.schema.json").read_text())
    )


def _validate(manifest: dict[str, Any], name: str) -> None:
    import jsonschema  # noqa: PLC0415 - imported by _validator already

    error = jsonschema.exceptions.best_match(_validator().iter_errors(manifest))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise _fail(name, f"its manifest is not valid at {where} ({error.message[:120]})")


def read(path: Path) -> Snapshot:
    """Open a snapshot file.

    Raises:
        BadInput: The file is missing, unreadable, or not a whole, untampered snapshot.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _fail(path.name, f"it is larger than {MAX_FILE_BYTES >> 20} MB, more than any snapshot")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder, not a snapshot file.") from None
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from None
    return read_bytes(data, path.name)


def open_report(
    snapshot: Snapshot, registry: Registry, config: RuleConfig | None = None, now: datetime | None = None
) -> Report:
    """Judge a snapshot's facts again, offline, with today's thresholds (as of the snapshot's time)."""
    manifest = snapshot.manifest
    origin = Origin(
        manifest["kind"],
        {"app_version": manifest["app_version"], "thresholds_version": manifest["thresholds_version"]},
        {"digest": snapshot.digest, "file": snapshot.name},
        manifest["demo"],
    )
    return make_report(snapshot.inspection, registry, config, now=now, origin=origin)


def demo_path(name: str) -> Path:
    """The shipped demo scenario's file.

    Raises:
        BadInput: No demo has that name (the message lists them).
    """
    path = resource_path("demo", f"{name}{SUFFIX}")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", name) or not path.is_file():
        known = ", ".join(n for n, _ in demo_names()) or "none installed"
        raise BadInput(f"There is no demo called {name[:40]!r}. Demos: {known}.")
    return path


@dataclasses.dataclass(frozen=True, slots=True)
class Demo:
    """A shipped demo scenario as its manifest names it (the file is verified when it is opened)."""

    name: str
    title: str
    teaches: str
    path: Path


def _demo_label(path: Path) -> dict[str, str] | None:
    """The demo label of a snapshot file's manifest, without unpacking the rest (for the lists at start-up).

    Only the label's shape is checked here, so listing the demos does not import the schema
    validator before the first paint; opening the file verifies everything.

    Raises:
        BadInput: The file is not a snapshot with a readable manifest.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _fail(path.name, f"it is larger than {MAX_FILE_BYTES >> 20} MB, more than any snapshot")
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("manifest.json")
            if info.file_size > MAX_ENTRY_BYTES:
                raise _fail(path.name, "its manifest unpacks to more than a snapshot may hold")
            with archive.open(info) as handle:
                body = handle.read(MAX_ENTRY_BYTES + 1)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError):
        raise _fail(path.name, "it is not a Backcheck snapshot with a manifest") from None
    manifest = _json(body, path.name, "manifest.json")
    _schema_version(manifest, path.name)
    label = manifest.get("demo")
    if label is None:
        return None
    if not isinstance(label, dict) or not all(
        isinstance(label.get(k), str) and len(label[k]) <= 2000 for k in ("name", "title", "teaches")
    ):
        raise _fail(path.name, "its demo label is not valid")
    return {k: label[k] for k in ("name", "title", "teaches")}


def demos(folder: Path | None = None) -> list[Demo]:
    """The demo scenarios in ``folder`` (the shipped ones by default), by name; a file that is not one is skipped."""
    folder = resource_path("demo") if folder is None else folder
    found = []
    for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []:
        try:
            label = _demo_label(path)
        except BadInput:
            continue
        if label is not None:
            found.append(Demo(path.stem, label["title"], label["teaches"], path))
    return found


def demo_names() -> list[tuple[str, str]]:
    """(name, title) of every shipped demo, by name."""
    return [(d.name, d.title) for d in demos()]


def load_source(
    source: str, registry: Registry | None = None, config: RuleConfig | None = None
) -> tuple[Snapshot, Report]:
    """Open ``demo:NAME`` or a snapshot file and judge it again.

    Raises:
        BadInput: No such demo or file, or the file is not a whole, untampered snapshot.
    """
    path = demo_path(source.removeprefix("demo:")) if source.startswith("demo:") else Path(source)
    snapshot = read(path)
    return snapshot, open_report(snapshot, registry or Registry.load(), config)


def as_demo(src: Path, dest: Path, *, name: str, title: str, teaches: str) -> str:
    """Relabel a live snapshot as a shipped demo scenario (``tools/make_demos.py``); return its digest."""
    snapshot = read(src)
    demo = {"name": name, "title": title, "teaches": teaches}
    document = {**_json(snapshot.entries["report.json"], src.name, "report.json"), "kind": "demo", "demo": demo}
    raw = [_json(body, src.name, path) for path, body in sorted(snapshot.entries.items()) if path.startswith("raw/")]
    omitted = snapshot.manifest["raw"]["bodies_omitted"]
    data, digest = build(document, snapshot.inspection, raw, omitted=omitted, demo=demo)
    write_atomic(dest, data)
    return digest
