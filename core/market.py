"""The US equity market session (NYSE hours and holidays from the maintained `holidays` library)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import holidays

NEW_YORK = ZoneInfo("America/New_York")
PRE, OPEN, CLOSE, POST = time(4, 0), time(9, 30), time(16, 0), time(20, 0)


def session(moment: datetime) -> str:
    """Name the NYSE session at a moment: ``regular``, ``pre-market``, ``after-hours`` or ``closed (…)``.

    Early closes (13:00 on some half days) are not in the holiday library and count as regular.
    """
    local = moment.astimezone(NEW_YORK)
    if local.weekday() >= 5:
        return "closed (weekend)"
    holiday = holidays.financial_holidays("NYSE", years=local.year).get(local.date())
    if holiday:
        return f"closed (holiday: {holiday})"
    now = local.time()
    if OPEN <= now < CLOSE:
        return "regular"
    if PRE <= now < OPEN:
        return "pre-market"
    if CLOSE <= now < POST:
        return "after-hours"
    return "closed (overnight)"
