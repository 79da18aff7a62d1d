import asyncio

import pytest

from backcheck.core.errors import BadInput, SourceError
from backcheck.core.http import USER_AGENT, Http, check_url
from tests.helpers.loopback_server import LoopbackServer, Reply


@pytest.fixture
def server():
    servers = []

    def make(routes):
        s = LoopbackServer(routes)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


def run(coro):
    return asyncio.run(coro)


async def fetch(http: Http, url: str):
    try:
        return await http.get_json(url)
    finally:
        await http.aclose()


def test_user_agent_and_json(server):
    s = server({("GET", "/a"): lambda r: Reply({"ok": 1})})
    assert run(fetch(Http(), s.url + "/a")) == {"ok": 1}
    assert s.requests[0].headers["User-Agent"] == USER_AGENT


def test_429_is_retried_after_retry_after(server):
    answers = iter([Reply({"e": 1}, status=429, headers={"Retry-After": "0"}), Reply({"ok": 2})])
    s = server({("GET", "/a"): lambda r: next(answers)})
    assert run(fetch(Http(retries=2), s.url + "/a")) == {"ok": 2}
    assert len(s.requests) == 2


def test_retries_are_bounded(server):
    s = server({("GET", "/a"): lambda r: Reply({}, status=429, headers={"Retry-After": "0"})})
    with pytest.raises(SourceError, match="HTTP 429 \\(rate limit reached\\)"):
        run(fetch(Http(retries=2), s.url + "/a"))
    assert len(s.requests) == 3


def test_timeout_becomes_a_source_error(server):
    s = server({("GET", "/slow"): lambda r: Reply({}, delay=0.5)})
    with pytest.raises(SourceError, match="did not answer within 0.1 s \\(2 attempts\\)"):
        run(fetch(Http(timeout=0.1, retries=1), s.url + "/slow"))


def test_malformed_json(server):
    s = server({("GET", "/bad"): lambda r: Reply(raw=b"{nope")})
    with pytest.raises(SourceError, match="not valid JSON"):
        run(fetch(Http(), s.url + "/bad"))


def test_client_error_is_not_retried(server):
    s = server({})
    with pytest.raises(SourceError, match="HTTP 404"):
        run(fetch(Http(), s.url + "/missing"))
    assert len(s.requests) == 1


def test_refused_connection():
    with pytest.raises(SourceError, match="Could not reach 127.0.0.1:9.*refused"):
        run(fetch(Http(retries=0), "http://127.0.0.1:9/x"))


@pytest.mark.parametrize("url", ["http://example.com/rpc", "ftp://127.0.0.1/x", "not a url"])
def test_policy_refuses(url):
    with pytest.raises(BadInput):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["https://example.com/rpc", "http://127.0.0.1:8545", "http://localhost:1", "http://[::1]:8545"]
)
def test_policy_allows(url):
    assert check_url(url) == url


class DripServer:
    """Answers 200 with a 100-byte body, one byte every 0.1 s: each read is quick, the whole is not."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import time

        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                for _ in range(100):
                    if self.stop.is_set():
                        return
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        break  # the client gave up
                    time.sleep(0.1)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_server_dripping_its_answer_is_cut_off_at_the_timeout():
    import time

    drip = DripServer()
    try:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"did not answer within 0\.5 s \(1 attempts\)"):
            run(fetch(Http(timeout=0.5, retries=0), drip.url))
        assert time.monotonic() - started < 2  # the 100 bytes would take 10 s
    finally:
        drip.close()
