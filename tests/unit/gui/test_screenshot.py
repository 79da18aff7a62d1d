"""``backcheck screenshot``: a PNG of each view of the real window on a demo, offscreen and offline; bad input is one sentence."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from backcheck.gui import launcher, screenshot

BACKCHECK = Path(sys.executable).with_name("backcheck")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: a demo opens offline."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network used by a screenshot: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def shoot(*args: str) -> int | str | None:
    """Run the command as ``backcheck screenshot …`` dispatches it; a usage error exits from argparse."""
    try:
        return launcher.main(["screenshot", *args])
    except SystemExit as exited:
        return exited.code


def size_of(path: Path) -> tuple[int, int]:
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    return image.width(), image.height()


@pytest.mark.parametrize("view", screenshot.VIEWS)
def test_each_view_is_a_png_of_the_size_asked(view, tmp_path, no_network, capsys, artifacts_dir):
    out = tmp_path / f"clean-{view}.png"
    code = shoot("--demo", "clean", "--view", view, "--out", str(out))
    err = capsys.readouterr().err
    assert code == 0, err
    assert err == f"backcheck: wrote {out}\n"
    assert size_of(out) == (1280, 800)
    (artifacts_dir / out.name).write_bytes(out.read_bytes())


@pytest.mark.parametrize(("view", "step"), [("answers", None), ("walkthrough", "3")])
def test_presentation_scale_on_a_projector(view, step, tmp_path, no_network, capsys):
    """Scale 1.5 on 1280×720; the application's font, palette and style are as they were afterwards."""
    app = QApplication.instance()
    font, palette, style = app.font(), app.palette(), app.style().name()
    out = tmp_path / "shot.png"
    extra = ["--step", step] if step else []
    code = shoot(
        "--demo", "paused-single-key", "--view", view, *extra, "--scale", "1.5", "--size", "1280x720", "--out", str(out)
    )
    assert code == 0, capsys.readouterr().err
    assert size_of(out) == (1280, 720)
    assert app.font() == font and app.palette() == palette and app.style().name() == style


def test_the_walkthrough_step_is_the_one_asked(tmp_path, no_network):
    first, third = tmp_path / "1.png", tmp_path / "3.png"
    assert shoot("--demo", "clean", "--view", "walkthrough", "--out", str(first)) == 0
    assert shoot("--demo", "clean", "--view", "walkthrough", "--step", "3", "--out", str(third)) == 0
    assert QImage(str(first)) != QImage(str(third))


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--view", "nope"], "Argument --view: invalid choice: 'nope'"),
        (
            ["--size", "10x10"],
            "Argument --size: expected WIDTHxHEIGHT in pixels, from 480x360 to 3840x2160, e.g. 1280x800.",
        ),
        (["--size", "wide"], "Argument --size: expected WIDTHxHEIGHT in pixels"),
        (["--scale", "nan"], "Argument --scale: expected a number from 1 to 3, e.g. 1.5."),
        (["--scale", "0.5"], "Argument --scale: expected a number from 1 to 3"),
        (["--step", "0"], "Argument --step: expected a whole number from 1, e.g. 3."),
        (["--step", "2"], "--step goes with --view walkthrough only"),
        (["--out", "shot.jpg"], "--out must name a .png file, not 'shot.jpg'"),
        (["--demo", "nope"], "There is no demo called 'nope'. Demos: clean,"),
        (["--view", "walkthrough", "--step", "99"], "The walkthrough of this demo has 11 steps: give --step 1 to 11."),
        (
            ["--out", "{tmp}/missing/shot.png"],
            "Cannot write {tmp}/missing/shot.png: the folder {tmp}/missing does not exist.",
        ),
        (["--out", "{tmp}"], "--out must name a .png file"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(args, sentence, tmp_path, capsys, no_network):
    folder = tmp_path / "shots"
    folder.mkdir()
    defaults = {"--demo": "clean", "--view": "answers", "--out": str(folder / "shot.png")}
    given = [a.replace("{tmp}", str(folder)) for a in args]
    for option, value in defaults.items():
        if option not in given:
            given += [option, value]
    assert shoot(*given) == 2
    err = capsys.readouterr().err
    assert err.startswith("backcheck: ") and err.count("\n") == 1, err
    assert sentence.replace("{tmp}", str(folder)) in err
    assert list(folder.iterdir()) == []


def test_a_missing_option_is_one_sentence(capsys):
    assert shoot("--demo", "clean") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "The following arguments are required: --view, --out." in err


def test_the_installed_command_needs_no_display(tmp_path):
    """No DISPLAY and no QT_QPA_PLATFORM: it draws offscreen by itself and says one line."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "impostor.png"
    args = [
        str(BACKCHECK),
        "screenshot",
        "--demo",
        "impostor",
        "--view",
        "checks",
        "--size",
        "1024x700",
        "--out",
        str(out),
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"backcheck: wrote {out}\n"  # no notice from the offscreen platform
    assert size_of(out) == (1024, 700)
