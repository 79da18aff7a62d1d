import asyncio
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcheck.core.errors import BadInput, SourceError
from backcheck.core.http import USER_AGENT, Http, check_url
from tests.helpers.drip_server import DripServer
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


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        (
            "http://example.com/rpc",
            "'http://example.com/rpc' uses plain http to a remote host; Backcheck only talks https",
        ),
        ("http://127.0.0.2.example.com/", "'http://127.0.0.2.example.com/' uses plain http to a remote host"),
        ("ftp://127.0.0.1/x", "'ftp://127.0.0.1/x' is not a web address; give one like https://host/path."),
        ("not a url", "'not a url' contains a space or a control character; a web address has none."),
        ("https://", "'https://' is not a web address"),
        ("https://[::1/", "'https://[::1/' is not a web address"),
        (
            "https://example.com:99999/",
            "'https://example.com:99999/' has the port '99999', but a port is a whole number from 1 to 65535.",
        ),
        ("https://example.com:0/", "'https://example.com:0/' has the port '0'"),
        ("https://example.com:-1/", "'https://example.com:-1/' has the port '-1'"),
        ("https://example.com:/", "'https://example.com:/' has the port ''"),
        ("https://example.com:８０/", "'https://example.com:８０/' has the port '８０'"),  # fullwidth digits
        ("https://example.com:80:80/", "'https://example.com:80:80/' has the port '80:80'"),
        ("https://[::1]:70000/", "'https://[::1]:70000/' has the port '70000'"),
        (
            "https://example.com/\nHost: evil",
            r"'https://example.com/\nHost: evil' contains a space or a control character",
        ),
        ("https://example.com/\t", r"'https://example.com/\t' contains a space"),
        ("https://exa\u202emple.com/", r"'https://exa\u202emple.com/' contains a space or a control character"),
        ("https://example.com/\x00", r"'https://example.com/\x00' contains"),
        ("\nhttps://example.com/", r"'\nhttps://example.com/' contains"),
        (
            "https://user:secret@example.com/",
            "'https://…@example.com/' holds a user name or password (the part before @)",
        ),
        ("https://@example.com/", "'https://…@example.com/' holds a user name or password"),
        ("https://a..b/", "'https://a..b/' does not name a host"),
        (
            "https://exämple.com/",
            "'https://exämple.com/' does not name a host: give a host name (letters, digits, dots",
        ),
        ("https://" + "a" * 64 + ".com/", "does not name a host"),
        ("https://[example.com]/", "'https://[example.com]/' is not a web address"),
        ("https://[::1]x/", "does not name a host"),
        ("https://example.com/" + "a" * 2100, "is longer than 2,048 characters; no endpoint address needs that."),
    ],
)
def test_policy_refuses_with_one_sentence_showing_the_address_escaped(url, sentence):
    with pytest.raises(BadInput) as refused:
        check_url(url)
    message = str(refused.value)
    assert sentence in message and message.isprintable() and message.endswith(".")
    assert "secret" not in message


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/rpc",
        "http://127.0.0.1:8545",
        "http://localhost:1",
        "http://LOCALHOST:65535/x",
        "http://[::1]:8545",
        "https://xn--exmple-cua.com/v3/path?x=1",
        "https://rpc_node.example.com./",
        "https://example.com/ünïcode-path",
        "https://10.0.0.1:443",
    ],
)
def test_policy_allows(url):
    assert check_url(url) == url
    assert check_url(f"  {url} ") == url  # spaces around an address are dropped, nothing else


@given(st.text(max_size=80) | st.from_regex(r"https?://[a-z0-9.:\[\]@%_-]{0,30}(/.{0,20})?", fullmatch=True))
def test_any_text_is_a_checked_address_or_one_printable_sentence(text):
    message = url = ""
    try:
        url = check_url(text)
    except BadInput as exc:
        message = str(exc)
    if message:
        assert message.isprintable() and message.endswith(".")
        return
    parts = urlsplit(url)  # what passes is something httpx and urlsplit both take as it is
    assert parts.scheme in ("http", "https") and parts.hostname and "@" not in parts.netloc
    assert parts.port is None or 1 <= parts.port <= 65535
    assert str(httpx.URL(url).host)
    assert url.isprintable() and not any(c.isspace() for c in url)


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
