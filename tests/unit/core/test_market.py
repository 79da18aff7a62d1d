from datetime import UTC, datetime

import pytest

from backcheck.core.market import session


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 23, 15, 0, tzinfo=UTC), "regular"),  # Monday 10:00 New York
        (datetime(2026, 11, 23, 12, 0, tzinfo=UTC), "pre-market"),  # 07:00
        (datetime(2026, 11, 23, 22, 0, tzinfo=UTC), "after-hours"),  # 17:00
        (datetime(2026, 11, 24, 3, 0, tzinfo=UTC), "closed (overnight)"),  # 22:00
        (datetime(2026, 11, 22, 15, 0, tzinfo=UTC), "closed (weekend)"),  # Sunday
        (datetime(2026, 11, 26, 15, 0, tzinfo=UTC), "closed (holiday: Thanksgiving Day)"),
        (datetime(2026, 7, 3, 15, 0, tzinfo=UTC), "closed (holiday: Independence Day (observed))"),
        (datetime(2026, 3, 9, 14, 0, tzinfo=UTC), "regular"),  # after the US switch to daylight time: 10:00 EDT
    ],
)
def test_nyse_session(moment, expected):
    assert session(moment) == expected
