"""Settings, each declared once with its key, default and description (Electrum's ConfigVar idea).

Stored as JSON in the user's config folder, written atomically. Command-line overrides
(``--rpc``, ``--api``) win over stored values and are never written.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path

from .adapters.explorers import BLOCKSCOUT, ETHPLORER, GOLDRUSH
from .chains import CHAINS, chain_by_key
from .errors import BadInput
from .http import check_url
from .resources import resource_path


@dataclasses.dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting.

    Attributes:
        key: Dotted key as stored (``"rpc.ethereum"``).
        default: Value used when nothing is stored.
        description: One line a person reads in the settings dialog.
        is_url: Whether values must pass the endpoint policy.
    """

    key: str
    default: str
    description: str
    is_url: bool = False


APIS = {"xstocks": "https://api.xstocks.fi/api/v2", "jupiter": "https://api.jup.ag"}

# The versioned red-flag thresholds; each is also a setting, so users can override it.
THRESHOLDS_DOC = json.loads(resource_path("rules", "thresholds.json").read_text(encoding="utf-8"))

DECLARED: dict[str, Setting] = {
    s.key: s
    for s in (
        *(Setting(f"rpc.{c.key}", c.default_rpc, f"{c.name} RPC endpoint", is_url=True) for c in CHAINS),
        *(Setting(f"api.{name}", url, f"{name} API base URL", is_url=True) for name, url in APIS.items()),
        Setting("country", "", "Your country (ISO 3166 code), for jurisdiction checks"),
        *(
            Setting(f"explorer.blockscout.{chain}", url, f"Blockscout instance for {chain}", is_url=True)
            for chain, url in BLOCKSCOUT.items()
        ),
        Setting("api.ethplorer", ETHPLORER, "Ethplorer API base URL (Ethereum holders)", is_url=True),
        Setting(
            "api.goldrush", GOLDRUSH, "GoldRush (Covalent) API base URL; its key lives in the OS keyring", is_url=True
        ),
        Setting("holders.method", "auto", "How to list EVM holders: auto, blockscout, ethplorer, goldrush or logs"),
        Setting("logs.confirmations", "12", "Blocks to stay behind the chain head when scanning logs"),
        *(
            Setting(f"threshold.{key}", value, f"Red-flag threshold {key}")
            for key, value in THRESHOLDS_DOC["thresholds"].items()
        ),
        Setting("logs.max_blocks", "500000", "Largest first scan 'auto' starts on its own (later scans resume)"),
    )
}


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
    """Return the per-user cache folder (``BACKCHECK_CACHE_DIR`` overrides it)."""
    if env := os.environ.get("BACKCHECK_CACHE_DIR"):
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "Backcheck" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Backcheck"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "backcheck"


class Settings:
    """Stored settings plus session overrides.

    Attributes:
        path: The JSON file the settings are saved to.
    """

    def __init__(self, path: Path, stored: dict[str, str] | None = None) -> None:
        self.path = path
        self._stored = dict(stored or {})
        self._overrides: dict[str, str] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the settings file; a missing file means defaults.

        Raises:
            BadInput: The file exists but is not a JSON object of strings.
        """
        path = path or config_dir() / "settings.json"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(f"Settings file {path} cannot be read ({exc}); fix or delete it.") from None
        if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
            raise BadInput(f"Settings file {path} is not a JSON object of text values; fix or delete it.")
        return cls(path, {k: v for k, v in doc.items() if k in DECLARED})

    def get(self, key: str) -> str:
        """Return the override, the stored value or the default."""
        return self._overrides.get(key) or self._stored.get(key) or DECLARED[key].default

    def set(self, key: str, value: str) -> None:
        """Validate and store a value (call :meth:`save` to write it)."""
        self._stored[key] = self._validated(key, value)

    def override(self, key: str, value: str) -> None:
        """Set a value for this session only."""
        self._overrides[key] = self._validated(key, value)

    def save(self) -> None:
        """Write atomically: temp file, owner-only mode, fsync, rename."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._stored, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def _validated(key: str, value: str) -> str:
        setting = DECLARED.get(key)
        if setting is None:
            raise BadInput(f"Unknown setting {key!r}.")
        return check_url(value) if setting.is_url else value.strip()

    def apply_cli_overrides(self, rpc: list[str], api: list[str]) -> None:
        """Apply ``--rpc CHAIN=URL`` and ``--api NAME=URL`` for this session.

        Raises:
            BadInput: Not NAME=URL, an unknown chain or API, or a URL the policy refuses.
        """
        for text in rpc:
            name, url = _split_pair(text, "--rpc", "ethereum=https://my-node.example")
            self.override(f"rpc.{chain_by_key(name).key}", url)
        for text in api:
            name, url = _split_pair(text, "--api", "xstocks=https://api.example")
            if f"api.{name}" not in DECLARED:
                known = ", ".join(k.removeprefix("api.") for k in DECLARED if k.startswith("api."))
                raise BadInput(f"Unknown API {name!r} in --api. Known APIs: {known}.")
            self.override(f"api.{name}", url)


def _split_pair(text: str, flag: str, example: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    if not sep or not name.strip() or not url.strip():
        raise BadInput(f"{flag} takes NAME=URL (for example {flag} {example}), not {text!r}.")
    return name.strip().lower(), url.strip()
