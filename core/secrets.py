"""API keys in the OS keyring, or for this session only when no secure keyring exists.

Never falls back to plaintext on disk: backends that store in the clear (keyrings.alt)
or store nothing (fail, null) count as "no secure storage".
"""

from __future__ import annotations

import threading

import keyring
from keyring.backend import KeyringBackend

SERVICE = "backcheck"
_INSECURE_PREFIXES = ("keyring.backends.fail.", "keyring.backends.null.", "keyrings.alt.")


def backend_name(backend: KeyringBackend | None = None) -> str:
    """Return the dotted class name of a keyring backend (the active one by default)."""
    backend = backend or keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def is_secure(backend: KeyringBackend | None = None) -> bool:
    """Tell whether a backend stores secrets safely in an OS facility."""
    backend = backend or keyring.get_keyring()
    if backend_name(backend).startswith("keyring.backends.chainer."):
        return any(is_secure(b) for b in getattr(backend, "backends", []))
    return not backend_name(backend).startswith(_INSECURE_PREFIXES)


class Secrets:
    """Get and set API keys; keyring calls are serialised (they may block on D-Bus).

    Attributes:
        secure: Whether keys persist in the OS keyring; when false they live in memory only.
    """

    def __init__(self) -> None:
        self.secure = is_secure()
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def warning(self) -> str | None:
        """Say what happens to keys when no secure keyring is available."""
        if self.secure:
            return None
        return (
            "No secure system keyring was found; keys you enter are kept for this session "
            "only and must be entered again next time."
        )

    def get(self, name: str) -> str | None:
        """Return a stored key, or ``None``."""
        with self._lock:
            if name in self._session:
                return self._session[name]
            return keyring.get_password(SERVICE, name) if self.secure else None

    def set(self, name: str, value: str) -> None:
        """Store a key in the keyring (or this session's memory when not secure)."""
        with self._lock:
            if self.secure:
                keyring.set_password(SERVICE, name, value)
            else:
                self._session[name] = value
