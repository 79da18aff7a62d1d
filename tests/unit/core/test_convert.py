"""The converter: exact, with stated rounding, and refusing amounts that can be read two ways."""

import re
from datetime import UTC, datetime
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcheck.core.convert import MULTIPLIERS, TokenUnits, convert, parse_amount, parse_multiplier, parse_time
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
        ("1_000", "is not a number"),  # Decimal would read 1000
        ("\u0661\u0662", "is not a number"),  # Arabic-Indic digits: Decimal would read 12
        ("1e-400", "far smaller than one raw unit of any token"),
        ("1e99999999999999999999", "far outside any amount a token can hold"),
        ("1e-99999999999999999999", "far outside any amount a token can hold"),
        ("1\n2", "'1\\n2' is not a number"),
        ("1" * 10_000, "'11111111111111111111111111111111111111111111111111111111… is far larger"),
        ("\u202e12", "'\\u202e12' is not a number"),
    ],
)
def test_bad_amounts_get_a_clear_message(text, message):
    with pytest.raises(BadInput, match=re.escape(message)):
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e39", "The multiplier 1E+39 is outside the sane range 0.000001 to 1000000 shares per token; check it."),
        ("1e-400", "The multiplier 1E-400 is outside the sane range 0.000001 to 1000000 shares per token; check it."),
        ("0", "The multiplier 0 is outside the sane range"),
        ("-1.5", "The multiplier -1.5 is outside the sane range"),
        ("1000000.1", "The multiplier 1000000.1 is outside the sane range"),
        ("1e999999999999999999", "The multiplier 1E+999999999999999999 is outside"),
        ("", "The multiplier is empty"),
        ("NaN", "'NaN' is not a finite number."),
        ("1,0021", "'1,0021' uses a decimal comma"),
    ],
)
def test_multipliers_outside_the_sane_range_are_refused(text, message):
    with pytest.raises(BadInput, match=f"^{re.escape(message)}"):
        parse_multiplier(text)


def test_multipliers_at_the_ends_of_the_range():
    low, high = MULTIPLIERS
    assert parse_multiplier("0.000001") == low and parse_multiplier("1e6") == high
    assert parse_multiplier(" 1.0021 ") == D("1.0021")


def test_convert_refuses_a_multiplier_outside_the_range_from_any_caller():
    with pytest.raises(BadInput, match="The multiplier 1E\\+39 is outside the sane range"):
        convert(D(1), "tokens", TokenUnits(8, D("1e39")))
    with pytest.raises(BadInput, match="The pending multiplier 0 is outside"):
        convert(D(1), "tokens", TokenUnits(8, D(1), D(0), datetime(2026, 1, 1, tzinfo=UTC)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01T14:30Z", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30:00+02:00", datetime(2026, 12, 1, 12, 30, tzinfo=UTC)),
        ("2026-12-01 14:30z", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("9999-12-31T23:59:59+01:00", datetime(9999, 12, 31, 22, 59, 59, tzinfo=UTC)),
        ("0001-01-01T00:00-01:00", datetime(1, 1, 1, 1, 0, tzinfo=UTC)),
    ],
)
def test_times_with_a_zone_are_read_as_utc(text, expected):
    assert parse_time(text) == expected and parse_time(text).tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9999-12-31T23:59:59-01:00", "The time '9999-12-31T23:59:59-01:00' falls outside the years 1 to 9999 in UTC."),
        ("0001-01-01T00:00+01:00", "The time '0001-01-01T00:00+01:00' falls outside the years 1 to 9999 in UTC."),
        ("2026-12-01T14:30", "The time '2026-12-01T14:30' has no time zone; add Z for UTC or an offset such as +02:00"),
        ("2026-12-01", "The time '2026-12-01' has no time zone"),
        ("tomorrow", "The time 'tomorrow' is not an ISO-8601 time like 2026-12-01T14:30Z."),
        ("2026-13-01T00:00Z", "The time '2026-13-01T00:00Z' is not an ISO-8601 time"),
        ("2026-12-01T14:30+25:00", "The time '2026-12-01T14:30+25:00' is not an ISO-8601 time"),
        ("2026-12-01\nT14:30Z", r"The time '2026-12-01\nT14:30Z' is not an ISO-8601 time"),
        ("", "The time '' is not an ISO-8601 time"),
        ("x" * 10_000, "The time 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… is not"),
    ],
)
def test_bad_times_get_one_sentence(text, message):
    with pytest.raises(BadInput) as refused:
        parse_time(text)
    assert str(refused.value).startswith(message)
    assert str(refused.value).isprintable()


def test_token_units_from_typed_text():
    units = TokenUnits.parse(8, "1.0021", "1.0042", "2026-12-01T14:30+01:00", "150.5")
    assert units == TokenUnits(8, D("1.0021"), D("1.0042"), datetime(2026, 12, 1, 13, 30, tzinfo=UTC), D("150.5"))
    assert TokenUnits.parse(0, "1", "", " ", "") == TokenUnits(0, D(1))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((None, "1"), "Decimals must be a whole number from 0 to 36."),
        ((37, "1"), "Decimals must be a whole number from 0 to 36."),
        ((-1, "1"), "Decimals must be a whole number from 0 to 36."),
        ((8, "1", "2"), "Give the pending multiplier and the time it takes effect together, or neither."),
        ((8, "1", None, "2026-12-01T14:30Z"), "Give the pending multiplier and the time it takes effect together"),
        ((8, "1", "1e39", "2026-12-01T14:30Z"), "The pending multiplier 1E+39 is outside the sane range"),
        (
            (8, "1", "2", "9999-12-31T23:59:59-01:00"),
            "The time of the pending multiplier '9999-12-31T23:59:59-01:00' falls",
        ),
        ((8, "1", "2", "2026-12-01T14:30"), "The time of the pending multiplier '2026-12-01T14:30' has no time zone"),
        ((8, "1", None, None, "-3"), "Enter an amount above zero (got '-3')."),
    ],
)
def test_token_units_refused(args, message):
    with pytest.raises(BadInput, match=f"^{re.escape(message)}"):
        TokenUnits.parse(*args)
