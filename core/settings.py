"""Settings, each declared once with its key, default, kind and description (Electrum's ConfigVar idea).

Every value is checked by its kind where it is typed (:meth:`Settings.set`, :meth:`Settings.override`)
and again when the file is read, so a value read back is always valid. Stored as JSON in the user's
config folder, written atomically. Command-line overrides (``--rpc``, ``--api``) win over stored
values and are never written. A settings file Backcheck cannot use is kept aside, never lost: the
values that pass their check stay, the others are back to their defaults, and :attr:`Settings.notice`
says so once.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
import sys
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .adapters.explorers import BLOCKSCOUT, ETHPLORER, GOLDRUSH
from .chains import CHAINS, chain_by_key
from .errors import BadInput
from .http import check_url
from .jsondoc import nesting as _nesting
from .resources import resource_path


class Kind(Protocol):
    """What values a setting accepts.

    Attributes:
        expected: What a valid value looks like, completing "expected …" in a message.
    """

    @property
    def expected(self) -> str:
        """What a valid value looks like."""
        ...

    def normalized(self, text: str) -> str | None:
        """Return the value as stored, or ``None`` when it is not one of this kind."""
        ...


@dataclasses.dataclass(frozen=True, slots=True)
class Url:
    """A web address the endpoint policy accepts (https, or plain http to loopback only)."""

    @property
    def expected(self) -> str:
        """The endpoint policy in a few words."""
        return "an https:// address, or plain http to 127.0.0.1 or localhost only, with any port up to 65535"

    def normalized(self, text: str) -> str | None:
        """Return the URL, or ``None`` when the endpoint policy refuses it or its port is not a port."""
        try:
            url = check_url(text)
            urlsplit(url).port  # noqa: B018 - raises ValueError on a port above 65535 or not a number
        except (BadInput, ValueError):
            return None
        return url


@dataclasses.dataclass(frozen=True, slots=True)
class Number:
    """A finite decimal number in a range, written with digits and at most one dot."""

    low: Decimal
    high: Decimal

    @property
    def expected(self) -> str:
        """The range, and the one way to write a number."""
        return f"a number from {self.low} to {self.high}, written with digits and at most one dot"

    def normalized(self, text: str) -> str | None:
        """Return the number as typed, or ``None`` outside the range or written another way."""
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
            return None  # refuses "0,25", "1e3", "NaN", "inf", signs and non-ASCII digits
        return text if self.low <= Decimal(text) <= self.high else None


@dataclasses.dataclass(frozen=True, slots=True)
class WholeNumber:
    """A whole number in a range, written with digits only."""

    low: int
    high: int

    @property
    def expected(self) -> str:
        """The range."""
        return f"a whole number from {self.low} to {self.high}, written with digits only"

    def normalized(self, text: str) -> str | None:
        """Return the number without leading zeros, or ``None`` outside the range or written another way."""
        if not re.fullmatch(r"[0-9]+", text):
            return None
        number = int(text)
        return str(number) if self.low <= number <= self.high else None


@dataclasses.dataclass(frozen=True, slots=True)
class Choice:
    """One of a fixed list of words."""

    options: tuple[str, ...]

    @property
    def expected(self) -> str:
        """The options."""
        return f"one of {', '.join(self.options)}"

    def normalized(self, text: str) -> str | None:
        """Return the option in lower case, or ``None`` when it is not one."""
        return text.lower() if text.lower() in self.options else None


# ISO 3166-1 alpha-2: every officially assigned code.
COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
    BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
    ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
    IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
    NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
    SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
    VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - a block of codes reads better than 249 quoted strings
)


@dataclasses.dataclass(frozen=True, slots=True)
class Country:
    """An ISO 3166 alpha-2 country code, or empty for "not set"."""

    @property
    def expected(self) -> str:
        """What a country code looks like."""
        return "a two-letter ISO 3166 country code such as CH, DE or GB (not UK), or nothing"

    def normalized(self, text: str) -> str | None:
        """Return the code in upper case, or ``None`` when it is not an assigned code."""
        code = text.upper()
        return code if code == "" or code in COUNTRY_CODES else None


@dataclasses.dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting.

    Attributes:
        key: Dotted key as stored (``"rpc.ethereum"``).
        default: Value used when nothing is stored.
        description: One line a person reads in the settings dialog.
        kind: What values it accepts.
    """

    key: str
    default: str
    description: str
    kind: Kind

    @property
    def is_url(self) -> bool:
        """Whether values must pass the endpoint policy."""
        return isinstance(self.kind, Url)


APIS = {"xstocks": "https://api.xstocks.fi/api/v2", "jupiter": "https://api.jup.ag"}
# The ways to list EVM holders (evm_holders.py reads them).
HOLDER_METHODS = ("auto", "blockscout", "ethplorer", "goldrush", "logs")

# The versioned red-flag thresholds; each is also a setting, so users can override it.
THRESHOLDS_DOC = json.loads(resource_path("rules", "thresholds.json").read_text(encoding="utf-8"))
SHARE = Number(Decimal(0), Decimal(1))  # a fraction: 0.25 is 25 %
HOURS = Number(Decimal(0), Decimal(8760))  # up to a year
MULTIPLE = Number(Decimal(1), Decimal(100))
# Each threshold's kind, from the unit its name states.
THRESHOLD_KINDS: dict[str, Kind] = {
    "RS-1.cadence_multiple": MULTIPLE,
    "RS-1.unknown_cadence_hours": HOURS,
    "RS-2.tolerance": SHARE,
    "RS-2.max_plausible": MULTIPLE,  # coverage above this many times the supply is not believed
    "RS-3.tolerance": SHARE,
    "RS-7.supply_jump": SHARE,
    "CT-1.timelock_hours": HOURS,
    "CT-9.days": WholeNumber(1, 365),  # the event scan's window, read as whole days
    "HD-1.caution": SHARE,
    "HD-1.warning": SHARE,
    "HD-2.caution": SHARE,
    "HD-2.warning": SHARE,
    "HD-3.float_min": SHARE,
    "PM-1.caution": SHARE,
    "PM-1.warning": SHARE,
    "PM-2.heartbeat_minutes": Number(Decimal(0), Decimal(10080)),  # up to a week
    "CA-1.notice_hours": HOURS,
    "RD-2.min_usd": Number(Decimal(0), Decimal(10**12)),
    "RD-2.holding_multiple": MULTIPLE,
    "RD-4.max_settlement_days": WholeNumber(0, 365),
    "DQ-2.tolerance": SHARE,
    "DQ-3.freshness_hours": HOURS,
}
# A threshold added to thresholds.json before it gets its own range here (a test notices) still
# refuses anything but a finite, non-negative number.
ANY_AMOUNT = Number(Decimal(0), Decimal(10**12))

DECLARED: dict[str, Setting] = {
    s.key: s
    for s in (
        *(Setting(f"rpc.{c.key}", c.default_rpc, f"{c.name} RPC endpoint", Url()) for c in CHAINS),
        *(Setting(f"api.{name}", url, f"{name} API base URL", Url()) for name, url in APIS.items()),
        Setting("country", "", "Your country (ISO 3166 code), for jurisdiction checks", Country()),
        *(
            Setting(f"explorer.blockscout.{chain}", url, f"Blockscout instance for {chain}", Url())
            for chain, url in BLOCKSCOUT.items()
        ),
        Setting("api.ethplorer", ETHPLORER, "Ethplorer API base URL (Ethereum holders)", Url()),
        Setting("api.goldrush", GOLDRUSH, "GoldRush (Covalent) API base URL; its key lives in the OS keyring", Url()),
        Setting(
            "holders.method",
            "auto",
            "How to list EVM holders: auto, blockscout, ethplorer, goldrush or logs",
            Choice(HOLDER_METHODS),
        ),
        Setting(
            "logs.confirmations",
            "12",
            "Blocks to stay behind the chain head when scanning logs",
            WholeNumber(0, 10_000),
        ),
        *(
            Setting(f"threshold.{key}", value, f"Red-flag threshold {key}", THRESHOLD_KINDS.get(key, ANY_AMOUNT))
            for key, value in THRESHOLDS_DOC["thresholds"].items()
        ),
        Setting(
            "wallet.max_token_accounts",
            "10000",
            "Check my wallet: most Solana token accounts parsed; those past it are counted as not read",
            WholeNumber(1, 1_000_000),
        ),
        Setting(
            "wallet.calls_per_multicall",
            "500",
            "Check my wallet: most calls in one Multicall3 call (all of them go in one batch)",
            WholeNumber(2, 10_000),
        ),
        Setting(
            "logs.max_blocks",
            "500000",
            "Largest first scan 'auto' starts on its own (later scans resume)",
            WholeNumber(0, 1_000_000_000),
        ),
        Setting(
            "deadline.request_seconds",
            "40",
            "Longest one request may take with its retries, in seconds (a slow source is cut off)",
            Number(Decimal(1), Decimal(600)),
        ),
        Setting(
            "deadline.inspection_seconds",
            "120",
            "Longest a whole inspection may take, in seconds; what is not read by then is shown as unknown",
            Number(Decimal(5), Decimal(3600)),
        ),
        Setting(
            "offline",
            "off",
            "Offline mode: no network at all; demos and snapshots open, live inspections are refused (on or off)",
            Choice(("off", "on")),
        ),
    )
}

MAX_VALUE_CHARS = 2048  # no setting needs more; a longer value is a paste gone wrong
MAX_FILE_BYTES = 1_000_000


def shown(value: object) -> str:
    """Return a value as it may appear in a message: escaped by ``repr`` and cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}…"


def validated(key: str, value: str) -> str:
    """Return the value of a setting as it is stored.

    Surrounding spaces are dropped; control characters and other whitespace are never accepted.

    Raises:
        BadInput: An unknown setting, or a value its kind refuses; the sentence names the setting,
            the value (escaped) and what is expected.
    """
    setting = DECLARED.get(key)
    if setting is None:
        raise BadInput(f"Unknown setting {shown(key)}.")
    text = value.strip(" ")
    plain = len(text) <= MAX_VALUE_CHARS and text.isprintable() and not any(c.isspace() for c in text)
    normalized = setting.kind.normalized(text) if plain else None
    if normalized is None:
        default = shown(setting.default) if setting.default else "empty"
        raise BadInput(
            f"Setting {key} cannot be {shown(value)}: expected {setting.kind.expected} (the default is {default})."
        )
    return normalized


def config_dir() -> Path:
    """Return the per-user config folder (``BACKCHECK_CONFIG_DIR`` overrides it)."""
    if env := os.environ.get("BACKCHECK_CONFIG_DIR"):
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "Backcheck"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Backcheck"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "backcheck"


def cache_dir() -> Path:
    """Return the per-user cache folder (``BACKCHECK_CACHE_DIR`` overrides it).

    Raises:
        BadInput: ``BACKCHECK_CACHE_DIR`` names something that exists and is not a folder.
    """
    if env := os.environ.get("BACKCHECK_CACHE_DIR"):
        path = Path(env)
        if path.exists() and not path.is_dir():
            raise BadInput(f"BACKCHECK_CACHE_DIR is {shown(env)}, which is not a folder; point it at a folder.")
        return path
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "Backcheck" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Backcheck"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "backcheck"


class Settings:
    """Stored settings plus session overrides; every value held has passed its kind's check.

    Attributes:
        path: The JSON file the settings are saved to.
        notice: One sentence for the user when the file could not be used as it was, else ``None``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice: str | None = None
        self._stored: dict[str, str] = {}
        self._overrides: dict[str, str] = {}
        self._foreign: dict[str, str] = {}  # keys this version does not declare (a newer one may): kept on save

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the settings file; never fails.

        A missing file means defaults. A file that cannot be used as it is (unreadable, not JSON, not
        an object of text values, or values their kind refuses) is renamed to
        ``settings.json.bad-<UTC time>``, the values that pass are kept (and written back), the others
        fall back to their defaults, and :attr:`notice` says so. Temp files of interrupted saves are removed.
        """
        settings = cls(path or config_dir() / "settings.json")
        settings._remove_stale_temps()
        where = f"The settings file {_path(settings.path)}"
        try:
            doc = settings._read()
        except FileNotFoundError:
            return settings
        except _Unusable as exc:
            settings._set_aside(f"{where} {exc}; Backcheck starts on the default settings")
            return settings
        problems = []
        for key, value in doc.items():
            if key in DECLARED and isinstance(value, str):
                try:
                    settings._stored[key] = validated(key, value)
                except BadInput:
                    problems.append(f"{key} = {shown(value)}")
            elif key in DECLARED or not isinstance(value, str):
                problems.append(f"{shown(key)} = {shown(value)}")
            else:
                settings._foreign[key] = value
        if problems:
            listed = "; ".join(problems[:3]) + (f" and {len(problems) - 3} more" if len(problems) > 3 else "")
            settings._set_aside(
                f"{where} has {len(problems)} value(s) Backcheck cannot use ({listed}); those are back to their "
                "defaults and the other settings are kept"
            )
        return settings

    def get(self, key: str) -> str:
        """Return the override, the stored value or the default."""
        return self._overrides.get(key, self._stored.get(key, DECLARED[key].default))

    def decimal(self, key: str) -> Decimal:
        """Return a numeric setting (a threshold) as a finite ``Decimal``."""
        if not isinstance(DECLARED[key].kind, Number | WholeNumber):
            raise TypeError(f"{key} is not a number setting")
        return Decimal(self.get(key))

    def integer(self, key: str) -> int:
        """Return a whole-number setting (``logs.confirmations``, ``logs.max_blocks`` …)."""
        if not isinstance(DECLARED[key].kind, WholeNumber):
            raise TypeError(f"{key} is not a whole-number setting")
        return int(self.get(key))

    def set(self, key: str, value: str) -> None:
        """Check and store a value (call :meth:`save` to write it).

        Raises:
            BadInput: The value is refused (see :func:`validated`).
        """
        self._stored[key] = validated(key, value)

    def override(self, key: str, value: str) -> None:
        """Check and set a value for this session only.

        Raises:
            BadInput: The value is refused (see :func:`validated`).
        """
        self._overrides[key] = validated(key, value)

    def update(self, values: dict[str, str]) -> None:
        """Check every value, then store them all and save; nothing changes if any is refused or the save fails.

        Raises:
            BadInput: A value is refused (see :func:`validated`).
            OSError: The file could not be written.
        """
        checked = {key: validated(key, value) for key, value in values.items()}
        before = dict(self._stored)
        self._stored.update(checked)
        try:
            self.save()
        except BaseException:
            self._stored = before
            raise

    def save(self) -> None:
        """Write atomically: temp file (owner-only, held while written), fsync, rename.

        A save that is cut off leaves the old file whole; its temp file is removed then, or, after a
        kill or a power cut, by the next :meth:`load`.
        """
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            _hold(fd)
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({**self._foreign, **self._stored}, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def apply_cli_overrides(self, rpc: list[str], api: list[str]) -> None:
        """Apply ``--rpc CHAIN=URL`` and ``--api NAME=URL`` for this session.

        Raises:
            BadInput: Not NAME=URL, an unknown chain or API, or a URL the policy refuses (a bad port,
                whitespace or a control character, a user name or password); one sentence naming
                the option, with the value escaped.
        """
        checked: dict[str, str] = {}  # all or nothing: one refused value leaves every override as it was
        for text in rpc:
            name, url = _split_pair(text, "--rpc", "ethereum=https://my-node.example")
            key = f"rpc.{chain_by_key(name).key}"
            checked[key] = _endpoint(key, url, f"--rpc {name}")
        for text in api:
            name, url = _split_pair(text, "--api", "xstocks=https://api.example")
            if f"api.{name}" not in DECLARED:
                known = ", ".join(k.removeprefix("api.") for k in DECLARED if k.startswith("api."))
                raise BadInput(f"Unknown API {shown(name)} in --api. Known APIs: {known}.")
            key = f"api.{name}"
            checked[key] = _endpoint(key, url, f"--api {name}")
        self._overrides.update(checked)

    def _read(self) -> dict[str, Any]:
        """Return the file's JSON object.

        Raises:
            FileNotFoundError: There is no settings file.
            _Unusable: The file cannot be read or is not a JSON object.
        """
        try:
            if not stat.S_ISREG(self.path.stat().st_mode):
                raise _Unusable("is not a regular file")  # a folder, or a pipe that would block the read
            with self.path.open("rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise _Unusable(f"cannot be read ({_reason(exc)})") from None
        if len(data) > MAX_FILE_BYTES:
            raise _Unusable(f"is larger than {MAX_FILE_BYTES:,} bytes, far more than settings take")
        try:
            text = data.decode("utf-8-sig")  # an editor's byte-order mark is harmless
        except UnicodeDecodeError:
            raise _Unusable("is not UTF-8 text") from None
        # Checked before parsing: the JSON parser recurses per level, and a raised recursion
        # limit (as test tools set) turns a deep file into a crash instead of a RecursionError.
        if _nesting(text) > MAX_NESTING:
            raise _Unusable("is nested too deeply to be settings")
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Unusable(f"is not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(doc, dict):
            raise _Unusable("is not a JSON object of settings")
        return doc

    def _set_aside(self, problem: str) -> None:
        """Rename the file to ``<name>.bad-<UTC time>`` (never over an earlier one) and set :attr:`notice`.

        The values that passed their check are written back, so they survive the next start.
        """
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        n = 1
        while aside.exists() or aside.is_symlink():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.bad-{stamp}-{n}")
        try:
            os.rename(self.path, aside)
        except OSError as exc:
            self.notice = f"{problem}; the file could not be set aside ({_reason(exc)}), so it stays as it is."
            return
        self.notice = f"{problem}; the file as it was is kept as {_path(aside)}."
        if self._stored or self._foreign:
            try:
                self.save()
            except OSError as exc:
                self.notice = (
                    f"{problem}; the file as it was is kept as {_path(aside)}, but the usable settings could "
                    f"not be written back ({_reason(exc)}), so they hold for this session only."
                )

    def _remove_stale_temps(self) -> None:
        """Remove temp files of interrupted saves (a kill, a crash, a power cut); never one being written."""
        try:
            temps = list(self.path.parent.glob(".settings-*"))
        except OSError:
            return
        for temp in temps:
            if temp.is_symlink() or not temp.is_file():
                continue  # mkstemp makes regular files; anything else is not a save's
            try:
                _remove_unless_held(temp)
            except OSError:
                continue  # gone already, or not ours to remove: the next load tries again


if sys.platform == "win32":

    def _hold(fd: int) -> None:
        """Nothing to do: Windows refuses to delete a file another process has open."""

    def _remove_unless_held(temp: Path) -> None:
        temp.unlink()  # fails while a save in another process has it open

else:
    import fcntl

    def _hold(fd: int) -> None:
        """Lock a temp file while it is written, so a load in another process leaves it alone.

        The lock dies with the process, which is how a load tells an abandoned temp file from a live save.
        """
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _remove_unless_held(temp: Path) -> None:
        with temp.open("rb") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while a save holds it
            temp.unlink()


class _Unusable(Exception):
    """The settings file as a whole cannot be used; the message completes "The settings file … "."""


def _path(path: Path) -> str:
    """A path in a message: quoted and escaped like a value, but never cut (the user needs all of it)."""
    return repr(str(path))


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _endpoint(key: str, url: str, option: str) -> str:
    """An endpoint from the command line, checked; the endpoint policy's own sentence says what is wrong."""
    try:
        check_url(url)
    except BadInput as exc:
        raise BadInput(f"{option}: {exc}") from None
    return validated(key, url)


def _split_pair(text: str, flag: str, example: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    name = name.strip(" ")
    if not sep or not name or not url.strip() or not name.isprintable() or any(c.isspace() for c in name):
        raise BadInput(f"{flag} takes NAME=URL (for example {flag} {example}), not {shown(text)}.")
    return name.lower(), url


MAX_NESTING = 8  # settings are one flat object; anything deeper is not a settings file
