"""The one HTTP stack: timeouts, bounded retries, user agent and the https-only policy.

Every outside source goes through :class:`Http`; web3 reaches it through
:mod:`backcheck.core.adapters.web3_provider`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import recording
from .deadline import request_cutoff
from .errors import BadInput, SourceError
from .facts import utc_now

USER_AGENT = "Backcheck/0.1 (+https://github.com/backcheck; tokenized-stock checker)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_URL_CHARS = 2048  # no endpoint needs more; a longer address is a paste gone wrong
_HOST_NAME = re.compile(r"[A-Za-z0-9_-]{1,63}(\.[A-Za-z0-9_-]{1,63})*\.?")


def check_url(url: str) -> str:
    """Enforce the endpoint policy: https, or plain http only to a loopback host, and a well-formed address.

    Spaces around the address are dropped. Refused: whitespace or a control character anywhere (a
    newline would start a second line in a message or a header), a user name or password, a port
    outside 1 to 65535 or not written in digits, and a host that is not a host name or an IP address.

    Raises:
        BadInput: One sentence that shows the address escaped and says what is wrong.
    """
    text = url.strip(" ")
    quoted = _quoted(text)
    if len(text) > MAX_URL_CHARS:
        raise BadInput(f"{quoted} is longer than {MAX_URL_CHARS:,} characters; no endpoint address needs that.")
    if any(c.isspace() or not c.isprintable() for c in text):
        raise BadInput(f"{quoted} contains a space or a control character; a web address has none.")
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed "[" of an IPv6 address
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"{quoted} is not a web address; give one like https://host/path.")
    if "@" in parts.netloc:
        hidden = _quoted(text.replace(parts.netloc.rpartition("@")[0] + "@", "…@", 1))  # a password is never echoed
        raise BadInput(
            f"{hidden} holds a user name or password (the part before @); Backcheck does not send those in an address."
        )
    host, port = _host_port(parts.netloc)
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise BadInput(f"{quoted} has the port {_quoted(port)}, but a port is a whole number from 1 to 65535.")
    if not _is_host(host):
        raise BadInput(
            f"{quoted} does not name a host: give a host name (letters, digits, dots and hyphens; an "
            "international name in its xn-- form) or an IP address."
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise BadInput(
            f"{quoted} uses plain http to a remote host; Backcheck only talks https to remote hosts "
            "(plain http is allowed for 127.0.0.1 / localhost only)."
        )
    return text


def _quoted(text: str) -> str:
    """A value as a message shows it: escaped by ``repr`` (never a raw newline) and cut to a readable length."""
    shown = repr(text)
    return shown if len(shown) <= 80 else f"{shown[:77]}…"


def _host_port(netloc: str) -> tuple[str, str | None]:
    """Split ``host:port`` (an IPv6 host keeps its brackets); the port as written, ``None`` if absent."""
    end = netloc.rfind("]") + 1 if netloc.startswith("[") else 0
    host, colon, port = netloc[end:].partition(":")
    return netloc[:end] + host, port if colon else None


def _is_host(host: str) -> bool:
    if host.startswith("["):
        try:
            return host.endswith("]") and ipaddress.ip_address(host[1:-1]).version == 6
        except ValueError:
            return False
    return len(host) <= 253 and _HOST_NAME.fullmatch(host) is not None


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Http:
    """Async HTTP client shared by every adapter of one event loop.

    Attributes:
        timeout: Seconds per attempt, for the whole exchange (connect, send, every byte of the answer).
        retries: Extra attempts after a timeout, a dropped connection or a 429/5xx.
        max_wait: Longest back-off honoured from a Retry-After header, in seconds.
        deadline: Seconds for a request with all its attempts, outside an inspection (inside one,
            the inspection's limits apply: :mod:`backcheck.core.deadline`).
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        max_wait: float = 5.0,
        deadline: float = 40.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.deadline = deadline
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
            transport=transport,
            trust_env=False,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        """Send one request with the retry policy and return the body.

        Raises:
            SourceError: Unreachable, timed out after all attempts, cut off by a deadline, or a non-2xx answer.
        """
        check_url(url)
        host = urlsplit(url).netloc
        headers = {**({"Content-Type": "application/json"} if content is not None else {}), **(headers or {})}
        cutoff = request_cutoff(self.deadline)
        try:
            async with asyncio.timeout_at(cutoff.at):
                return await self._attempts(method, url, host, content, params, headers)
        except TimeoutError:
            raise SourceError(cutoff.reason(host)) from None

    async def _attempts(
        self,
        method: str,
        url: str,
        host: str,
        content: bytes | None,
        params: dict[str, str] | None,
        headers: dict[str, str],
    ) -> bytes:
        recorder = recording.current()
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            started = utc_now()
            try:
                # httpx bounds each read; this bounds the whole exchange, so a server that drips
                # one byte at a time cannot hold a report hostage.
                async with asyncio.timeout(self.timeout):
                    response = await self._client.request(method, url, content=content, params=params, headers=headers)
            except (httpx.TimeoutException, TimeoutError) as exc:
                if recorder is not None:
                    recorder.add(method, url, params, content, None, None, started, error=type(exc).__name__)
                if last:
                    raise SourceError(
                        f"{host} did not answer within {self.timeout:g} s ({self.retries + 1} attempts)."
                    ) from None
                await asyncio.sleep(_backoff(attempt))
                continue
            except httpx.TransportError as exc:
                if recorder is not None:
                    recorder.add(method, url, params, content, None, None, started, error=_reason(exc))
                if last:
                    raise SourceError(f"Could not reach {host}: {_reason(exc)}.") from None
                await asyncio.sleep(_backoff(attempt))
                continue
            if recorder is not None:
                recorder.add(method, url, params, content, response.status_code, response.content, started)
            if response.status_code in RETRY_STATUSES and not last:
                await asyncio.sleep(self._retry_after(response, attempt))
                continue
            if response.status_code >= 400:
                detail = "rate limit reached" if response.status_code == 429 else response.reason_phrase
                raise SourceError(f"{host} answered HTTP {response.status_code} ({detail}).")
            return response.content
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises

    async def get_json(
        self, url: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        """GET a URL and parse its JSON body (``headers`` e.g. for an API key)."""
        return parse_json(await self.request("GET", url, params=params, headers=headers), url)

    async def post_json(self, url: str, payload: Any) -> Any:
        """POST a JSON payload and parse the JSON answer."""
        return parse_json(await self.request("POST", url, content=json.dumps(payload).encode()), url)

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("Retry-After", "")
        try:
            return min(max(float(header), 0.0), self.max_wait)
        except ValueError:
            return _backoff(attempt)


def _backoff(attempt: int) -> float:
    return float(min(0.25 * 2**attempt, 2.0))


def _reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "name or service not known" in text or "nodename" in text or "getaddrinfo" in text:
            return "host name not found"
        return "connection refused (is the service running and the URL right?)"
    return str(exc) or type(exc).__name__


def parse_json(body: bytes, url: str) -> Any:
    """Parse a JSON body, or say which host sent something else.

    Raises:
        SourceError: The body is not JSON.
    """
    try:
        return json.loads(body, parse_float=Decimal)  # amounts stay exact: never a float
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SourceError(f"{urlsplit(url).netloc} sent an answer that is not valid JSON.") from None
