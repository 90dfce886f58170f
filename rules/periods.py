"""Contract periods: ISO weeks or calendar months, in the client's timezone."""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo


class ContractPeriod(NamedTuple):
    """One contract period: first and last local day, and a key like '2026-11' or '2026-W47' (a named tuple:
    scans hash and compare periods per card, which a tuple does in C; ordered by start, as dates are)."""

    start: date
    end: date
    key: str


@lru_cache(maxsize=4096)
def period_of_day(day: date, kind: str) -> ContractPeriod:
    """The period of kind 'week' or 'month' that contains this local day."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return ContractPeriod(start, start + timedelta(days=6), f"{year}-W{week:02d}")
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return ContractPeriod(day.replace(day=1), day.replace(day=last), f"{day:%Y-%m}")
    raise ValueError(f"unknown period kind {kind!r}")


def period_of(instant: datetime, kind: str, tz: ZoneInfo) -> ContractPeriod:
    """The period containing an instant, judged by the local date in `tz` (DST-safe)."""
    return period_of_day(instant.astimezone(tz).date(), kind)


def following(period: ContractPeriod) -> ContractPeriod:
    """The contract period right after `period` (a week or a month, as its key says)."""
    return period_of_day(period.end + timedelta(days=1), kind_of(period))


def kind_of(period: ContractPeriod) -> str:
    return "week" if "-W" in period.key else "month"


def period_of_key(key: str) -> ContractPeriod:
    """'2026-11' or '2026-W47' -> that period; ValueError with an example otherwise."""
    try:
        if "-W" in key:
            year, week = key.split("-W")
            return period_of_day(date.fromisocalendar(int(year), int(week), 1), "week")
        year, month = key.split("-")
        return period_of_day(date(int(year), int(month), 1), "month")
    except ValueError:
        raise ValueError(f"{key!r} is not a contract period such as 2026-11 (a month) or 2026-W47 (an ISO week)") from None


def periods_of_keys(keys: Iterable[str], kind: str) -> list[ContractPeriod]:
    """The periods of `kind` among these keys (a ledger's), leaving out those of the other kind and any key this
    version does not write."""
    found: list[ContractPeriod] = []
    for key in keys:
        if ("-W" in key) == (kind == "week"):
            try:
                found.append(period_of_key(key))
            except ValueError:
                continue
    return found
