"""ISO weeks as reports name them ('2026-W47'), and the moment a client's week ends."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_KEY = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class ReportWeek:
    """One ISO week: its key and its Monday; the days are the same calendar days everywhere."""

    key: str
    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def end_in(self, tz: ZoneInfo) -> datetime:
        """The last instant of the week's Sunday in `tz` (the rules count cards created up to and at it)."""
        return datetime.combine(self.sunday + timedelta(days=1), time(0), tz) - timedelta(microseconds=1)

    def previous(self) -> ReportWeek:
        return week_of(self.monday - timedelta(days=7))


def week_of(day: date) -> ReportWeek:
    """The ISO week containing a calendar day."""
    year, week, weekday = day.isocalendar()
    return ReportWeek(f"{year}-W{week:02d}", day - timedelta(days=weekday - 1))


def parse_week(text: str) -> ReportWeek:
    """'2026-W47' -> that week; ValueError with an example otherwise."""
    match = _KEY.match(text.strip())
    if match:
        try:
            return week_of(date.fromisocalendar(int(match[1]), int(match[2]), 1))
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not an ISO week such as 2026-W47 (year, then W and the week number 01-53)")


def last_complete_week(now: datetime, tz: ZoneInfo) -> ReportWeek:
    """The ISO week that ended most recently before `now`, by the calendar in `tz` (the VA's timezone)."""
    return week_of(now.astimezone(tz).date()).previous()
