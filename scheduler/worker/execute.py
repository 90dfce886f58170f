"""Carrying the outbox out: reconcile unresolved comments by reading the cards, post approved ones once.

Exactly once: an intent is claimed (approved -> pending, committed) before its POST, marked sent with the
remote id after. A crash between the two leaves it pending; an answer lost in transit leaves it unknown.
Both are settled only by reading the card's comments for the intent's reference, under the outbox lock
that every poster of that client holds, so no other process can be posting it at that moment.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from integrations.errors import AuthError, IntegrationError, NotFound, RateLimited, UnknownOutcome
from scheduler.logs import redact
from scheduler.records.status import PostOutcome
from scheduler.store import Store
from scheduler.store.outbox import UNRESOLVED, Intent, Outbox
from scheduler.store.schema import APPROVED
from scheduler.store.store import OUTBOX_LOCK
from scheduler.testing_hooks import crash_point
from scheduler.worker.adapters import Adapters

OUTBOX_WAIT = 120.0  # seconds to wait for another process (`review --post`) to finish posting

log = logging.getLogger("scopekeeper.outbox")
@dataclass
class Posting:
    """What one posting round did."""

    posted: int = 0          # confirmed, with the remote comment id
    unknown: int = 0         # sent, answer lost: settled at the next scan
    waiting: int = 0         # approved but left for the next run (budget, stop, a refusing service)
    problems: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.posted + self.unknown

    def add(self, other: Posting) -> None:
        self.posted += other.posted
        self.unknown += other.unknown
        self.waiting += other.waiting
        self.problems += other.problems


class Executor:
    """Reconciles and posts through one process's adapters, holding the client's outbox lock meanwhile."""

    def __init__(self, store: Store, adapters: Adapters, stop: threading.Event) -> None:
        self._store, self._adapters, self._stop = store, adapters, stop
        self.outbox = Outbox(store)

    def reconcile(self, client: str | None = None) -> list[str]:
        """Settle pending and unknown comments (of one client, or all) by reading their cards; the problems."""
        problems = []
        for name in self._clients(UNRESOLVED, client):
            with self._outbox_lock(name) as locked:
                if not locked:
                    if not self._stop.is_set():
                        problems.append(f"{name}: another process was posting; reconciliation waits for the next scan")
                    continue
                for intent in self.outbox.listed(UNRESOLVED, client=name, live_cards_only=True):
                    if self._stop.is_set():
                        break
                    problem = self._reconcile_one(intent)
                    if problem:
                        problems.append(problem)
        return problems

    def post(self, *, client: str | None = None, ids: list[int] | None = None, budget: int | None = None) -> Posting:
        """Post approved comments (of one client, or these ids), oldest first, at most `budget` per client."""
        result = Posting()
        for name in self._clients((APPROVED,), client, ids):
            with self._outbox_lock(name) as locked:
                # Listed only once the lock is held: what another poster did before is then visible.
                queue = self.outbox.listed((APPROVED,), client=name, ids=ids, live_cards_only=True)
                if not locked:
                    result.waiting += len(queue)
                    if not self._stop.is_set():
                        result.problems.append(f"{name}: another process was posting; the comments wait")
                    continue
                result.add(self._post(queue, budget))
        return result

    def _clients(self, statuses: tuple[str, ...], client: str | None, ids: list[int] | None = None) -> list[str]:
        if client is not None:
            return [client]
        return sorted({intent.client for intent in self.outbox.listed(statuses, ids=ids)})

    def _post(self, queue: list[Intent], budget: int | None) -> Posting:
        result = Posting()
        refusing: set[str] = set()  # services that refused this run (token, rate limit): nothing more to them
        for index, intent in enumerate(queue):
            if self._stop.is_set() or intent.provider in refusing:
                result.waiting += 1
                continue
            if budget is not None and result.attempted >= budget:
                result.waiting += len(queue) - index
                log.warning("max_comments_per_run (%d) reached: %d approved comment(s) wait for the next scan; raise "
                            "scopekeeper.max_comments_per_run in the config to post more per scan", budget,
                            len(queue) - index, extra={"client": intent.client, "event": "budget_reached"})
                break
            outcome, problem = self._post_one(intent)
            if outcome is PostOutcome.SENT:
                result.posted += 1
            elif outcome is PostOutcome.UNKNOWN:
                result.unknown += 1
            else:
                result.waiting += 1
                result.problems.append(problem)
                if outcome is PostOutcome.REFUSED:
                    refusing.add(intent.provider)
        return result

    def _post_one(self, intent: Intent) -> tuple[PostOutcome, str]:
        """What posting the comment came to, and why when it was not posted (REFUSED stops the service)."""
        fields = _fields(intent)
        if not self.outbox.claim(intent.id):
            return PostOutcome.NOT_POSTED, f"comment #{intent.id} changed state meanwhile (edited, rejected or posted): left alone"
        crash_point("after_intent")
        try:
            remote_id = self._adapters.for_provider(intent.provider).post_comment(intent.card_id, intent.text)
        except UnknownOutcome as err:
            self.outbox.unknown(intent.id, str(err))
            log.warning("comment #%d: %s; the next scan reads the card to find out", intent.id, redact(str(err)),
                        extra={**fields, "event": "unknown_outcome"})
            return PostOutcome.UNKNOWN, ""
        except NotFound:
            self.outbox.release(intent.id, "the card no longer exists")
            self.outbox.card_gone(intent.provider, intent.card_id)
            log.warning("comment #%d not posted: the card no longer exists", intent.id, extra=fields)
            return PostOutcome.NOT_POSTED, f"comment #{intent.id}: the card no longer exists"
        except (AuthError, RateLimited) as err:
            self.outbox.release(intent.id, str(err))
            log.error("comment #%d not posted: %s", intent.id, redact(str(err)), extra=fields)
            return PostOutcome.REFUSED, f"refused: {intent.provider}: {redact(str(err))}"
        except IntegrationError as err:  # refused or failed before anything was stored: safe to try later
            self.outbox.release(intent.id, str(err))
            log.error("comment #%d not posted: %s", intent.id, redact(str(err)), extra=fields)
            return PostOutcome.NOT_POSTED, f"comment #{intent.id}: {redact(str(err))}"
        crash_point("after_post")
        self.outbox.sent(intent.id, remote_id)
        crash_point("after_sent")
        log.info("comment #%d posted on %s", intent.id, intent.card_url or intent.card_id,
                 extra={**fields, "event": "posted"})
        return PostOutcome.SENT, ""

    def _reconcile_one(self, intent: Intent) -> str | None:
        fields = _fields(intent)
        try:
            found = self._adapters.for_provider(intent.provider).find_comment(intent.card_id, intent.reference)
        except NotFound:
            self.outbox.card_gone(intent.provider, intent.card_id)
            return None
        except IntegrationError as err:
            log.warning("comment #%d: could not read the card to settle it (%s); trying again at the next scan",
                        intent.id, redact(str(err)), extra=fields)
            return f"comment #{intent.id} unsettled: {redact(str(err))}"
        if found is not None:
            self.outbox.reconciled(intent.id, found.id)
            log.info("comment #%d was posted before the answer was lost: found on the card, not posted again",
                     intent.id, extra={**fields, "event": "reconciled"})
        else:
            self.outbox.release(intent.id, "not found on the card after an interrupted post", was=UNRESOLVED)
            log.info("comment #%d is not on the card: it will be posted", intent.id,
                     extra={**fields, "event": "not_posted_yet"})
        return None

    def _outbox_lock(self, client: str):
        """One poster per client at a time, across processes; other clients' scans are not held up."""
        return _Held(self._store.lock(f"{OUTBOX_LOCK}:{client}"), OUTBOX_WAIT, self._stop)


class _Held:
    """`with` a lock taken for the block, yielding whether it was taken within `wait` seconds."""

    def __init__(self, lock, wait: float, stop: threading.Event) -> None:
        self._lock, self._wait, self._stop, self._taken = lock, wait, stop, False

    def __enter__(self) -> bool:
        self._taken = self._lock.acquire(self._wait, self._stop)
        return self._taken

    def __exit__(self, *exc) -> None:
        if self._taken:
            self._lock.release()


def _fields(intent: Intent) -> dict[str, str]:
    return {"client": intent.client, "board": f"{intent.provider}:{intent.board_id}", "card": intent.card_id,
            "reference": intent.reference, "intent": str(intent.id)}
