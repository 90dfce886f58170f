"""When the weekly reports go out: the configured day and time in the VA's timezone, once per ISO week."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from scheduler.config.models import AppConfig

_DAYS = {"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
         "saturday": "sat", "sunday": "sun"}


class WeeklyTrigger(CronTrigger):
    """A cron trigger that fires once a week even when the local time occurs twice.

    APScheduler 3's CronTrigger fires at both occurrences of an ambiguous local time (the hour that repeats
    when DST ends) and then keeps returning the second one. After a fire, the search therefore starts at
    the next local midnight; a time skipped by DST still fires, an hour later on the wall clock.
    """

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        if previous_fire_time is None:
            return super().get_next_fire_time(None, now)
        day_after = previous_fire_time.astimezone(self.timezone).date() + timedelta(days=1)
        return super().get_next_fire_time(None, datetime.combine(day_after, time(0), self.timezone))


def last_due(config: AppConfig, now: datetime) -> datetime:
    """The latest moment at or before `now` when the weekly reports were due, in the VA's timezone."""
    zone, report = ZoneInfo(config.scopekeeper.timezone), config.scopekeeper.report
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - list(_DAYS).index(report.day)) % 7)
    due = datetime.combine(day, report.time, zone)
    return due if due <= local else datetime.combine(day - timedelta(days=7), report.time, zone)


def weekly_trigger(config: AppConfig) -> WeeklyTrigger:
    """[scopekeeper.report] day and time, in [scopekeeper] timezone."""
    report = config.scopekeeper.report
    return WeeklyTrigger(day_of_week=_DAYS[report.day], hour=report.time.hour, minute=report.time.minute,
                         timezone=ZoneInfo(config.scopekeeper.timezone))
