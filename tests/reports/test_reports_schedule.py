"""The weekly schedule: once per ISO week across DST for five years, and each report produced exactly once."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomli_w

from scheduler.config.models import parse_config
from scheduler.reports.schedule import last_due, weekly_trigger
from scheduler.reports.weekly import send_weekly_reports
from tests.reports.support import (
    CLIENTS,
    PASSWORD_ENV,
    QUIET_SMTP,
    SMTP_PASSWORD,
    free_port,
    practice_config,
    smtp_server,
)

UTC = ZoneInfo("UTC")
TARGETS = [f"client:{c['name']}" for c in CLIENTS] + ["practice"]


def _config(zone: str, day: str, at: str):
    settings = {"timezone": zone, "report": {"day": day, "time": at}}
    return parse_config(tomli_w.dumps({"scopekeeper": settings, "clients": CLIENTS[:1]}))


def _fires(trigger, first: datetime, last: datetime) -> list[datetime]:
    """Fire times as the scheduler asks for them: each from the previous one."""
    fires, previous, now = [], None, first
    while True:
        fire = trigger.get_next_fire_time(previous, now)
        # Compared in UTC: within one zone Python compares wall-clock times and ignores fold.
        assert previous is None or fire.astimezone(UTC) > previous.astimezone(UTC), f"stuck at {fire}"
        if fire > last:
            return fires
        fires.append(fire)
        previous, now = fire, fire + timedelta(microseconds=1)


# Monday 08:00 is the default; Sunday 02:30 does not exist on the day DST starts (both zones), and
# Sunday 01:30 (New York) and 02:30 (Warsaw) happen twice on the day it ends.
@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/New_York"])
@pytest.mark.parametrize(("day", "at"), [("monday", "08:00"), ("sunday", "02:30"), ("sunday", "01:30")])
def test_the_trigger_fires_once_per_iso_week_at_the_local_time(zone: str, day: str, at: str) -> None:
    tz = ZoneInfo(zone)
    first, end = date.fromisocalendar(2026, 1, 1), date.fromisocalendar(2031, 1, 1)  # 29 Dec 2025, 30 Dec 2030
    fires = _fires(weekly_trigger(_config(zone, day, at)), datetime.combine(first, time(0), tz),
                   datetime.combine(end, time(0), tz) - timedelta(microseconds=1))
    local = [fire.astimezone(UTC).astimezone(tz) for fire in fires]  # through UTC: the real wall-clock time
    every_week = [(first + timedelta(weeks=n)).isocalendar()[:2] for n in range((end - first).days // 7)]
    assert len(every_week) == 53 + 52 * 4  # 2026 has 53 ISO weeks, 2027-2030 have 52
    assert [moment.isocalendar()[:2] for moment in local] == every_week
    wanted = time.fromisoformat(at)
    assert all(m.strftime("%A").lower() == day for m in local)
    for moment in local:
        clock = moment.time()
        if clock != wanted:  # only where DST skipped the time: it fires as the clocks jump, an hour later
            assert moment.month == 3 and moment.dst() and clock == time(wanted.hour + 1, wanted.minute)
    ambiguous = [m for m in local if m.fold]
    assert not ambiguous  # a repeated hour fires at its first occurrence only


def test_the_trigger_uses_the_configured_day_time_and_timezone() -> None:
    trigger = weekly_trigger(_config("America/New_York", "wednesday", "18:30"))
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    assert fire.astimezone(UTC) == datetime(2026, 11, 25, 23, 30, tzinfo=UTC)


@QUIET_SMTP
@pytest.mark.slow  # renders and mails every report of the practice several times
def test_each_report_is_produced_once_per_week_across_restarts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.store import open_store

    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    state = f"sqlite:///{tmp_path / 'state.db'}"
    out = tmp_path / "reports"
    monday = datetime(2026, 10, 26, 8, 0, tzinfo=ZoneInfo("Europe/Warsaw"))  # the day after DST ended
    with smtp_server("none") as (inbox, port):
        config = practice_config(smtp_port=port)
        store = open_store(state)
        first = send_weekly_reports(config, store, monday, out_dir=out)
        store.close()
        store = open_store(state)  # a restart, an hour later
        again = send_weekly_reports(config, store, monday + timedelta(hours=1), out_dir=out)
        next_week = send_weekly_reports(config, store, monday + timedelta(days=7), out_dir=out)
        store.close()

    assert [p.target for p in first] == TARGETS and all(p.emailed and not p.error for p in first)
    assert again == []
    assert [p.target for p in next_week] == TARGETS
    # One email a week, the digest: the practice summary first, then every client's section.
    assert sorted(m["Subject"] for m in inbox.messages) == ["Practice summary · 2026-W43", "Practice summary · 2026-W44"]
    for mail in inbox.messages:
        text = mail.get_body(("plain",)).get_content()
        positions = [text.index("# Practice summary")] + [text.index(f"# Scope report: {c['name']}") for c in CLIENTS]
        assert positions == sorted(positions) and positions[0] == 0
        html = mail.get_body(("html",)).get_content()
        assert html.count("<svg") == len(CLIENTS) and not [p for p in mail.walk() if p.get_content_maintype() == "image"]
    assert (out / "2026-W43" / "practice.html").is_file()
    assert (out / "2026-W44" / "clients" / "cafe-tortuga.csv").is_file()
    assert {p.relative_to(out / "2026-W43").as_posix() for p in first[0].files} == {
        "clients/harbor-lane-bakery.html", "clients/harbor-lane-bakery.md", "clients/harbor-lane-bakery.svg",
        "clients/harbor-lane-bakery.csv"}


def test_a_failed_email_keeps_the_files_and_is_not_sent_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.store import open_store

    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    config = practice_config(smtp_port=free_port())  # nothing listens there
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    produced = send_weekly_reports(config, store, monday, out_dir=tmp_path)
    assert len(produced) == 5
    assert all(not p.emailed and "cannot send the report email through 127.0.0.1" in p.error for p in produced)
    assert all(path.is_file() for p in produced for path in p.files)
    assert send_weekly_reports(config, store, monday, out_dir=tmp_path) == []
    store.close()


@pytest.mark.parametrize("now, due", [
    ("2026-11-23T08:00:00+01:00", "2026-11-23T08:00:00+01:00"),  # the moment itself
    ("2026-11-23T07:59:00+01:00", "2026-11-16T08:00:00+01:00"),  # a minute early: last week's
    ("2026-11-23T07:30:00+00:00", "2026-11-23T08:00:00+01:00"),  # 07:30 UTC is 08:30 in Warsaw
    ("2026-10-26T09:00:00+01:00", "2026-10-26T08:00:00+01:00"),  # the day after DST ended
    ("2026-10-25T12:00:00+01:00", "2026-10-19T08:00:00+02:00"),  # due in summer time
])
def test_last_due_is_the_latest_report_moment_in_the_vas_timezone(now: str, due: str) -> None:
    config = _config("Europe/Warsaw", "monday", "08:00")
    assert last_due(config, datetime.fromisoformat(now)) == datetime.fromisoformat(due)
