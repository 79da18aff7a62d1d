"""Hypothesis over every input parser: a valid result or ``BadInput`` with one printable sentence, nothing else.

Parsers: amounts, multipliers and times (``convert.py``), the converter fed with them, addresses
(``addresses.py``), endpoint URLs (``http.check_url``), settings values and ``--rpc``/``--api``
(``settings.py``), JSON files (``jsondoc.py``) and registry overlays (``registry.py``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.core.addresses import b58decode, classify, evm_checksum, normalize_evm, normalize_solana
from backcheck.core.chains import CHAINS
from backcheck.core.convert import MULTIPLIERS, UNITS, TokenUnits, convert, parse_amount, parse_multiplier, parse_time
from backcheck.core.errors import BadInput
from backcheck.core.http import check_url
from backcheck.core.jsondoc import Unusable, read_document
from backcheck.core.registry import OverlayRefused, Registry
from backcheck.core.settings import DECLARED, Settings, validated

SECRET = "S3CR3T-pw"  # a password in an address is never echoed
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a person or a script may type: anything, plus the characters that break terminals and parsers.
HOSTILE = st.sampled_from(["\n", "\r", "\t", "\x00", "\x1b[31m", "\u202e", "\u200b", "\u00a0", "\ud800", " ", "١", "_"])
texts = st.text(max_size=60) | st.lists(st.text(max_size=8) | HOSTILE, max_size=8).map("".join)
number_texts = texts | st.from_regex(r"[+-]?[0-9]{0,45}(\.[0-9]{0,45})?([eE][+-]?[0-9]{1,25})?", fullmatch=True)
iso_texts = texts | st.from_regex(
    r"[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?",
    fullmatch=True,
)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))


def sentence_of(call: Any, *args: Any) -> tuple[Any, str]:
    """The parser's result, or the sentence of its ``BadInput`` (any other exception fails the test)."""
    try:
        return call(*args), ""
    except BadInput as exc:
        return None, str(exc)


def one_sentence(message: str) -> bool:
    return message.isprintable() and message.endswith((".", ")")) and len(message) < 1_000


@given(number_texts)
def test_amounts(text: str):
    amount, message = sentence_of(parse_amount, text)
    if message:
        assert one_sentence(message)
        return
    assert amount.is_finite() and Decimal("1e-60") <= amount < Decimal(10) ** 40


@given(number_texts)
def test_multipliers(text: str):
    multiplier, message = sentence_of(parse_multiplier, text)
    if message:
        assert one_sentence(message)
        return
    assert MULTIPLIERS[0] <= multiplier <= MULTIPLIERS[1]


@given(iso_texts)
def test_times(text: str):
    when, message = sentence_of(parse_time, text)
    if message:
        assert one_sentence(message)
        return
    assert when.tzinfo is UTC


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59), timezones=offsets))
def test_any_time_with_a_zone_is_read_as_the_same_instant_or_refused_without_overflow(when: datetime):
    read, message = sentence_of(parse_time, when.isoformat())
    if message:
        assert "falls outside the years 1 to 9999 in UTC" in message  # only an instant UTC cannot hold
        return
    assert read == when and read.tzinfo is UTC


@given(
    amount=number_texts,
    unit=st.sampled_from(UNITS),
    decimals=st.none() | st.integers(min_value=-5, max_value=80),
    multiplier=number_texts,
    pending=st.none() | number_texts,
    pending_at=st.none() | iso_texts,
    price=st.none() | number_texts,
)
def test_the_converter_fed_anything_typed(amount, unit, decimals, multiplier, pending, pending_at, price):
    def run() -> Any:
        units = TokenUnits.parse(decimals, multiplier, pending, pending_at, price)
        return convert(parse_amount(amount), unit, units)

    result, message = sentence_of(run)
    if message:
        assert one_sentence(message)
        return
    assert result.raw >= 1 and result.shares_shown <= result.shares


hexish = st.from_regex(r"0x[0-9a-fA-F]{38,42}", fullmatch=True) | st.text(
    alphabet="0123456789abcdefABCDEFx", max_size=44
)
base58ish = st.text(alphabet="123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl", min_size=0, max_size=60)


@given(texts | hexish)
def test_evm_addresses(text: str):
    address, message = sentence_of(normalize_evm, text)
    if message:
        assert one_sentence(message)
        return
    assert evm_checksum(address) == address and address.lower() == text.strip().lower()


@given(texts | base58ish)
def test_solana_addresses(text: str):
    address, message = sentence_of(normalize_solana, text)
    if message:
        assert one_sentence(message)
        return
    assert len(b58decode(address)) == 32 and classify(address) in ("solana_address", "text")


@given(texts | hexish | base58ish)
def test_classify_never_fails(text: str):
    assert classify(text) in ("evm_address", "solana_address", "isin", "text")


url_texts = texts | st.builds(
    "{}://{}{}{}{}".format,
    st.sampled_from(["http", "https", "HTTPS", "ftp", "", "javascript"]),
    st.sampled_from(["", "user@", f"user:{SECRET}@", "@"]),
    st.sampled_from(["127.0.0.1", "localhost", "[::1]", "rpc.example", "a..b", "[::1", "exämple.com"]) | texts,
    st.sampled_from(["", ":", ":0", ":1", ":65535", ":65536", ":-1", ":８０"]) | texts.map(":{}".format),
    st.sampled_from(["", "/", "/v3/key", "/a b", "/\n"]) | texts,
)


@given(url_texts)
def test_endpoint_urls(text: str):
    url, message = sentence_of(check_url, text)
    if message:
        assert one_sentence(message)
        assert "user name or password" not in message or SECRET not in message
        return
    parsed = httpx.URL(url)
    assert parsed.scheme in ("http", "https") and parsed.host
    assert parsed.port is None or 1 <= parsed.port <= 65535
    assert url.isprintable() and not any(c.isspace() for c in url) and not parsed.userinfo


@given(st.sampled_from(sorted(DECLARED)), texts | url_texts | number_texts)
def test_settings_values(key: str, value: str):
    stored, message = sentence_of(validated, key, value)
    if message:
        assert one_sentence(message)
        return
    assert validated(key, stored) == stored


names = st.sampled_from([c.key for c in CHAINS] + ["ETH", "1", "moon", "xstocks", "jupiter", "nope"]) | texts


@given(
    rpc=st.lists(st.builds("{}={}".format, names, url_texts) | texts, max_size=3),
    api=st.lists(st.builds("{}={}".format, names, url_texts) | texts, max_size=3),
)
def test_rpc_and_api_options(rpc: list[str], api: list[str]):
    session = Settings(Path("unused"))
    before = {key: session.get(key) for key in DECLARED}
    _, message = sentence_of(session.apply_cli_overrides, rpc, api)
    after = {key: session.get(key) for key in DECLARED}
    if message:
        assert one_sentence(message)
        assert "user name or password" not in message or SECRET not in message
        assert after == before  # all or nothing
        return
    for key, value in after.items():
        assert validated(key, value) == value


@SLOW
@given(st.binary(max_size=200) | texts.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_any_bytes_as_a_json_file(data: bytes):
    message = ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.json"
        path.write_bytes(data)
        try:
            read_document(path, max_bytes=100, max_depth=4, needs=2)
        except Unusable as exc:
            message = str(exc)
    assert message.isprintable()


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
    | st.sampled_from(["ethereum", "solana", "eth", "0x1111111111111111111111111111111111111111", "2026-11-01"])
)
json_values = st.recursive(
    json_leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3), max_leaves=12
)
FIELDS = ("symbol", "name", "issuer", "underlying", "deployments", "chain", "address", "decimals", "as_of", "isin")


def valid_overlay() -> dict[str, Any]:
    row = {"chain": "ethereum", "address": "0x1111111111111111111111111111111111111111", "decimals": 18}
    return {"tokens": [{"symbol": "MYTKx", "name": "My Token", "underlying": {"symbol": "MYTK"}, "deployments": [row]}]}


@st.composite
def overlays(draw: st.DrawFn) -> Any:
    """Any JSON, or the documented example with some of its fields replaced, removed or added."""
    if draw(st.booleans()):
        return draw(json_values)
    doc = valid_overlay()
    token = doc["tokens"][0]
    places = [doc, token, token["underlying"], token["deployments"][0]]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        place = draw(st.sampled_from(places))
        field = draw(st.sampled_from(FIELDS) | texts)
        if draw(st.booleans()):
            place.pop(field, None)
        else:
            place[field] = draw(json_values)
    return doc


def load_overlay(content: str) -> tuple[Registry | None, str]:
    """Load the content as an overlay; a refusal must be 1 to 10 sentences."""
    problems: tuple[str, ...] = ()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "overlay.json"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            return Registry.load(path), ""
        except OverlayRefused as exc:
            problems = exc.problems
    assert 1 <= len(problems) <= 10 and all(one_sentence(problem) for problem in problems)
    return None, " ".join(problems)


@SLOW
@given(overlays())
def test_overlay_documents(doc: Any):
    registry, message = load_overlay(json.dumps(doc))
    if message:
        return
    assert registry is not None
    for token in registry.tokens:
        if any(d.basis == "user" for d in token.deployments):  # the overlay's own tokens
            assert token.official is None and token.symbol.isprintable() and token.name.isprintable()
            for deployment in token.deployments:
                assert type(deployment.decimals) is int and 0 <= deployment.decimals <= 36
                check = normalize_evm if deployment.chain.kind == "evm" else normalize_solana
                assert check(deployment.address) == deployment.address or deployment.chain.kind == "evm"
                assert deployment.source.startswith("user overlay ")


@SLOW
@given(texts)
def test_overlay_text_that_may_not_be_json(text: str):
    load_overlay(text)
