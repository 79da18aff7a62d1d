from decimal import Decimal

from backcheck.core.facts import Fact, utc_now
from backcheck.core.units import from_raw


def test_from_raw_is_exact_for_huge_values():
    raw = 2**256 - 1
    value = from_raw(raw, 18)
    assert format(value, "f") == "115792089237316195423570985008687907853269984665640564039457.584007913129639935"


def test_from_raw_trims_trailing_zeros_but_keeps_integers():
    assert format(from_raw(10021 * 10**18, 18), "f") == "10021"
    assert format(from_raw(1_002_100_000_000_000_000, 18), "f") == "1.0021"
    assert from_raw(0, 8) == Decimal(0)


def test_fact_json_amounts_are_decimal_strings():
    fact = Fact(Decimal("1234.5"), "tokens", "src", "eth_call", 7, utc_now())
    doc = fact.to_json()
    assert doc["value"] == "1234.5"
    assert doc["block"] == 7
    assert doc["fetched_at"].endswith("Z")
    assert "error" not in doc


def test_unknown_fact_keeps_reason_and_never_a_default():
    fact = Fact.unknown("node timed out", unit="tokens", source="src", method="eth_call")
    assert not fact.known
    assert fact.to_json()["value"] is None
    assert fact.to_json()["error"] == "node timed out"
    assert fact.display_value() == "unknown"
