"""Typed settings: every kind at and beyond its bounds, hostile values, corrupt files kept aside, atomic saves."""

import json
import os
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcheck.core import cli
from backcheck.core.errors import BadInput
from backcheck.core.rules import RuleConfig
from backcheck.core.settings import (
    DECLARED,
    HOLDER_METHODS,
    MAX_FILE_BYTES,
    MAX_VALUE_CHARS,
    THRESHOLD_KINDS,
    THRESHOLDS_DOC,
    Choice,
    Country,
    Number,
    Settings,
    Url,
    WholeNumber,
    cache_dir,
    validated,
)

NUMBERS = sorted(k for k, s in DECLARED.items() if isinstance(s.kind, Number))
WHOLE_NUMBERS = sorted(k for k, s in DECLARED.items() if isinstance(s.kind, WholeNumber))
HOSTILE = ["", " ", "0,25", "NaN", "nan", "inf", "-inf", "Infinity", "1e3", "1E-3", "+1", "-0", ".5", "5.", "0x1",
           "1_000", "٣", "1 0", "0.25\n", "\n", "0.25\r", "\t1", "\x1b[31m1", "1\x00", "\u202e1"]  # fmt: skip


def refused(key, value):
    with pytest.raises(BadInput) as caught:
        validated(key, value)
    message = str(caught.value)
    quoted = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "…"  # long pastes are cut
    assert message.startswith(f"Setting {key} cannot be {quoted}: expected "), message
    assert message.isprintable() and "\n" not in message, message  # control characters never reach a terminal raw
    return message


def write(config_dir, content):
    path = config_dir / "settings.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def bad_files(config_dir):
    return sorted(config_dir.glob("settings.json.bad-*"))


# -- kinds -------------------------------------------------------------------------------------


def test_every_setting_has_a_kind_and_its_default_passes_it():
    assert set(THRESHOLDS_DOC["thresholds"]) == {k.removeprefix("threshold.") for k in DECLARED if "threshold." in k}
    assert set(THRESHOLDS_DOC["thresholds"]) <= set(THRESHOLD_KINDS)  # each with a range chosen for it
    for key, setting in DECLARED.items():
        assert isinstance(setting.kind, Url | Number | WholeNumber | Choice | Country), key
        assert validated(key, setting.default) == setting.default, key
        assert setting.is_url == isinstance(setting.kind, Url)


def test_share_thresholds_are_within_zero_and_one():
    shares = [k for k in NUMBERS if k.endswith((".tolerance", ".caution", ".warning", ".float_min", ".supply_jump"))]
    assert len(shares) == 11
    for key in shares:
        assert (DECLARED[key].kind.low, DECLARED[key].kind.high) == (0, 1), key


@pytest.mark.parametrize("key", NUMBERS)
def test_number_bounds(key):
    kind = DECLARED[key].kind
    step = Decimal("0.001")
    assert validated(key, format(kind.low, "f")) == format(kind.low, "f")
    assert validated(key, format(kind.high, "f")) == format(kind.high, "f")
    assert validated(key, format(kind.low + step, "f")) == format(kind.low + step, "f")
    assert validated(key, format(kind.high - step, "f")) == format(kind.high - step, "f")
    refused(key, format(kind.low - step, "f"))
    message = refused(key, format(kind.high + step, "f"))
    assert f"from {kind.low} to {kind.high}" in message


@pytest.mark.parametrize("key", WHOLE_NUMBERS)
def test_whole_number_bounds(key):
    kind = DECLARED[key].kind
    for inside in (kind.low, kind.low + 1, kind.high - 1, kind.high):
        assert validated(key, str(inside)) == str(inside)
    refused(key, str(kind.low - 1))
    message = refused(key, str(kind.high + 1))
    assert f"a whole number from {kind.low} to {kind.high}" in message
    refused(key, f"{kind.low}.0")
    refused(key, f"{kind.high}.5")


def test_the_log_scan_limits():
    assert (DECLARED["logs.confirmations"].kind.low, DECLARED["logs.confirmations"].kind.high) == (0, 10_000)
    assert (DECLARED["logs.max_blocks"].kind.low, DECLARED["logs.max_blocks"].kind.high) == (0, 1_000_000_000)
    assert validated("logs.max_blocks", "0500") == "500"


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("key", ["threshold.HD-1.caution", "threshold.CA-1.notice_hours", "logs.confirmations",
                                 "logs.max_blocks", "threshold.CT-9.days"])  # fmt: skip
def test_numbers_refuse_every_other_spelling(key, value):
    refused(key, value)


def test_the_message_names_setting_value_and_expectation():
    assert refused("threshold.HD-1.caution", "0,25") == (
        "Setting threshold.HD-1.caution cannot be '0,25': expected a number from 0 to 1, written with digits "
        "and at most one dot (the default is '0.25')."
    )
    assert "'\\x1b[31m1'" in refused("logs.confirmations", "\x1b[31m1")
    assert "'1\\n2'" in refused("logs.confirmations", "1\n2")


def test_a_long_value_is_cut_in_the_message():
    message = refused("logs.confirmations", "9" * 5000)
    assert len(message) < 300 and "…" in message


def test_surrounding_spaces_are_dropped_and_letters_normalized():
    assert validated("threshold.HD-1.caution", " 0.3 ") == "0.3"
    assert validated("country", "ch") == "CH"
    assert validated("holders.method", "LOGS") == "logs"


@pytest.mark.parametrize("value", ["", "CH", "de", "GB", "us", "ZW", "AD"])
def test_countries_accepted(value):
    assert validated("country", value) == value.upper()


@pytest.mark.parametrize("value", ["UK", "USA", "U", "U1", "XX", "EU", "C H", "US\n", "\x1b[2JUS", "ÜS"])
def test_countries_refused(value):
    assert "ISO 3166" in refused("country", value)


def test_holder_methods_are_the_ones_the_cli_offers():
    for method in HOLDER_METHODS:
        assert validated("holders.method", method) == method
    assert "one of auto, blockscout, ethplorer, goldrush, logs" in refused("holders.method", "scan")
    refused("holders.method", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://rpc.example",
        "https://rpc.example:65535/v1",
        "https://rpc.example:1",
        "http://127.0.0.1:8545",
        "http://localhost:9/api",
        "http://[::1]:8545",
        "https://rpc.example/" + "a" * (MAX_VALUE_CHARS - len("https://rpc.example/")),
    ],
)
def test_urls_accepted(url):
    assert validated("rpc.ethereum", url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://rpc.example",
        "https://rpc.example:65536",
        "https://rpc.example:99999999",
        "https://rpc.example:port",
        "ftp://rpc.example",
        "rpc.example",
        "",
        "https://rpc.example/\nX-Injected: 1",
        "https://rpc.example/ path",
        "https://rpc\x1b[31m.example",
        "https://rpc.example/" + "a" * (MAX_VALUE_CHARS + 1 - len("https://rpc.example/")),
    ],
)
def test_urls_refused(url):
    assert "plain http to 127.0.0.1 or localhost only" in refused("api.xstocks", url)


@given(key=st.sampled_from(sorted(DECLARED)), value=st.text(max_size=40) | st.from_regex(r"[0-9.,eE+-]{1,12}"))
def test_any_text_is_stored_valid_or_refused_in_one_printable_sentence(key, value):
    settings = Settings(Path("unused"))
    message = ""
    try:
        settings.override(key, value)
    except BadInput as exc:
        message = str(exc)
    if message:
        assert message.isprintable() and message.startswith(f"Setting {key} cannot be ")
        assert settings.get(key) == DECLARED[key].default
        return
    stored = settings.get(key)
    assert validated(key, stored) == stored  # what is read back passes again, unchanged
    kind = DECLARED[key].kind
    if isinstance(kind, Number | WholeNumber):
        assert kind.low <= settings.decimal(key) <= kind.high


def test_unknown_setting():
    with pytest.raises(BadInput, match=r"Unknown setting 'no\\nsuch'\."):
        validated("no\nsuch", "1")


# -- reading and writing --------------------------------------------------------------------------


def test_defaults_are_keyless_https_endpoints(config_dir):
    (config_dir / "settings.json").unlink()  # the suite's closed-port endpoints
    settings = Settings.load()
    assert settings.path == config_dir / "settings.json"
    assert settings.notice is None
    for key, setting in DECLARED.items():
        if setting.is_url:
            assert settings.get(key).startswith("https://"), key


def test_set_and_override_refuse_and_keep_the_old_value():
    settings = Settings.load()
    settings.set("threshold.HD-1.caution", "0.3")
    with pytest.raises(BadInput, match="threshold.HD-1.caution cannot be '0,25'"):
        settings.set("threshold.HD-1.caution", "0,25")
    with pytest.raises(BadInput, match="logs.confirmations cannot be 'x'"):
        settings.override("logs.confirmations", "x")
    assert settings.decimal("threshold.HD-1.caution") == Decimal("0.3")
    assert settings.integer("logs.confirmations") == 0  # the suite's settings file


def test_typed_accessors():
    settings = Settings.load()
    settings.override("logs.max_blocks", "1000")
    assert settings.integer("logs.max_blocks") == 1000
    assert settings.integer("threshold.CT-9.days") == 30
    assert settings.decimal("threshold.CT-9.days") == Decimal(30)
    assert settings.decimal("threshold.PM-1.warning") == Decimal("0.03")
    with pytest.raises(TypeError):
        settings.integer("threshold.HD-1.caution")
    with pytest.raises(TypeError):
        settings.decimal("rpc.ethereum")


def test_cli_overrides_win_and_are_not_saved(config_dir):
    (config_dir / "settings.json").unlink()
    settings = Settings.load()
    settings.set("rpc.arbitrum", "https://arb.example/rpc")
    settings.apply_cli_overrides(["ETH=http://127.0.0.1:8545"], ["xstocks=http://127.0.0.1:9/api"])
    assert settings.get("rpc.ethereum") == "http://127.0.0.1:8545"
    assert settings.get("api.xstocks") == "http://127.0.0.1:9/api"
    settings.save()
    stored = json.loads((config_dir / "settings.json").read_text())
    assert stored == {"rpc.arbitrum": "https://arb.example/rpc"}
    assert stat.S_IMODE((config_dir / "settings.json").stat().st_mode) == 0o600
    assert Settings.load().get("rpc.arbitrum") == "https://arb.example/rpc"


@pytest.mark.parametrize(
    ("rpc", "api", "message"),
    [
        (["ethereum"], [], "takes NAME=URL"),
        (["moon=https://x"], [], "Unknown chain 'moon'"),
        (["ethereum=http://example.com"], [], "--rpc ethereum: 'http://example.com' uses plain http to a remote host"),
        (
            ["ethereum=https://example.com:70000"],
            [],
            "--rpc ethereum: 'https://example.com:70000' has the port '70000', but a port is a whole number from 1 to 65535.",
        ),
        (["eth=https://example.com:0"], [], "--rpc eth: 'https://example.com:0' has the port '0'"),
        (
            ["ethereum=https://example.com\n"],
            [],
            r"--rpc ethereum: 'https://example.com\\n' contains a space or a control",
        ),
        (["ethereum=https://exa mple.com"], [], "contains a space or a control character"),
        (["ethereum=https://key:secret@example.com"], [], "'https://…@example.com' holds a user name or password"),
        (["eth\n=https://example.com"], [], r"--rpc takes NAME=URL .*, not 'eth\\n=https://example.com'\."),
        ([], ["nope=https://x"], "Unknown API 'nope'"),
        ([], ["xstocks=\x1b[31mhttps://x"], r"--api xstocks: '\\x1b\[31mhttps://x' contains"),
        ([], ["jupiter=https://x:99999999999999999999/"], "has the port '99999999999999999999'"),
    ],
)
def test_bad_overrides(rpc, api, message):
    settings = Settings.load()
    with pytest.raises(BadInput, match=message) as refused:
        settings.apply_cli_overrides(rpc, api)
    assert str(refused.value).isprintable() and "secret" not in str(refused.value)
    assert settings.get("rpc.ethereum") == "http://127.0.0.1:9"  # the suite's value: nothing half-applied


def test_update_is_all_or_nothing(config_dir, tmp_path):
    settings = Settings.load()
    before = (config_dir / "settings.json").read_text()
    with pytest.raises(BadInput):
        settings.update({"country": "DE", "logs.max_blocks": "1e3"})
    assert settings.get("country") == "" and (config_dir / "settings.json").read_text() == before
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.path = blocked / "settings.json"  # its folder cannot be created
    with pytest.raises(FileExistsError):
        settings.update({"country": "DE"})
    assert settings.get("country") == ""


def test_an_interrupted_save_leaves_no_temp_file_and_the_old_file(config_dir, monkeypatch):
    before = (config_dir / "settings.json").read_text()
    settings = Settings.load()
    settings.set("country", "DE")

    def power_cut(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError, match="Input/output error"):
        settings.save()
    assert (config_dir / "settings.json").read_text() == before
    assert not list(config_dir.glob(".settings-*"))


def test_a_killed_save_leaves_its_temp_file_only_until_the_next_load(config_dir):
    before = (config_dir / "settings.json").read_text()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_SAVE, str(config_dir / "settings.json")], capture_output=True, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    [left] = config_dir.glob(".settings-*")
    assert json.loads(left.read_text()) == {"country": "DE"}  # written and synced, never renamed
    assert (config_dir / "settings.json").read_text() == before
    settings = Settings.load()
    assert not left.exists() and settings.notice is None and settings.get("country") == ""


KILLED_SAVE = """
import os, signal, sys
from pathlib import Path
from backcheck.core.settings import Settings
settings = Settings(Path(sys.argv[1]))
settings.set("country", "DE")
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # the power goes out just before the rename
settings.save()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_a_temp_file_being_written_by_another_process_is_left_alone(config_dir):
    import fcntl

    live = config_dir / ".settings-live"
    live.write_text("{")
    with live.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        Settings.load()
        assert live.exists()
    Settings.load()
    assert not live.exists()


def test_only_regular_temp_files_are_removed(config_dir, tmp_path):
    folder, link = config_dir / ".settings-folder", config_dir / ".settings-link"
    folder.mkdir()
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    link.symlink_to(target)
    Settings.load()
    assert folder.is_dir() and link.is_symlink() and target.read_text() == "keep"


def test_unknown_text_keys_survive_a_save(config_dir):
    write(config_dir, json.dumps({"future.setting": "x", "country": "DE"}))
    settings = Settings.load()
    assert settings.notice is None
    settings.set("country", "CH")
    settings.save()
    assert json.loads((config_dir / "settings.json").read_text()) == {"future.setting": "x", "country": "CH"}


def test_a_byte_order_mark_is_harmless(config_dir):
    write(config_dir, "\ufeff" + json.dumps({"country": "DE"}))
    settings = Settings.load()
    assert settings.notice is None and settings.get("country") == "DE"


# -- corrupt files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{oops", "is not valid JSON (Expecting property name enclosed in double quotes at line 1)"),
        ("", "is not valid JSON"),
        ("[1, 2]", "is not a JSON object of settings"),
        ('"rpc.ethereum"', "is not a JSON object of settings"),
        ("null", "is not a JSON object of settings"),
        (b"\xff\xfe{\x00", "is not UTF-8 text"),
        ("[" * 100_000 + "]" * 100_000, "is nested too deeply"),
        (" " * MAX_FILE_BYTES + "{}", f"is larger than {MAX_FILE_BYTES:,} bytes"),
    ],
)
def test_an_unusable_file_is_kept_aside_and_defaults_are_used(config_dir, content, reason):
    path = write(config_dir, content)
    original = path.read_bytes()
    settings = Settings.load()
    assert reason in settings.notice
    assert "Backcheck starts on the default settings" in settings.notice
    [aside] = bad_files(config_dir)
    assert aside.name.startswith("settings.json.bad-") and aside.read_bytes() == original
    assert f"kept as {str(aside)!r}" in settings.notice
    assert not path.exists()
    assert settings.get("rpc.ethereum") == DECLARED["rpc.ethereum"].default
    assert Settings.load().notice is None  # said once


def test_a_file_just_under_the_size_cap_is_read(config_dir):
    body = json.dumps({"country": "DE"})
    write(config_dir, body + " " * (MAX_FILE_BYTES - len(body)))
    assert Settings.load().get("country") == "DE"


def test_a_folder_in_place_of_the_file(config_dir):
    path = config_dir / "settings.json"
    path.unlink()
    path.mkdir()
    settings = Settings.load()
    assert "is not a regular file" in settings.notice
    assert bad_files(config_dir)[0].is_dir()
    settings.save()
    assert path.is_file()


def test_good_values_of_a_partly_bad_file_are_kept(config_dir):
    doc = {
        "country": "de",
        "rpc.ethereum": "http://127.0.0.1:8545",
        "threshold.HD-1.caution": "0,25",
        "threshold.HD-2.warning": "NaN",
        "threshold.PM-1.caution": "Infinity",
        "logs.confirmations": "x",
        "logs.max_blocks": "1e3",
        "holders.method": 5,
        "future.setting": "kept",
        "future.number": 7,
    }
    path = write(config_dir, json.dumps(doc))
    original = path.read_text()
    settings = Settings.load()
    assert settings.notice.startswith(
        f"The settings file {str(path)!r} has 7 value(s) Backcheck cannot use (threshold.HD-1.caution = '0,25'; "
    )
    assert "and 4 more); those are back to their defaults and the other settings are kept" in settings.notice
    assert settings.get("country") == "DE" and settings.get("rpc.ethereum") == "http://127.0.0.1:8545"
    for key in ("threshold.HD-1.caution", "threshold.HD-2.warning", "logs.confirmations", "holders.method"):
        assert settings.get(key) == DECLARED[key].default
    assert settings.integer("logs.max_blocks") == 500_000
    [aside] = bad_files(config_dir)
    assert aside.read_text() == original
    written = json.loads(path.read_text())
    assert written == {"country": "DE", "rpc.ethereum": "http://127.0.0.1:8545", "future.setting": "kept"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = Settings.load()
    assert again.notice is None and again.get("country") == "DE"


def test_rules_run_on_a_file_that_held_bad_thresholds(config_dir):
    write(
        config_dir, json.dumps({"threshold.HD-1.caution": "0,25", "threshold.DQ-2.tolerance": "inf", "country": "ch"})
    )
    config = RuleConfig.load(Settings.load())
    assert config.thresholds["HD-1.caution"] == Decimal("0.25")
    assert config.thresholds["DQ-2.tolerance"] == Decimal("0.001")
    assert config.country == "CH"


def test_control_characters_in_a_file_never_reach_the_notice_raw(config_dir):
    write(config_dir, json.dumps({"country": "\x1b[31mUS\n", "\x1b]0;title\x07": ["x"]}))
    notice = Settings.load().notice
    assert notice.isprintable()
    assert "country = '\\x1b[31mUS\\n'" in notice and "'\\x1b]0;title\\x07' = ['x']" in notice


def test_an_earlier_bad_file_is_never_overwritten(config_dir):
    now = datetime.now(UTC)
    earlier = {}
    for second in (0, 1):  # the names this second and the next would take
        stamp = datetime.fromtimestamp(now.timestamp() + second, UTC).strftime("%Y%m%dT%H%M%SZ")
        taken = config_dir / f"settings.json.bad-{stamp}"
        taken.write_text(f"earlier {second}")
        earlier[taken] = taken.read_text()
    for attempt in ("{first", "{second"):
        write(config_dir, attempt)
        Settings.load()
    for taken, content in earlier.items():
        assert taken.read_text() == content
    assert sorted(p.read_text() for p in bad_files(config_dir)) == ["earlier 0", "earlier 1", "{first", "{second"]


def test_a_file_that_cannot_be_set_aside_stays_as_it_is(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "config-is-a-file"
    not_a_folder.write_text("{}")
    monkeypatch.setenv("BACKCHECK_CONFIG_DIR", str(not_a_folder))
    settings = Settings.load()
    assert settings.notice.startswith(f"The settings file {str(not_a_folder / 'settings.json')!r} cannot be read (")
    assert "could not be set aside" in settings.notice
    assert not_a_folder.read_text() == "{}"
    assert settings.get("country") == ""


def test_the_cli_says_it_once_on_stderr(config_dir, capsys):
    write(config_dir, json.dumps({"logs.confirmations": "x", "rpc.ethereum": "http://127.0.0.1:9"}))
    assert cli.main(["inspect", "ZZZZQ"]) == 2
    first = capsys.readouterr().err.splitlines()
    assert first[0].startswith("backcheck: The settings file ") and "logs.confirmations = 'x'" in first[0]
    assert len(first) == 2 and "No token matches" in first[1]
    assert cli.main(["inspect", "ZZZZQ"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


# -- environment --------------------------------------------------------------------------------------


def test_cache_dir_must_be_a_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BACKCHECK_CACHE_DIR", str(folder))
    assert cache_dir() == folder  # created when first used
    folder.mkdir()
    assert cache_dir() == folder
    a_file = tmp_path / "cache\nfile"
    a_file.write_text("")
    monkeypatch.setenv("BACKCHECK_CACHE_DIR", str(a_file))
    with pytest.raises(BadInput, match=r"BACKCHECK_CACHE_DIR is '.*cache\\nfile', which is not a folder"):
        cache_dir()


@pytest.mark.parametrize(("depth", "too_deep"), [(7, False), (8, False), (9, True)])
def test_nesting_is_measured_before_parsing(config_dir, depth, too_deep):
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    write(config_dir, '{"note": "[[[[[[[[[[ in a string", "x": ' + nested + "}")
    notice = Settings.load().notice
    assert ("is nested too deeply" in notice) is too_deep, notice
