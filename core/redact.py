"""Keys never leave the machine: redact them from URLs before a URL is shown, saved or reported.

RPC providers put the key in the path (Infura ``/v3/<key>``, Alchemy ``/v2/<key>``, QuickNode
``/<token>/``) or in the query (``?apiKey=…``). A path segment that looks like a random token and
every query parameter named like a key is replaced by ``<redacted>``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "<redacted>"
KEY_PARAMS = frozenset({"apikey", "api_key", "key", "token", "access_token", "auth", "secret", "x-api-key"})
# A token: 20+ characters of letters, digits, '-' or '_', with at least one digit and one letter.
# Ordinary path words ("api", "v2", "public", "assets") and addresses (0x + 40 hex) stay.
_TOKEN = re.compile(r"(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def _segment(segment: str) -> str:
    return REDACTED if _TOKEN.fullmatch(segment) and not _ADDRESS.fullmatch(segment) else segment


def redact_url(url: str) -> str:
    """Return ``url`` with keys in its path, query or user info replaced by ``<redacted>``.

    EVM token addresses in a path (explorer APIs put them there) are kept: they are public. A
    base58 key and a Solana address look alike; both are redacted (none of Backcheck's sources
    puts a Solana address in a path).
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    path = "/".join(_segment(s) for s in parts.path.split("/"))
    query = urlencode(
        [(k, REDACTED if k.lower() in KEY_PARAMS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
        safe="<>",
    )
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


def redact_params(params: dict[str, str] | None) -> dict[str, str]:
    """Query parameters with every key-like parameter's value replaced."""
    return {k: (REDACTED if k.lower() in KEY_PARAMS else v) for k, v in (params or {}).items()}


_URL = re.compile(r"https?://[^\s)\]\"'<>]+")


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted (fact sources and methods name their endpoint)."""
    return _URL.sub(lambda m: redact_url(m.group(0)), text) if "://" in text else text


PRIVATE = "<wallet address>"
_private: set[str] = set()


def keep_private(address: str) -> None:
    """Never write ``address`` (the wallet a user checks) into a crash report, in any case or encoding.

    An EVM address is matched by its 40 hex digits without ``0x``, so calldata that carries it padded
    is covered too.
    """
    _private.add(address.removeprefix("0x").lower() if address.startswith("0x") else address)


def redact_private(text: str) -> str:
    """``text`` with every address given to :func:`keep_private` replaced by a placeholder."""
    for value in _private:
        if re.fullmatch(r"[0-9a-f]{40}", value):
            text = re.sub(rf"(?:0x)?{value}", PRIVATE, text, flags=re.IGNORECASE)
        else:
            text = text.replace(value, PRIVATE)
    return text
