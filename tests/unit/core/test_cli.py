"""The text report: the answer first, info apart from passes, and no raw control characters."""

from __future__ import annotations

from pathlib import Path

from backcheck.core.cli import format_text


def report(**token) -> dict:
    return {
        "token": {
            "symbol": "AAPLx",
            "name": "Apple xStock",
            "issuer": "Backed",
            "chain": "ethereum",
            "address": "0x9d27",
            "official": True,
            "registry_source": None,
        }
        | token,
        "verdict": {
            "counts": {"critical": 1, "pass": 2, "info": 1, "unknown": 0},
            "worst": ["CT-4 Paused or frozen now"],
            "red_flags": [],
            "coverage": "3 of 4 checks measured",
        },
        "facts": {},
        "findings": [
            {"id": "CA-5", "status": "pass", "info": True, "title": "Raw vs display units differ", "explanation": "x"},
            {"id": "CT-4", "status": "critical", "title": "Paused or frozen now", "explanation": "Paused."},
        ],
    }


def test_the_answer_comes_before_the_facts():
    text = format_text(report())
    assert text.index("Answer") < text.index("Facts") < text.index("Findings")
    assert "1 critical, 2 pass, 1 info. 3 of 4 checks measured." in text
    assert "Worst: CT-4 Paused or frozen now." in text


def test_an_info_finding_is_not_shown_as_a_pass():
    lines = format_text(report()).splitlines()
    assert any(line.split()[:2] == ["INFO", "CA-5"] for line in lines)
    assert not any(line.split()[:2] == ["PASS", "CA-5"] for line in lines)


def test_control_characters_from_a_source_are_escaped():
    text = format_text(report(name="Apple\x1b[31m red\nsecond line"))
    assert "\x1b" not in text
    assert "Apple\\x1b[31m red\\nsecond line" in text


def test_an_unexpected_error_is_one_sentence_and_a_crash_report(monkeypatch, capsys, tmp_path):
    """The last guard: no traceback on screen; the report file has it, with keys redacted."""
    from backcheck.core import cli

    def broken(args):
        raise ZeroDivisionError("https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161")

    monkeypatch.setattr(cli, "_demo", broken)
    assert cli.main(["demo"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "Something went wrong inside Backcheck (ZeroDivisionError); nothing was changed." in err
    path = err.split("written to ")[1].split("; please")[0]
    text = Path(path).read_text()
    assert "Traceback" in text and "ZeroDivisionError" in text and "infura.io/v3/<redacted>" in text
    assert "9aa3d95b3bc440fa88ea12eaa4456161" not in text
