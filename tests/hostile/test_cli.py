"""Every hostile command line of ``cases.py`` through the real entry point: refused as bad input.

Each row: exit code 2, exactly one line on stderr that starts with ``backcheck: `` and holds no raw
control character, nothing on stdout, no traceback. The entry point is the installed command's
(``backcheck.gui.launcher.main``), so a row that would open the window instead fails too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backcheck.gui.launcher import main
from tests.hostile.cases import CASES, Case

MIN_CASES = 250


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | str | None, str, str]:
    try:
        code: int | str | None = main(argv)
    except SystemExit as exc:  # argparse's usage errors and --help leave this way
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_is_large_and_its_names_unique():
    assert len(CASES) >= MIN_CASES
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_in_one_line(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    for name, data in case.files:
        (tmp_path / name).write_bytes(data)
    argv = [arg.replace("{dir}", str(tmp_path)) for arg in case.argv]
    code, out, err = run(argv, capsys)
    assert "Traceback" not in out + err
    assert out == ""
    assert code == 2, err
    assert err.startswith("backcheck: ") and err.endswith("\n") and err.count("\n") == 1, err
    sentence = err.removeprefix("backcheck: ").removesuffix("\n")
    assert sentence.isprintable(), sentence  # no raw newline, escape sequence or bidi override reaches a terminal
    assert sentence.rstrip(")").endswith("."), sentence
    assert case.expect in sentence
