"""Generate the shipped demo scenarios, resources/demo/NAME.backcheck, from the project's own test chain.

Run: .venv/bin/python tools/make_demos.py [--out DIR] [NAME ...]

For each scenario of tools/demo_scenarios.py: start anvil from the committed state and the
loopback servers (issuer API, Jupiter prices, Blockscout), put them into the scenario's state,
run ``backcheck inspect … --save`` with every endpoint on loopback (the rest on a closed
loopback port, so nothing reaches a public host), check that the report shows the scenario's
findings, then relabel the snapshot as a demo.
A scenario whose report does not show them writes nothing and fails the run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: tests.helpers and tools.* live in the checkout
    sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from backcheck.core import cli, snapshot  # noqa: E402
from backcheck.core.registry import Registry  # noqa: E402
from backcheck.core.settings import DECLARED  # noqa: E402
from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402
from tools.demo_scenarios import SCENARIOS, Scenario, lab  # noqa: E402

DEMO_DIR = ROOT / "resources" / "demo"
CLOSED_PORT_URL = "http://127.0.0.1:9"


@contextlib.contextmanager
def isolated(folder: Path) -> Iterator[Path]:
    """Settings, cache and keyring of one run, apart from the user's: every endpoint a closed loopback port.

    Yields the settings file, for the endpoints that have no command-line option.
    """
    config = folder / "config"
    config.mkdir()
    closed = {key: CLOSED_PORT_URL for key, setting in DECLARED.items() if setting.is_url}
    closed["logs.confirmations"] = "0"  # the local chains have no reorgs; scan to their head
    settings = config / "settings.json"
    settings.write_text(json.dumps(closed))
    env = {"BACKCHECK_CONFIG_DIR": str(config), "BACKCHECK_CACHE_DIR": str(folder / "cache")}
    saved_env = {key: os.environ.get(key) for key in env}
    saved_keyring = keyring.get_keyring()
    os.environ.update(env)
    keyring.set_keyring(MemoryKeyring())
    try:
        yield settings
    finally:
        keyring.set_keyring(saved_keyring)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def make(scenario: Scenario, out: Path) -> str:
    """Generate one scenario into ``out``; return its digest.

    Raises:
        SystemExit: The inspection failed or its report does not show the scenario's findings.
    """
    with tempfile.TemporaryDirectory(prefix="backcheck-demo-") as tmp, isolated(Path(tmp)) as settings:
        live, demo = Path(tmp) / "live.backcheck", Path(tmp) / f"{scenario.name}{snapshot.SUFFIX}"
        with lab(scenario.chains) as running:
            settings.write_text(json.dumps(json.loads(settings.read_text()) | running.settings()))
            scenario.setup(running)
            args = ["inspect", scenario.query, "--chain", scenario.chain, *running.endpoints()]
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
                code = cli.main([*args, "--holders", "logs", "--save", str(live)])
        if code != cli.EXIT_OK:
            raise SystemExit(f"{scenario.name}: backcheck inspect exited {code}: {err.getvalue().strip()}")
        digest = snapshot.as_demo(live, demo, name=scenario.name, title=scenario.title, teaches=scenario.teaches)
        opened = snapshot.read(demo)
        report = snapshot.open_report(opened, Registry.load(), now=opened.inspection.generated_at)
        problems = scenario.problems(report.document)
        if problems:
            raise SystemExit(
                f"{scenario.name}: the report does not show what the scenario teaches: {'; '.join(problems)}"
            )
        snapshot.write_atomic(out / demo.name, opened.data)
    return digest


def main(argv: list[str] | None = None) -> int:
    """Generate the named scenarios (all without names) and print one line per file."""
    known = {s.name: s for s in SCENARIOS}
    parser = argparse.ArgumentParser(description="Generate the shipped demo scenarios from the test chain.")
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"scenarios to generate (default: all): {', '.join(known)}"
    )
    parser.add_argument(
        "--out", type=Path, default=DEMO_DIR, help=f"folder to write NAME.backcheck into (default: {DEMO_DIR})"
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"no scenario called {unknown[0]!r}; scenarios: {', '.join(known)}")
    args.out.mkdir(parents=True, exist_ok=True)
    new = []
    for name in args.names or list(known):
        started = time.monotonic()
        path = args.out / f"{name}{snapshot.SUFFIX}"
        new += [] if path.exists() else [path.name]
        digest = make(known[name], args.out)
        print(f"{path}  digest {digest}  ({time.monotonic() - started:.1f} s)")
    if new and args.out.resolve() == DEMO_DIR:
        # The strict editable install links each file: a new one is invisible to `backcheck demo` until re-linked.
        print(f"New demo files ({', '.join(new)}): run tools/bootstrap.sh so the installed app sees them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
