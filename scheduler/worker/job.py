"""One client's scan as the worker runs it: read, decide, record, then post per mode.

Decisions come from pure functions (rules, worker_plan); this module only moves data between the
services, the store and the outbox. A scan never raises: whatever goes wrong is logged with the client
(and board) and recorded as the scan's outcome for `scopekeeper status`.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rules.evaluate import ClientRules
from scheduler.config.models import AppConfig, Client, ConfigError, file_stamp, load_config, rules_for
from scheduler.logs import redact
from scheduler.notify.notifier import Notifier
from scheduler.notify.problems import BoardState
from scheduler.records.state import ClientState, LedgerEntry, ScanWrite
from scheduler.records.status import Mode, ScanOutcome
from scheduler.store import Store, StoreError
from scheduler.store.scans import load_boards, load_cards, load_client, record_status, save_scan
from scheduler.store.schema import APPROVED, PENDING_REVIEW
from scheduler.testing_hooks import crash_point
from scheduler.worker.adapters import Adapters
from scheduler.worker.arenas import limit_arenas
from scheduler.worker.evaluate import changeable, evaluate_cards
from scheduler.worker.execute import Executor
from scheduler.worker.heap import freeze_start_up
from scheduler.worker.observe import BoardRead, card_comments, has_changes, read_boards
from scheduler.worker.plan import (
    CardChanges,
    apply_reads,
    finding_updates,
    ledger,
    new_and_reworded,
    plan_text,
    planned_comments,
    posted_before,
)

log = logging.getLogger("scopekeeper.worker")


@dataclass
class Observed:
    """A client's scan between its two halves: what its boards said, or that it already failed."""

    client: Client
    started: datetime
    clock: float
    problems: list[str] = field(default_factory=list)
    failed: bool = False
    state: ClientState | None = None
    reads: list[BoardRead] = field(default_factory=list)
    changes: CardChanges | None = None
    period: LedgerEntry | None = None   # the current period's hours, when the scan evaluated the cards


class Worker:
    """Scans clients in one mode ('dry-run', 'review' or 'auto'); safe to call from several threads."""

    def __init__(self, config: AppConfig, store: Store, adapters: Adapters, *, mode: Mode | str,
                 stop: threading.Event, show: Callable[[str], None] = print, notifier: Notifier | None = None,
                 config_path: str | Path | None = None, clock: Callable[[], datetime] | None = None,
                 gate: threading.Semaphore | None = None) -> None:
        self.config, self.store, self.mode, self.stop = config, store, Mode(mode), stop
        # Shared by a team worker's VAs: at most so many client scans at once in the process, whatever their
        # schedules (all of them start at once), so that memory stays that of a few scans.
        self._gate = gate or contextlib.nullcontext()
        limit_arenas()  # before the scans start their threads
        self._clock = clock or (lambda: datetime.now(UTC))  # a scan's `now` (benchmarks simulate months of scans)
        self.notifier = notifier
        self._config_path = Path(config_path) if config_path is not None else None
        self._config_stamp = file_stamp(self._config_path) if self._config_path else None
        self._show = show
        self.executor = Executor(store, adapters, stop)
        self._adapters = adapters
        self._rules: dict[str, ClientRules] = {}   # compiled once: they memoise card readings between scans
        self._evaluated: set[str] = set()           # clients evaluated by this process (config may have changed)
        self._pruned: dict[str, date] = {}          # the day each client's history was last pruned
        self._lock = threading.Lock()
        self._scanning: dict[str, threading.Lock] = {}  # per client: one scan at a time (scheduled or polled)
        freeze_start_up()  # every worker process builds a Worker before its first scan

    @property
    def adapters(self) -> Adapters:
        return self._adapters

    def reconcile_all(self) -> None:
        """At start-up: settle every pending and unknown comment left by an earlier process."""
        if self.mode is not Mode.DRY_RUN:
            for problem in self.executor.reconcile():
                log.warning("%s", problem, extra={"event": "reconcile"})

    def reload_if_changed(self) -> bool:
        """Use the configuration file again if it changed since it was read (the web app saved it, or the VA
        edited it); an invalid file is never used: the running configuration stays, and the log says why."""
        if self._config_path is None:
            return False
        stamp = file_stamp(self._config_path)
        with self._lock:
            if stamp == self._config_stamp:
                return False
            self._config_stamp = stamp
        try:
            config = load_config(self._config_path)
        except ConfigError as err:
            log.error("%s changed but cannot be used, so the previous configuration stays in use: %s",
                      self._config_path, "; ".join(err.problems), extra={"event": "config_invalid"})
            return False
        with self._lock:
            old, self.config = self.config, config
            before = {c.name: c for c in old.clients}
            changed = sorted(c.name for c in config.clients if before.get(c.name) not in (None, c))
            added = sorted(c.name for c in config.clients if c.name not in before)
            removed = sorted(set(before) - {c.name for c in config.clients})
            for name in [*changed, *removed]:
                self._rules.pop(name, None)
                self._evaluated.discard(name)   # a changed contract re-evaluates every card at the next scan
        if config.connections != old.connections:
            self._adapters.reset(config)
        what = "; ".join(f"{label}: {', '.join(names)}" for label, names in
                         (("changed", changed), ("added", added), ("removed", removed)) if names)
        log.info("configuration %s reloaded%s", self._config_path, f" ({what})" if what else "",
                 extra={"event": "config_reloaded"})
        return True

    def scheduled_scan(self, client: Client) -> str | None:
        """A scheduled scan: the configuration is reloaded first if its file changed, and the client scanned as
        it now reads (None when it is no longer in the configuration)."""
        self.reload_if_changed()
        current = next((c for c in self.config.clients if c.name == client.name), None)
        return self.scan(current) if current is not None else None

    def scan(self, client: Client) -> ScanOutcome:
        """Scan one client; returns the outcome: ok, partial (some boards or comments failed), error or stopped."""
        with self._client_lock(client.name), self._gate:  # this order everywhere: no two scans wait on each other
            return self.finish(self.observe(client))

    def poll(self, clients: list[Client], scan_round: Hashable) -> dict[str, ScanOutcome]:
        """The cheap change check of every client, then a scan of those whose boards may have changed.

        The clients share the round's answers: one board-activity request per Trello token for all of them,
        reused by the scans it starts. A client being scanned already is left to that scan (and the next poll).
        """
        outcomes: dict[str, ScanOutcome] = {}
        for client in clients:
            if self.stop.is_set():
                break
            try:
                if not has_changes(self._adapters, client, load_boards(self.store, client.name), scan_round):
                    continue
            except Exception as err:  # the store or a secret: the scheduled scan reports it
                log.debug("change check failed: %s", redact(str(err)), extra={"client": client.name})
                continue
            lock = self._client_lock(client.name)
            if not lock.acquire(blocking=False):
                continue
            try:
                with self._gate:
                    outcomes[client.name] = self.finish(self.observe(client, scan_round))
            finally:
                lock.release()
        return outcomes

    def _client_lock(self, name: str) -> threading.Lock:
        with self._lock:
            return self._scanning.setdefault(name, threading.Lock())

    def observe(self, client: Client, scan_round: Hashable | None = None) -> Observed:
        """A scan's first half, the reading: settle unresolved comments, read the boards that changed.

        Clients observed with the same `scan_round` share each token's board-activity answer.
        """
        observed = Observed(client, self._clock(), time.monotonic())
        try:
            if self.mode is not Mode.DRY_RUN:
                observed.problems += self.executor.reconcile(client.name)
            with self._lock:
                window = None if client.name not in self._evaluated else changeable(
                    observed.started, client.contract.period, ZoneInfo(client.timezone))
            observed.state = state = load_client(self.store, client.name, window)
            observed.reads = read_boards(self._adapters, client, state, self.stop, scan_round,
                                         self.config.scopekeeper.full_read_every)
            observed.problems += [read.error for read in observed.reads if read.error]
            if state.since is not None:  # gone cards the store did not give may be back on a board
                unknown = {(c.provider, c.id) for r in observed.reads if r.cards for c in r.cards} - state.cards.keys()
                if unknown:
                    state.cards.update(load_cards(self.store, client.name, keys=unknown))
            observed.changes = apply_reads(state, observed.reads)
        except Exception as err:  # one client's trouble must never stop the others or later scans
            self._failed(observed, err)
        return observed

    def finish(self, observed: Observed) -> ScanOutcome:
        """A scan's second half: decide, record and post per mode; then its outcome, recorded for `status`."""
        client, posted = observed.client, 0
        state, changes = observed.state, observed.changes
        if not observed.failed and state is not None and changes is not None:  # observe() set both, or failed
            try:
                posted = self._decide_and_act(observed, state, changes)
            except Exception as err:
                self._failed(observed, err)
        problems = observed.problems
        outcome = (ScanOutcome.ERROR if observed.failed else ScanOutcome.STOPPED if self.stop.is_set() else
                   ScanOutcome.PARTIAL if problems else ScanOutcome.OK)
        if self.mode is not Mode.DRY_RUN:
            try:
                record_status(self.store, client.name, started=observed.started, finished=datetime.now(UTC),
                              outcome=outcome, detail="; ".join(problems) or None, posted=posted)
            except Exception as err:
                log.error("could not record the scan's outcome: %s", redact(str(err)), extra={"client": client.name})
            if self.notifier is not None and outcome is not ScanOutcome.STOPPED:
                self._notify(observed)
        # run --once holds every client's scan until all are done: this one's cards need not wait with it.
        observed.state, observed.reads, observed.changes = None, [], None
        log.info("scan %s in %.1f s: %d comment(s) posted%s", outcome, time.monotonic() - observed.clock, posted,
                 f"; {len(problems)} problem(s)" if problems else "", extra={"client": client.name,
                                                                             "event": "scan_done"})
        return outcome

    def _decide_and_act(self, observed: Observed, state: ClientState, changes: CardChanges) -> int:
        client, now = observed.client, observed.started
        write = ScanWrite(client.name, now, new_cards=changes.new, changed_cards=changes.changed,
                          gone=changes.newly_gone, returned=changes.returned, boards=[r.update for r in observed.reads],
                          intent_status=APPROVED if self.mode is Mode.AUTO else PENDING_REVIEW)
        checked = True
        if state.since is None or changes.any:  # the first evaluation by this process, or a board changed
            # Gone cards are evaluated too: their hours stay in the ledger. The ledger's totals stand for the
            # periods that cannot change any more, and tell a rollover where the contract's periods start.
            evaluation = evaluate_cards(self.store, self._rules_of(client), client.name, state, changes, now)
            result = evaluation.result
            by_id = {card.id: card for card in evaluation.cards.values()}
            write.findings = finding_updates(result, by_id, {k[1]: v.finding_digest for k, v in state.cards.items()})
            write.ledger = ledger(result, evaluation.whole_from, state.hours_used)
            write.days, write.parts = evaluation.days, evaluation.parts
            observed.period = next((e for e in write.ledger if e.period_key == result.period.key), None)
            write.intents, write.rewordings = new_and_reworded(
                planned_comments(result, evaluation.live, self.config.signature(client)), state)
            checked = self._posted_before(observed, write)
        keep = self.config.scopekeeper.keep_history
        if self._pruned.get(client.name) != now.date():  # the retention policy, once a day per client
            write.prune_before = now - keep
        if self.mode is Mode.DRY_RUN:
            waiting = len(self.executor.outbox.listed((APPROVED,), client=client.name))
            self._show(plan_text(client.name, write.intents, self.mode, waiting,
                                 self.config.scopekeeper.max_comments_per_run))
            return 0
        crash_point("before_intent")
        created = save_scan(self.store, write)
        with self._lock:
            if checked:  # else the next scan plans again the comments whose cards could not be checked
                self._evaluated.add(client.name)
            if write.prune_before is not None:
                self._pruned[client.name] = now.date()
        if write.found:
            log.info("%d comment(s) already on the cards (posted before this state store knew them): recorded, "
                     "not posted again", len(write.found), extra={"client": client.name, "event": "found_on_card"})
        if created:
            what = "queued for review (scopekeeper review)" if self.mode is Mode.REVIEW else "to post"
            log.info("%d new comment(s) %s", created, what, extra={"client": client.name, "event": "planned"})
        posting = self.executor.post(client=client.name, budget=self.config.scopekeeper.max_comments_per_run)
        observed.problems += posting.problems
        return posting.posted

    def check_credentials(self) -> None:
        """Warn the VA, once, of a token that expires within a week (Trello's expire unless made to never)."""
        if self.notifier is None:
            return
        for provider in dict.fromkeys(b.provider for c in self.config.clients for b in c.boards):
            try:
                expires = self._adapters.for_provider(provider).credentials_expire()
            except Exception as err:  # a refused token is told by the scans
                log.warning("could not check when the %s token expires: %s", provider, redact(str(err)),
                            extra={"event": "token_check_failed"})
                continue
            self.notifier.token_expiry(provider, expires)

    def _notify(self, observed: Observed) -> None:
        """The VA hears of new problems (and budget thresholds) once; the notifier never raises."""
        assert self.notifier is not None
        failure = "; ".join(observed.problems) if observed.failed else None
        self.notifier.after_scan(observed.client.name, [BoardState(r.provider, r.board_id, r.state, r.error)
                                                        for r in observed.reads], failure)
        if observed.period is not None:
            self.notifier.budget(observed.client.name, observed.period)

    def _posted_before(self, observed: Observed, write: ScanWrite) -> bool:
        """Set aside the new comments already on their cards (a lost, emptied or restored state store must not
        post them again) and those whose cards could not be checked; False if there were such cards."""
        if not write.intents:
            return True
        read = {(card.provider, card.id): card for r in observed.reads if r.cards and not r.incremental
                for card in r.cards}
        comments, unchecked, problems = card_comments(self._adapters, observed.client, write.intents, read)
        observed.problems += problems
        waiting = [i for i in write.intents if (i.provider, i.card_id) not in unchecked]
        write.intents, write.found = posted_before(waiting, comments)
        return not unchecked

    def _failed(self, observed: Observed, err: Exception) -> None:
        # A store that cannot be written says so in one sentence; anything else unexpected shows its traceback.
        known = isinstance(err, StoreError)
        log.error("scan failed: %s", redact(str(err) if known else f"{type(err).__name__}: {err}"),
                  exc_info=not known, extra={"client": observed.client.name, "event": "scan_failed"})
        observed.problems.append(str(err) if known else f"{type(err).__name__}: {err}")
        observed.failed = True

    def _rules_of(self, client: Client) -> ClientRules:
        with self._lock:
            if client.name not in self._rules:
                self._rules[client.name] = rules_for(client)
            return self._rules[client.name]
