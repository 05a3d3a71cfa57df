"""The workbench's clock: moments in UTC, days as the Jakarta (WIB) date of the moment.

Kring Pajak works on Western Indonesian Time (UTC+7, no daylight saving): an assessment
saved on Monday at 06:30 WIB (Sunday 23:30 UTC) was made on Monday.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> dt.datetime:
    """This moment, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def in_jakarta(moment: dt.datetime) -> dt.datetime:
    """``moment`` on Jakarta's clock; a naive moment is taken as UTC (how the store keeps them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JAKARTA)


def jakarta_date(moment: dt.datetime) -> dt.date:
    """The WIB date of ``moment`` (see :func:`in_jakarta`)."""
    return in_jakarta(moment).date()


def today() -> dt.date:
    """Today's date in Jakarta."""
    return jakarta_date(now())
