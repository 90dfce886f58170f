"""Running the worker: one active scheduler per store, APScheduler jobs defined in code, clean stops."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor as JobThreads
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from scheduler.config.models import AppConfig, Client
from scheduler.errors import ScopeKeeperError
from scheduler.logs import redact
from scheduler.notify.notifier import Notifier
from scheduler.notify.problems import Problem
from scheduler.records.status import Mode, ScanOutcome
from scheduler.store import Store
from scheduler.store.engine import describe
from scheduler.store.scans import client_statuses
from scheduler.store.store import SCHEDULER_LOCK
from scheduler.worker.hooks import process_events, public_url, remove_webhooks, sync_webhooks
from scheduler.worker.job import Observed, Worker

if TYPE_CHECKING:
    from scheduler.reports.weekly import Produced

MAX_THREADS = 4             # clients scanned at once: the services' budgets are per token anyway
# Clients read and not yet recorded, at most, in a run --once: reading is faster than evaluating, and every
# client read ahead waited with all its cards in memory (four languages at 10,000 cards per board: 202 MB
# peak, 187 MB with 2; the token's budget, not the readers, sets the pace: 200 boards read in the same time).
IN_FLIGHT = 2
STANDBY_POLL = 1.0          # a standby worker tries the lock this often: it takes over within a second or so
HEALTH_EVERY = 5.0          # how often the active worker checks that it still holds the lock
JITTER_SHARE, JITTER_CAP = 0.1, 120.0
WEEK = 7 * 24 * 3600
HOOK_QUEUE_EVERY = 1         # how often queued webhook events are looked for (one small query)
HOOK_HEALTH_EVERY = 1800     # webhooks re-created if missing, warned about if failing
SAFETY_POLL = 300           # with webhooks, the change check still runs this often: a lost event is caught

log = logging.getLogger("scopekeeper.run")


class AlreadyRunning(ScopeKeeperError):
    """Another `scopekeeper run` holds this SQLite state store."""


def take_scheduler_lock(store: Store, stop: threading.Event):
    """The store's scheduler lock, once this process may be the active scheduler; None if stopped first.

    SQLite: a second process refuses to start (AlreadyRunning). PostgreSQL: it waits on standby and takes
    over as soon as the active one's session ends, however it ended.
    """
    lock = store.lock(SCHEDULER_LOCK)
    if lock.acquire():
        log.info("active scheduler of the state store", extra={"event": "active"})
        return lock
    holder = lock.holder() or "a process that is still starting or stopping"
    if store.dialect != "postgresql":
        raise AlreadyRunning(
            f"another scopekeeper run is already using the state store {describe(store.url)} ({holder}). "
            "Only one may run per store: stop the other one first, or give this one its own state_url")
    log.info("standby: another scopekeeper run is active on this database (%s); this one takes over if it stops",
             holder, extra={"event": "standby"})
    while not stop.is_set():
        try:
            if lock.acquire(STANDBY_POLL):
                log.info("took over as the active scheduler of the state store", extra={"event": "took_over"})
                return lock
        except SQLAlchemyError as err:  # the database is unreachable: stay on standby until it is back
            log.warning("standby: cannot reach the database (%s)", redact(str(err).splitlines()[0]),
                        extra={"event": "standby"})
            stop.wait(STANDBY_POLL * 5)
    return None


def run(worker: Worker, config: AppConfig, stop: threading.Event, *, once: bool) -> int:
    """`scopekeeper run`: the exit status. `stop` is the process's (signals); `worker.stop` halts scans.

    A dry run takes no lock: it neither writes nor posts anything.
    """
    if worker.mode is Mode.DRY_RUN:
        if once:
            return _exit_status(run_once(worker, config))
        serve(worker, config, None, stop)
        return 0
    while not stop.is_set():
        lock = take_scheduler_lock(worker.store, stop)
        if lock is None:
            break
        try:
            if once:
                return _exit_status(run_once(worker, config))
            worker.reconcile_all()
            if not serve(worker, config, lock, stop):
                break
        finally:
            lock.release()
        worker.stop.clear()  # the lock was lost: back to standby, another worker may have taken over meanwhile
    return 0


def run_once(worker: Worker, config: AppConfig) -> dict[str, ScanOutcome]:
    """Scan every client once; outcome per client.

    One thread decides and records each client as its reads end, while the next client is read: at most
    IN_FLIGHT clients between the start of their reading and the end of their recording, so a fast reader
    never piles up clients waiting with all their cards in memory.
    """
    in_flight = threading.BoundedSemaphore(IN_FLIGHT)

    def observe(client: Client) -> Observed:
        in_flight.acquire()
        try:
            return worker.observe(client, scan_round)
        except BaseException:
            in_flight.release()
            raise

    def finish(observed: Observed) -> ScanOutcome:
        try:
            return worker.finish(observed)
        finally:
            in_flight.release()

    with ThreadPoolExecutor(min(IN_FLIGHT, len(config.clients)), thread_name_prefix="read") as readers, \
            ThreadPoolExecutor(1, thread_name_prefix="decide") as deciders:
        scan_round = object()  # the clients of this run share each token's board-activity answer
        reading = {readers.submit(observe, client): client for client in config.clients}
        finishing = {reading[done].name: deciders.submit(finish, done.result()) for done in as_completed(reading)}
        return {client.name: finishing[client.name].result() for client in config.clients}


def _exit_status(outcomes: dict[str, ScanOutcome]) -> int:
    return 0 if all(outcome in (ScanOutcome.OK, ScanOutcome.STOPPED) for outcome in outcomes.values()) else 1


def serve(worker: Worker, config: AppConfig, lock, stop: threading.Event) -> bool:
    """Run the schedule until `stop` is set (False) or the lock is lost (True: another worker may take over)."""
    scheduler = build_scheduler(config, worker)
    scheduler.start()
    lost = False
    try:
        while not stop.wait(HEALTH_EVERY):
            if worker.reload_if_changed():
                sync_jobs(scheduler, worker.config, worker)
                follow_boards(worker)
            if lock is not None and not lock.healthy():
                log.error("lost the scheduler lock (the database connection dropped): stopping the schedule",
                          extra={"event": "lock_lost"})
                lost = True
                worker.stop.set()  # running scans stop between cards: nothing may post without the lock
                break
    finally:
        scheduler.shutdown(wait=True)
    return lost


def _check_webhooks(worker: Worker, fixed_base: str | None) -> None:
    """The health job: against the public address as the configuration now has it (it may have been edited)."""
    base = fixed_base or public_url(worker.config)
    if base:
        sync_webhooks(worker, base)


def follow_boards(worker: Worker) -> None:
    """After a reload: a board just connected gets its webhook, one disconnected loses it (the web app's connect
    page registers at once; this catches `scopekeeper connect` and edits of the file)."""
    if worker.mode is Mode.DRY_RUN:
        return
    base = public_url(worker.config)
    if base:
        sync_webhooks(worker, base, health=False)
    elif remove_webhooks(worker):  # public_url was removed: the services would call an address that is gone
        log.info("public_url removed: webhooks removed, changes are polled", extra={"event": "webhooks_off"})


def build_scheduler(config: AppConfig, worker: Worker, *, webhooks: bool | None = None,
                    hooks_base: str | None = None) -> BackgroundScheduler:
    """A scan job per client every scan_every (jittered, first one now), the change check every poll_every
    (every SAFETY_POLL when webhooks bring the changes), and the weekly report job."""
    settings = config.scopekeeper
    zone = ZoneInfo(settings.timezone)
    every = int(settings.scan_every.total_seconds())
    scheduler = BackgroundScheduler(
        timezone=zone, executors={"default": JobThreads(min(MAX_THREADS, len(config.clients)) + 5)},
        # A late job still runs (grace of a whole interval); several missed runs run once; never two at once.
        job_defaults={"misfire_grace_time": every, "coalesce": True, "max_instances": 1})
    now = datetime.now(zone)
    for client in config.clients:
        _add_scan(scheduler, config, worker, client)
    fixed_base, hooks_base = hooks_base, hooks_base or public_url(config)
    webhooks = bool(hooks_base) if webhooks is None else webhooks
    poll = poll_interval(config, webhooks=webhooks)
    if worker.mode is not Mode.DRY_RUN:
        # Webhook events are queued by the web app (this process's or another's): evaluated within a second or so.
        scheduler.add_job(lambda: process_events(worker), IntervalTrigger(seconds=HOOK_QUEUE_EVERY, timezone=zone),
                          id="webhook-events", name="webhook events", misfire_grace_time=HOOK_QUEUE_EVERY * 5,
                          coalesce=True, max_instances=1)
    if worker.mode is not Mode.DRY_RUN and hooks_base:
        scheduler.add_job(lambda: _check_webhooks(worker, fixed_base),
                          IntervalTrigger(seconds=HOOK_HEALTH_EVERY, timezone=zone),
                          id="webhook-health", name="webhook health", next_run_time=now, coalesce=True,
                          max_instances=1)
    if worker.mode is not Mode.DRY_RUN and poll < every:  # a dry run records nothing: every check would look new
        # The configuration as the worker has it now: a reloaded one brings its clients to the next check.
        scheduler.add_job(lambda: worker.poll(worker.config.clients, object()),
                          IntervalTrigger(seconds=poll, timezone=zone),
                          id="poll", name="change check", next_run_time=now + timedelta(seconds=poll),
                          misfire_grace_time=poll, coalesce=True, max_instances=1)
    if worker.mode is Mode.DRY_RUN:
        log.info("dry run: no weekly report is sent", extra={"event": "reports_off"})
    else:
        _add_weekly_report(scheduler, config, worker.store, zone, worker.notifier)
    if worker.notifier is not None:
        scheduler.add_job(worker.check_credentials, IntervalTrigger(hours=12, timezone=zone), id="credentials",
                          name="token expiry check", next_run_time=now)
    return scheduler


def poll_interval(config: AppConfig, *, webhooks: bool = False) -> int:
    """Seconds between change checks: poll_every, or a slow safety net when webhooks announce the changes."""
    poll = int(config.scopekeeper.poll_every.total_seconds())
    return max(poll, SAFETY_POLL) if webhooks else poll


def _add_scan(scheduler: BackgroundScheduler, config: AppConfig, worker: Worker, client: Client) -> None:
    """A client's scan every scan_every (jittered), the first one now; found by name at each run, so that a
    reloaded configuration applies to it."""
    zone = ZoneInfo(config.scopekeeper.timezone)
    every = int(config.scopekeeper.scan_every.total_seconds())
    scheduler.add_job(worker.scheduled_scan, IntervalTrigger(seconds=every, jitter=min(every * JITTER_SHARE, JITTER_CAP),
                                                             timezone=zone),
                      args=[client], id=f"scan:{client.name}", name=f"scan {client.name}", next_run_time=datetime.now(zone),
                      misfire_grace_time=every, coalesce=True, max_instances=1, replace_existing=True)


def sync_jobs(scheduler: BackgroundScheduler, config: AppConfig, worker: Worker) -> None:
    """After a reload: a scan job for each new client (and for all when scan_every changed); none for removed ones."""
    every = int(config.scopekeeper.scan_every.total_seconds())
    jobs = {job.id: job for job in scheduler.get_jobs() if job.id.startswith("scan:")}
    wanted = {f"scan:{client.name}": client for client in config.clients}
    for job_id, job in jobs.items():
        if job_id not in wanted:
            job.remove()
        elif int(job.trigger.interval.total_seconds()) != every:
            _add_scan(scheduler, config, worker, wanted[job_id])
    for job_id, client in wanted.items():
        if job_id not in jobs:
            _add_scan(scheduler, config, worker, client)


def _add_weekly_report(scheduler: BackgroundScheduler, config: AppConfig, store: Store, zone: ZoneInfo,
                       notifier: Notifier | None = None) -> None:
    from scheduler.reports.schedule import last_due, weekly_trigger  # here: a dry run never loads the reports
    from scheduler.reports.weekly import send_weekly_reports

    def send(at: datetime | None = None) -> None:
        try:
            produced = send_weekly_reports(config, store, at or datetime.now(zone))
        except Exception as err:
            log.error("weekly report failed: %s", redact(f"{type(err).__name__}: {err}"), exc_info=True,
                      extra={"event": "report_failed"})
            produced = [_Failed("all", redact(f"{type(err).__name__}: {err}"))]
        if notifier is not None:
            report_notices(notifier, produced)

    scheduler.add_job(send, weekly_trigger(config), id="weekly-report", name="weekly scope report",
                      misfire_grace_time=WEEK, coalesce=True, max_instances=1)
    due = last_due(config, datetime.now(zone))
    if _stopped_over(store, due):
        # Produced as of its due moment, for the week it covers; a report already produced is not redone
        # (send_weekly_reports claims each one once). Only the latest missed week is caught up.
        log.info("the weekly report due %s was missed while ScopeKeeper was stopped: producing it now",
                 f"{due:%a %Y-%m-%d %H:%M %Z}", extra={"event": "report_catch_up"})
        scheduler.add_job(send, args=[due], id="weekly-report-catch-up", name="missed weekly scope report",
                          next_run_time=datetime.now(zone))


class _Failed(NamedTuple):
    """The whole weekly job failed: like a Produced report that was not emailed."""

    target: str
    error: str
    emailed: bool = False


def report_notices(notifier: Notifier, produced: list[Produced] | list[_Failed]) -> None:
    """One notice while reports cannot be sent (whichever and however many); one sent resolves it."""
    failed = [p for p in produced if p.error]
    if failed:
        notifier.problem(Problem("report:email", "report_not_sent",
                                 {"target": ", ".join(p.target for p in failed), "detail": failed[0].error}))
    elif any(p.emailed for p in produced):
        notifier.resolved(["report:email"])


def _stopped_over(store: Store, due: datetime) -> bool:
    """True when clients were last scanned before `due`: the worker was stopped when the reports were due.
    A store that never scanned (a new installation) has no week to report yet."""
    try:
        scans = [status.last_scan_at for status in client_statuses(store).values()]
    except SQLAlchemyError as err:
        log.warning("could not tell whether a weekly report was missed: %s", redact(str(err)))
        return False
    return bool(scans) and min(scans) < due
