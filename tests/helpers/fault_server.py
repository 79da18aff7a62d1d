"""A loopback server in front of a real local source that answers like it, or breaks on demand.

:class:`FaultServer` forwards every request to its upstream (anvil, one of the loopback servers
in this folder, or a route table it serves itself) and relays the answer. With a :class:`Fault`
set, the matching requests (all of them, or those holding given JSON-RPC methods) break the way
real services do: no answer at all, an answer dripped one byte at a time, a 429 with Retry-After,
a 5xx, a body that is not JSON, a JSON body cut short, a connection dropped mid-answer, another
document in place of the answer, or the real answer edited (wrong types, a JSON-RPC error, another
chain, a lie). A refused connection needs no server: point the endpoint at a closed port.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from eth_abi import decode, encode

from .loopback_server import LoopbackServer, Route

AGGREGATE3 = "0x82ad56cb"  # Multicall3 aggregate3((address,bool,bytes)[])
# Every way a FaultServer can break an answer; "refused" is a closed port (CLOSED_PORT_URL).
KINDS = ("timeout", "drip", "429", "500", "502", "503", "malformed", "truncated", "cut", "replace", "edit")
HTML_ERROR = b"<html><head><title>{status}</title></head><body><h1>{status}</h1><hr>nginx</body></html>"


@dataclasses.dataclass(frozen=True)
class Call:
    """What an edit is answering.

    Attributes:
        path: The request's path and query.
        item: The JSON-RPC request item (``None`` for a REST request).
        n: How many matching calls (this JSON-RPC method, or this path) came so far, from 1: for
            values that change between calls.
    """

    path: str
    item: dict[str, Any] | None
    n: int


# Edits the real answer: a REST document, or one JSON-RPC reply item (``{"id", "result" | "error"}``).
Edit = Callable[[Any, Call], Any]


@dataclasses.dataclass(frozen=True)
class Fault:
    """How to break the matching answers.

    Attributes:
        kind: One of :data:`KINDS`.
        methods: JSON-RPC methods the fault applies to (empty: every request). A whole-answer fault
            hits a request holding any of them; an edit changes only their reply items.
        body: For ``replace``: the JSON document sent instead, with HTTP 200.
        edit: For ``edit``: the function that changes the real answer (see :data:`Edit`).
        retry_after: The Retry-After header of a 429, in seconds.
    """

    kind: str
    methods: frozenset[str] = frozenset()
    body: Any = None
    edit: Edit | None = None
    retry_after: str = "1"

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


def rpc_methods(body: bytes) -> list[str]:
    """The JSON-RPC methods of a request body (none when it is not JSON-RPC)."""
    try:
        doc = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []
    items = doc if isinstance(doc, list) else [doc]
    return [str(i.get("method")) for i in items if isinstance(i, dict) and "method" in i]


class FaultServer:
    """A threaded HTTP server on 127.0.0.1 in front of ``upstream`` (or of ``routes`` it serves itself).

    Attributes:
        url: The address to give the app (with the upstream's path suffix, e.g. ``/api/v2``).
        fault: The fault in force (``None``: relay every answer as is).
        requests: (method, path, JSON-RPC methods) of every request received since the last reset.
        drip_seconds: The least time a dripped answer takes, one byte at a time (a short answer
            drips slower, at most a byte a second: each read is quick, the whole answer is not).
    """

    def __init__(
        self, upstream: str | None = None, *, routes: dict[tuple[str, str], Route] | None = None, suffix: str = ""
    ) -> None:
        assert (upstream is None) != (routes is None), "give an upstream URL or a route table"
        self._own = LoopbackServer(routes) if routes is not None else None
        self.upstream = (self._own.url if self._own is not None else str(upstream)).rstrip("/")
        self.fault: Fault | None = None
        self.requests: list[tuple[str, str, list[str]]] = []
        self.drip_seconds = 30.0
        self._counts: collections.Counter[str] = collections.Counter()
        self._editing = threading.Lock()  # one edit at a time: call counts stay exact under concurrent requests
        self._release = threading.Event()
        self._client = httpx.Client(timeout=30, trust_env=False)
        self._httpd = _Server(self)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}{suffix}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def set(self, fault: Fault | None) -> None:
        """Put a fault in force (``None``: heal); answers held back by the previous one are let go."""
        self.reset()
        self.fault = fault

    def reset(self) -> None:
        """Heal, release every held connection and forget the requests and call counts."""
        self._release.set()
        self._release = threading.Event()
        self.fault = None
        self.requests = []
        self._counts.clear()

    def close(self) -> None:
        """Release held connections and stop the server (and the route table it serves)."""
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._client.close()
        if self._own is not None:
            self._own.close()

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "accept", "authorization")}
        answer = self._client.request(method, self.upstream + path, content=body or None, headers=keep)
        relayed = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "retry-after")}
        return answer.status_code, relayed, answer.content

    def _matches(self, methods: list[str]) -> bool:
        fault = self.fault
        return fault is not None and (not fault.methods or bool(fault.methods & set(methods)))

    def _edited(self, fault: Fault, request_body: bytes, path: str, answer: bytes) -> bytes:
        with self._editing:
            return self._edit(fault, request_body, path, answer)

    def _edit(self, fault: Fault, request_body: bytes, path: str, answer: bytes) -> bytes:
        assert fault.edit is not None
        doc = json.loads(answer)
        try:
            sent = json.loads(request_body) if request_body else None
        except json.JSONDecodeError:
            sent = None
        if isinstance(sent, dict | list) and rpc_methods(request_body):
            items = {i.get("id"): i for i in (sent if isinstance(sent, list) else [sent]) if isinstance(i, dict)}
            replies = doc if isinstance(doc, list) else [doc]
            out = []
            for reply in replies:
                item = items.get(reply.get("id")) if isinstance(reply, dict) else None
                if item is not None and (not fault.methods or item.get("method") in fault.methods):
                    method = str(item.get("method"))
                    self._counts[method] += 1
                    reply = fault.edit(reply, Call(path, item, self._counts[method]))
                out.append(reply)
            doc = out if isinstance(doc, list) else out[0]
        else:
            self._counts[path] += 1
            doc = fault.edit(doc, Call(path, None, self._counts[path]))
        return json.dumps(doc).encode()

    def _received(self, method: str, path: str, body: bytes) -> tuple[Fault | None, threading.Event]:
        """Record a request; return the fault it meets (``None``: relay it) and the current release event."""
        methods = rpc_methods(body)
        self.requests.append((method, path, methods))
        return (self.fault if self._matches(methods) else None), self._release


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, headers: dict[str, str], body: bytes, *, length: int | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault, release = self.server.faults._received(self.command, self.path, body)
        try:
            if fault is None or not self._instead(fault, release):
                self._relay(fault, release, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a deadline cut it off)

    def _instead(self, fault: Fault, release: threading.Event) -> bool:
        """Answer without asking the upstream, for the faults that need no real answer (False: others)."""
        if fault.kind == "timeout":
            release.wait(120)  # never answers while the fault is in force
            self.close_connection = True
        elif fault.kind in ("429", "500", "502", "503"):
            status = int(fault.kind)
            page = HTML_ERROR.replace(b"{status}", f"{status} {self.responses[status][0]}".encode())
            headers = {"Content-Type": "text/html"} | ({"Retry-After": fault.retry_after} if status == 429 else {})
            self._send(status, headers, page)
        elif fault.kind == "malformed":
            self._send(200, {}, HTML_ERROR.replace(b"{status}", b"Service temporarily unavailable"))
        elif fault.kind == "replace":
            self._send(200, {}, json.dumps(fault.body).encode())
        else:
            return False
        return True

    def _relay(self, fault: Fault | None, release: threading.Event, body: bytes) -> None:
        """Forward the request and send the real answer, edited, cut short, cut off or dripped."""
        faults = self.server.faults
        status, headers, answer = faults._forward(self.command, self.path, dict(self.headers.items()), body)
        kind = fault.kind if fault is not None else None
        if fault is not None and kind == "edit":
            answer = faults._edited(fault, body, self.path, answer)
        if kind == "truncated":
            answer = answer[: len(answer) // 2]
        if kind == "cut":
            self._send(status, headers, answer[: len(answer) // 2], length=len(answer))
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif kind == "drip":
            self._drip(status, headers, answer, release, faults.drip_seconds)
        else:
            self._send(status, headers, answer)

    def _drip(
        self, status: int, headers: dict[str, str], answer: bytes, release: threading.Event, seconds: float
    ) -> None:
        self._send(status, headers, b"", length=len(answer))
        interval = min(1.0, max(0.05, seconds / max(len(answer), 1)))
        for byte in answer:
            if release.wait(interval):
                break
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = _handle  # noqa: N815


class _Server(ThreadingHTTPServer):
    # Many concurrent connections (an inspection reads its sources at once); see loopback_server.
    request_queue_size = 128
    daemon_threads = True

    def __init__(self, faults: FaultServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.faults = faults


def rpc_result(change: Callable[[Any, Call], Any]) -> Edit:
    """An edit of a JSON-RPC reply's ``result`` (an error reply is left alone)."""

    def edit(reply: Any, call: Call) -> Any:
        return {**reply, "result": change(reply["result"], call)} if "result" in reply else reply

    return edit


def multicall(selector: str, change: Callable[[bytes, int], bytes]) -> Fault:
    """A Multicall3 ``aggregate3`` answer with every sub-result of ``selector`` changed (n: the eth_call's number)."""

    def edit(result: Any, call: Call) -> Any:
        assert call.item is not None
        data = str(call.item["params"][0].get("data") or call.item["params"][0].get("input") or "")
        if not data.startswith(AGGREGATE3):
            return result
        (calls,) = decode(["(address,bool,bytes)[]"], bytes.fromhex(data[len(AGGREGATE3) :]))
        (results,) = decode(["(bool,bytes)[]"], bytes.fromhex(result[2:]))
        out = [
            (ok, change(returned, call.n) if ok and calldata[:4].hex() == selector else returned)
            for (_, _, calldata), (ok, returned) in zip(calls, results, strict=True)
        ]
        return "0x" + encode(["(bool,bytes)[]"], [out]).hex()

    return Fault("edit", methods=frozenset({"eth_call"}), edit=rpc_result(edit))


def first_word(change: Callable[[int, int], int]) -> Callable[[bytes, int], bytes]:
    """A change of a sub-result's first word (an unsigned integer; n: the eth_call's number)."""
    return lambda returned, n: (
        (change(int.from_bytes(returned[:32], "big"), n) % 2**256).to_bytes(32, "big") + returned[32:]
    )


def round_word(field: int, change: Callable[[int], int]) -> Callable[[bytes, int], bytes]:
    """A change of one word of ``latestRoundData()`` (1 = answer, signed; 3 = updatedAt)."""

    def edit(returned: bytes, n: int) -> bytes:
        words = [int.from_bytes(returned[i : i + 32], "big", signed=True) for i in range(0, 160, 32)]
        words[field] = change(words[field])
        return b"".join(w.to_bytes(32, "big", signed=True) for w in words)

    return edit
