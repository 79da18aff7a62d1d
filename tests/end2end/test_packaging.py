"""The wheel installs backcheck.core and backcheck.gui, never a bare core or gui."""

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers.paths import BUILD, ROOT


def test_wheel_installs_only_backcheck_names(tmp_path: Path):
    out = BUILD / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = sorted(out.glob("backcheck-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"backcheck", wheel.name.split("-py3")[0] + ".dist-info"}, tops
    assert "backcheck/__init__.py" not in names  # a namespace package, shared with nobody's core
    assert "backcheck/resources/registry/registry.json" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in target.iterdir() if not p.name.endswith(".dist-info")) == [
        "backcheck",
        "bin",
    ]
    probe = (
        "import backcheck.core.registry as r, backcheck.gui.launcher as g; "
        "print(r.__file__); print(g.__file__); print(len(r.Registry.load().tokens))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    core_file, gui_file, count = result.stdout.split()
    assert core_file.startswith(str(target)) and gui_file.startswith(str(target))
    assert int(count) > 500
