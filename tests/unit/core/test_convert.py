"""The converter: exact, with stated rounding, and refusing amounts that can be read two ways."""

from datetime import UTC, datetime
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcheck.core.convert import TokenUnits, convert, parse_amount
from backcheck.core.errors import BadInput

D = Decimal
# The real NVDAx mint (facts-onchain.md §2.4): raw supply, the stored and the new multiplier.
NVDAX_RAW = 32_127_474_496_638
STORED, NEW = D("1.0009180758490996"), D("1.001701196801074")

multipliers = st.decimals(min_value=D("0.01"), max_value=D(1000), places=16, allow_nan=False, allow_infinity=False)
decimals = st.integers(min_value=0, max_value=18)


def test_nvdax_supply_exactly_as_the_program_computes_it():
    before = convert(D(NVDAX_RAW), "raw", TokenUnits(8, STORED))
    after = convert(D(NVDAX_RAW), "raw", TokenUnits(8, NEW))
    assert before.tokens == D("321274.74496638")
    with localcontext(prec=60):  # the exact product, independently, in integers
        assert before.shares == D(NVDAX_RAW * 10009180758490996).scaleb(-24)
    assert after.shares_shown == D("321821.29653478")  # what the node's uiAmountString shows
    # Independently, in integers: floor(raw × multiplier) at 8 decimals (multiplier has 16 digits).
    assert before.shares_shown == D(NVDAX_RAW * 10009180758490996 // 10**16) / 10**8


def test_scheduled_change_is_shown_with_its_date():
    result = convert(D(10), "tokens", TokenUnits(8, STORED, NEW, datetime(2026, 9, 10, 0, 30, tzinfo=UTC)))
    assert result.after is not None
    assert result.after.shares_shown == D("10.01701196")
    assert (
        "After the multiplier change on 2026-09-10 00:30 UTC, the same 10 tokens will be worth 10.01701196 shares"
        in result.notes[-1]
    )


def test_value_needs_a_price():
    assert convert(D(2), "shares", TokenUnits(8, D(2), price=D("150.5"))).usd == D("301")
    with pytest.raises(BadInput, match="needs the underlying's price"):
        convert(D(100), "usd", TokenUnits(8, D(1)))


def test_more_decimals_than_the_token_has_are_cut_with_a_note():
    result = convert(D("1.123456789"), "tokens", TokenUnits(8, D(1)))
    assert result.raw == 112_345_678
    assert "cut down to 112345678 raw units" in result.notes[0]


def test_less_than_one_raw_unit():
    with pytest.raises(BadInput, match="less than one raw unit"):
        convert(D("0.000000001"), "tokens", TokenUnits(8, D(1)))


def test_fractional_raw_amount():
    with pytest.raises(BadInput, match="whole numbers"):
        convert(D("1.5"), "raw", TokenUnits(8, D(1)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("abc", "is not a number"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("1e400", "far larger than any token supply"),
        ("-5", "above zero"),
        ("0", "above zero"),
        ("1,234.5", "thousands separators; write it without them, e.g. 1234.5"),
        ("1 234", "thousands separators"),
        ("1'234'567", "thousands separators"),
        ("1,5", "decimal comma; write a dot, e.g. 1.5"),
    ],
)
def test_bad_amounts_get_a_clear_message(text, message):
    with pytest.raises(BadInput, match=message):
        parse_amount(text)


def test_good_amounts():
    assert parse_amount(" 12.5 ") == D("12.5")
    assert parse_amount("1e3") == D(1000)
    assert parse_amount("0.00000001") == D("1E-8")


@given(raw=st.integers(min_value=1, max_value=2**128), places=decimals, m=multipliers)
def test_raw_round_trips_through_tokens_exactly(raw, places, m):
    units = TokenUnits(places, m)
    first = convert(D(raw), "raw", units)
    again = convert(first.tokens, "tokens", units)
    assert again.raw == raw
    assert again.notes == first.notes  # no rounding note beyond the display one


@given(raw=st.integers(min_value=1, max_value=2**96), places=decimals, m=multipliers)
def test_shares_back_to_raw_never_exceed_and_lose_under_one_unit(raw, places, m):
    units = TokenUnits(places, m)
    shares = convert(D(raw), "raw", units).shares
    back = convert(shares, "shares", units)
    assert back.raw == raw  # exact shares of a raw amount map back to it


@given(shares=st.decimals(min_value=D("0.01"), max_value=D(10**9), places=12), places=decimals, m=multipliers)
def test_any_share_amount_rounds_down_by_less_than_one_raw_unit(shares, places, m):
    units = TokenUnits(places, m)
    try:
        result = convert(shares, "shares", units)
    except BadInput:
        return  # less than one raw unit: refused with a message
    one_unit_in_shares = m / D(10) ** places
    assert result.shares <= shares
    assert shares - result.shares < one_unit_in_shares
    exact = result.shares == shares
    assert exact == (not any("cut down" in n for n in result.notes))


@given(a=st.integers(min_value=1, max_value=10**20), b=st.integers(min_value=1, max_value=10**20), m=multipliers)
def test_more_raw_is_never_fewer_shares(a, b, m):
    low, high = sorted((a, b))
    units = TokenUnits(8, m)
    assert convert(D(low), "raw", units).shares <= convert(D(high), "raw", units).shares
