"""The pattern for local HTTP servers that answer like real APIs, on 127.0.0.1 only.

A test builds a :class:`LoopbackServer` with routes: each route maps (method, path) to a
function of the request that returns a :class:`Reply`; a path may hold ``{name}`` segments,
which arrive in ``Request.params``. A reply can also be a fault the
real services show: a 429 with Retry-After, a delay past the client's timeout, or a body
that is not JSON. Every request is recorded so a test can count round trips.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclasses.dataclass
class Request:
    """What the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = dataclasses.field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclasses.dataclass
class Reply:
    """What to answer: a JSON document, raw bytes, a status, headers, an optional delay."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    raw: bytes | None = None
    delay: float = 0.0


Route = Callable[[Request], Reply]


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops connections when a client opens many at once
    # (the issuer API's endpoints are read concurrently); the kernel then retries after 1 s.
    request_queue_size = 128


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 with a random port."""

    def __init__(self, routes: dict[tuple[str, str], Route]) -> None:
        self.routes = routes
        self.requests: list[Request] = []
        self._patterns = [
            (m, re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(p)) + "$"), f)
            for (m, p), f in routes.items()
            if "{" in p
        ]
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    dict(self.headers.items()),
                    self.rfile.read(length),
                )
                server.requests.append(request)
                reply = server.dispatch(request)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for key, value in {"Content-Type": "application/json", **reply.headers}.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = _handle  # noqa: N815

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def dispatch(self, request: Request) -> Reply:
        """Find the route for a request and call it; 404 when none matches."""
        route = self.routes.get((request.method, request.path))
        if route is not None:
            return route(request)
        for method, pattern, func in self._patterns:
            if method == request.method and (match := pattern.match(request.path)):
                request.params = match.groupdict()
                return func(request)
        return Reply({"message": "Not Found", "statusCode": 404}, status=404)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
