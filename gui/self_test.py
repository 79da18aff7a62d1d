"""``backcheck --self-test``: prove a build works without a network or a person.

Opens the main window (offscreen when no display), loads the registry, searches it, opens a
shipped demo snapshot and exports it as PDF and HTML (in memory), and detects the keyring
backend. Prints one line per check; exit code 0 or 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

from backcheck.core import secrets, snapshot
from backcheck.core.adapters.evm import EvmReader
from backcheck.core.addresses import normalize_evm
from backcheck.core.chains import chain_by_key
from backcheck.core.market import session
from backcheck.core.registry import Registry
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings, config_dir

from .export import export_html, export_pdf
from .gc_guard import MainThreadCollector
from .main_window import MainWindow


def run_self_test() -> int:
    """Run the checks and return 0 when all pass."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ok = True

    def check(name: str, passed: bool, detail: str) -> None:
        nonlocal ok
        ok = ok and passed
        print(f"self-test {'ok  ' if passed else 'FAIL'} {name}: {detail}", flush=True)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    started = time.perf_counter()
    try:
        registry = Registry.load()
    except Exception as exc:
        check("registry", False, f"cannot load the bundled registry: {exc!r}")
        return 1
    check(
        "registry",
        len(registry.tokens) > 500,
        f"{len(registry.tokens)} tokens in {1000 * (time.perf_counter() - started):.0f} ms",
    )
    core = CoreLoop()
    collector = MainThreadCollector()
    try:
        window = MainWindow(registry, Settings(config_dir() / "settings.json"), core)
        window.show()
        app.processEvents()
        window.search_edit.setText("AAPLx")
        window.search()
        rows = window.candidates.rowCount()
        check(
            "window",
            window.isVisible() and rows > 1,
            f"platform {QApplication.platformName()}, 'AAPLx' gives {rows} candidates",
        )
        check("screenshot", not window.grab().isNull(), f"{window.width()}x{window.height()} px")
        window.close()
        check("web3", *_web3_loads(core))
    finally:
        core.stop()
        collector.stop()
    check("demo and export", *_demo_exports(registry))
    try:
        check(
            "market calendar",
            True,
            f"NYSE on 2026-11-26 (Thanksgiving): {session(datetime(2026, 11, 26, 15, tzinfo=UTC))}",
        )
    except Exception as exc:
        check("market calendar", False, f"the NYSE calendar failed to load: {exc!r}")
    try:
        kind = "secure" if secrets.is_secure() else "no secure storage: session-only keys"
        check("keyring", True, f"backend {secrets.backend_name()} ({kind})")
    except Exception as exc:
        check("keyring", False, f"backend detection failed: {exc!r}")
    print("self-test passed" if ok else "self-test FAILED", flush=True)
    return 0 if ok else 1


def _demo_exports(registry: Registry) -> tuple[bool, str]:
    """Open the first shipped demo (the snapshot format, its schema) and render its PDF and HTML (Jinja2, font)."""
    try:
        demo = snapshot.demos()[0]
        _, report = snapshot.load_source(f"demo:{demo.name}", registry)
        with tempfile.TemporaryDirectory() as folder:
            pdf, html = Path(folder) / "demo.pdf", Path(folder) / "demo.html"
            export_pdf(report.document, pdf, attachment=(demo.path.name, demo.path.read_bytes()))
            export_html(report.document, html)
            sizes = pdf.stat().st_size, html.stat().st_size
    except Exception as exc:
        return False, f"a demo could not be opened or exported: {exc!r}"
    return sizes[0] > 10_000 and sizes[
        1
    ] > 10_000, f"demo {demo.name!r} opened; PDF {sizes[0] // 1024} KB, HTML {sizes[1] // 1024} KB"


def _web3_loads(core: CoreLoop) -> tuple[bool, str]:
    """Build the web3 stack (provider, ABI codec, keccak) without sending anything."""
    try:
        reader = EvmReader(core.http, chain_by_key("ethereum"), "https://ethereum-rpc.publicnode.com")
        reader.web3()
        checksum = normalize_evm("0x9d275685dc284c8eb1c79f6aba7a63dc75ec890a")
    except Exception as exc:
        return False, f"web3 stack failed to load: {exc!r}"
    return checksum == "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a", f"loads; EIP-55 checksum {checksum}"
