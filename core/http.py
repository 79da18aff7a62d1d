"""The one HTTP stack: timeouts, bounded retries, user agent and the https-only policy.

Every outside source goes through :class:`Http`; web3 reaches it through
:mod:`backcheck.core.adapters.web3_provider`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import recording
from .errors import BadInput, SourceError
from .facts import utc_now

USER_AGENT = "Backcheck/0.1 (+https://github.com/backcheck; tokenized-stock checker)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})


def check_url(url: str) -> str:
    """Enforce the endpoint policy: https, or plain http only to a loopback host.

    Raises:
        BadInput: Not an http(s) URL, or plain http to a non-loopback host.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{url!r} is not a web address; give one like https://host/path.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise BadInput(
            f"{url} uses plain http to a remote host; Backcheck only talks https to remote hosts "
            "(plain http is allowed for 127.0.0.1 / localhost only)."
        )
    return url.strip()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
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
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        max_wait: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
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
            SourceError: Unreachable, timed out after all attempts, or a non-2xx answer.
        """
        check_url(url)
        host = urlsplit(url).netloc
        headers = {**({"Content-Type": "application/json"} if content is not None else {}), **(headers or {})}
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
