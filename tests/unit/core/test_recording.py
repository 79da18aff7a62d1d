"""Every exchange of an inspection is recorded, with keys redacted and bodies capped."""

import asyncio
import contextlib

import pytest

from backcheck.core import recording
from backcheck.core.errors import SourceError
from backcheck.core.http import Http
from backcheck.core.redact import redact_text, redact_url
from tests.helpers.loopback_server import LoopbackServer, Reply


@pytest.fixture
def server():
    s = LoopbackServer(
        {
            ("GET", "/v3/9aa3d95b3bc440fa88ea12eaa4456161"): lambda r: Reply({"ok": 1}),
            ("POST", "/rpc"): lambda r: Reply({"jsonrpc": "2.0", "id": 1, "result": "0x1"}),
            ("GET", "/big"): lambda r: Reply(raw=b"x" * 300),
            ("GET", "/busy"): lambda r: Reply({}, status=429, headers={"Retry-After": "0"}),
        }
    )
    yield s
    s.close()


async def session(server, *calls):
    http = Http(retries=1)
    try:
        for call in calls:
            with contextlib.suppress(SourceError):
                await call(http, server.url if server else "")
    finally:
        await http.aclose()


def test_exchanges_are_recorded_in_order_with_keys_redacted(server):
    with recording.recording() as recorder:
        asyncio.run(
            session(
                server,
                lambda h, u: h.get_json(f"{u}/v3/9aa3d95b3bc440fa88ea12eaa4456161", {"apiKey": "freekey", "n": "1"}),
                lambda h, u: h.post_json(f"{u}/rpc", {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}),
                lambda h, u: h.get_json(f"{u}/busy"),
            )
        )
    first, second, *busy = recorder.exchanges
    assert first.url == f"{server.url}/v3/<redacted>" and first.params == {"apiKey": "<redacted>", "n": "1"}
    assert first.status == 200 and first.body == '{"ok": 1}' and first.request is None
    assert second.method == "POST" and '"eth_chainId"' in second.request and '"0x1"' in second.body
    assert [e.status for e in busy] == [429, 429]  # every attempt, the retry too


def test_nothing_is_recorded_outside_a_recording(server):
    asyncio.run(session(server, lambda h, u: h.get_json(f"{u}/busy")))
    assert recording.current() is None


def test_a_refused_connection_is_recorded_with_its_reason():
    with recording.recording() as recorder:
        asyncio.run(session(None, lambda h, u: h.get_json("http://127.0.0.1:9/x")))
    assert {e.status for e in recorder.exchanges} == {None}
    assert all("connection refused" in e.error for e in recorder.exchanges)


def test_bodies_beyond_the_cap_keep_their_digest_and_size(server, monkeypatch):
    monkeypatch.setattr(recording, "MAX_TOTAL_BYTES", 400)
    with recording.recording() as recorder:
        asyncio.run(session(server, *[lambda h, u: h.request("GET", f"{u}/big")] * 2))
    kept, dropped = recorder.exchanges
    assert kept.body == "x" * 300 and dropped.body is None
    assert dropped.body_size == 300 and len(dropped.body_sha256) == 64 and recorder.omitted == 1


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161", "https://mainnet.infura.io/v3/<redacted>"),
        (
            "https://eth-mainnet.g.alchemy.com/v2/AbCdEfGh1234567890XyZ_",
            "https://eth-mainnet.g.alchemy.com/v2/<redacted>",
        ),
        ("https://x.quiknode.pro/abcdef0123456789abcdef0123456789/", "https://x.quiknode.pro/<redacted>/"),
        ("https://user:pw@host.example/rpc", "https://<redacted>@host.example/rpc"),
        (
            "https://api.ethplorer.io/getTokenInfo/0x8ad3c73f833d3f9a523ab01476625f269aeb7cf0?apiKey=k&limit=1",
            "https://api.ethplorer.io/getTokenInfo/0x8ad3c73f833d3f9a523ab01476625f269aeb7cf0?apiKey=<redacted>&limit=1",
        ),
        ("https://api.xstocks.fi/api/v2/public/assets", "https://api.xstocks.fi/api/v2/public/assets"),
        ("http://127.0.0.1:8545", "http://127.0.0.1:8545"),
        (
            "https://rpc.example/abcdefghijklmnopqrstuvwxyz",
            "https://rpc.example/abcdefghijklmnopqrstuvwxyz",
        ),  # no digit
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_redact_text_finds_urls_inside_sentences():
    text = "EVM RPC ethereum (https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161) timed out"
    assert redact_text(text) == "EVM RPC ethereum (https://mainnet.infura.io/v3/<redacted>) timed out"
    assert redact_text("no url here") == "no url here"
