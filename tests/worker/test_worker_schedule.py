"""The schedule `scopekeeper run` sets up: jobs in code, one scan job per client, the weekly report job."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.config.models import parse_config
from scheduler.store import open_store
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker
from scheduler.worker.schedule import build_scheduler
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, config_text


def config_for(state_url: str, mode: str = "review"):
    return parse_config(config_text(state_url, mode=mode, every="15m"))


@pytest.fixture
def jobs(tmp_path):
    """The jobs of a scheduler built for a mode, started paused (nothing runs), shut down afterwards."""
    made = []

    def build(mode: str = "review"):
        config = config_for(f"sqlite:///{tmp_path / 'state.db'}", mode)
        store = open_store(config.scopekeeper.state_url)
        scheduler = build_scheduler(config, Worker(config, store, Adapters(config), mode=mode,
                                                   stop=threading.Event()))
        scheduler.start(paused=True)
        made.append((scheduler, store))
        return {job.id: job for job in scheduler.get_jobs()}, scheduler

    yield build
    for scheduler, store in made:
        scheduler.shutdown(wait=False)
        store.close()


def test_one_scan_job_per_client_every_scan_every_jittered_with_grace_coalescing_and_one_instance(jobs):
    found, scheduler = jobs()

    for client in (TRELLO_CLIENT, ASANA_CLIENT):
        job = found[f"scan:{client}"]
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval == timedelta(minutes=15) and 0 < job.trigger.jitter <= 120
        assert job.misfire_grace_time >= 15 * 60 and job.coalesce and job.max_instances == 1
        assert job.args[0].name == client
    assert isinstance(scheduler._jobstores["default"], MemoryJobStore)  # defined in code, never pickled
    assert str(scheduler.timezone) == "Europe/Warsaw"


def test_the_weekly_report_job_runs_on_the_report_day_in_the_vas_timezone(jobs):
    from scheduler.reports import schedule
    found, _ = jobs()

    report = found["weekly-report"]
    assert type(report.trigger) is type(schedule.weekly_trigger(config_for("sqlite://")))
    assert str(report.trigger) == "cron[day_of_week='mon', hour='8', minute='0']"
    assert str(report.trigger.timezone) == "Europe/Warsaw"
    assert report.misfire_grace_time >= 7 * 24 * 3600 and report.coalesce and report.max_instances == 1


def test_a_dry_run_schedules_no_report(jobs):
    found, _ = jobs("dry-run")
    assert "weekly-report" not in found


def _scanned(tmp_path, when) -> None:
    from scheduler.store.scans import record_status
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    record_status(store, TRELLO_CLIENT, started=when, finished=when, outcome="ok", detail=None, posted=0)
    store.close()


def test_a_report_missed_while_stopped_is_produced_at_start_up(jobs, tmp_path, monkeypatch):
    from scheduler.reports import schedule
    config = config_for("sqlite://")
    due = schedule.last_due(config, datetime.now(UTC))
    _scanned(tmp_path, due - timedelta(hours=2))  # the last scan before the reports were due: stopped over it

    found, _ = jobs()
    catch_up = found["weekly-report-catch-up"]
    assert catch_up.args == (due,)
    monkeypatch.chdir(tmp_path)
    catch_up.func(*catch_up.args)  # what the scheduler runs at once
    week = due.date().isocalendar()
    previous = (due - timedelta(days=7)).date().isocalendar()
    assert (tmp_path / "reports" / f"{previous.year}-W{previous.week:02d}" / "practice.html").is_file()
    assert not (tmp_path / "reports" / f"{week.year}-W{week.week:02d}").exists()


def test_no_catch_up_after_a_report_that_ran_or_on_a_new_installation(jobs, tmp_path):
    found, _ = jobs()
    assert "weekly-report-catch-up" not in found  # never scanned: no week to report yet
    _scanned(tmp_path, datetime.now(UTC))  # running when the reports were last due
    found, _ = jobs()
    assert "weekly-report-catch-up" not in found
