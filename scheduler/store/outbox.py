"""The outbox's state changes: review decisions, claiming a comment for posting, and its outcome.

Every change is one conditional UPDATE (`WHERE status IN (...)`): two processes can never both move an
intent out of the same state, so only one of them posts it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import func, select, tuple_, update

from scheduler.logs import redact
from scheduler.records.state import NewIntent
from scheduler.store.schema import (
    APPROVED,
    PENDING,
    PENDING_REVIEW,
    RECONCILED,
    REJECTED,
    SENT,
    UNKNOWN,
    CardRow,
    IntentRow,
)
from scheduler.store.store import Store

UNRESOLVED = (PENDING, UNKNOWN)


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent(NewIntent):
    """One outbox row, detached from its session."""

    id: int
    client: str
    status: str
    edited: bool
    attempts: int
    error: str | None


class Outbox:
    """Reads and moves intents between the states of schema.STATUSES."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, intent_id: int) -> Intent | None:
        with self._store.reading() as session:
            row = session.get(IntentRow, intent_id)
            return _intent(row) if row else None

    def listed(self, statuses: Iterable[str], *, client: str | None = None, ids: Iterable[int] | None = None,
               cards: Iterable[tuple[str, str]] | None = None, live_cards_only: bool = False) -> list[Intent]:
        """Intents in these states, oldest first; `cards` (provider, card id) keeps those of these cards alone;
        live_cards_only leaves out cards gone from their board."""
        query = select(IntentRow).where(IntentRow.status.in_(list(statuses))).order_by(IntentRow.id)
        if client is not None:
            query = query.where(IntentRow.client == client)
        if ids is not None:
            query = query.where(IntentRow.id.in_(list(ids)))
        if cards is not None:  # by provider and card, the outbox's unique index: not every comment ever made
            query = query.where(tuple_(IntentRow.provider, IntentRow.card_id).in_(sorted(set(cards))))
        if live_cards_only:
            gone = select(CardRow.card_id).where(CardRow.client == IntentRow.client,
                                                 CardRow.provider == IntentRow.provider,
                                                 CardRow.card_id == IntentRow.card_id, CardRow.gone_at.is_not(None))
            query = query.where(~gone.exists())
        with self._store.reading() as session:
            return [_intent(row) for row in session.scalars(query)]

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of intents per (client, status)."""
        with self._store.reading() as session:
            rows = session.execute(select(IntentRow.client, IntentRow.status, func.count())
                                   .group_by(IntentRow.client, IntentRow.status))
            return {(client, status): n for client, status, n in rows}

    def approve(self, intent_id: int) -> bool:
        return self._move(intent_id, (PENDING_REVIEW,), APPROVED)

    def reject(self, intent_id: int) -> bool:
        return self._move(intent_id, (PENDING_REVIEW, APPROVED), REJECTED)

    def restore(self, intent_id: int) -> bool:
        """Undo a rejection: the comment waits for review again."""
        return self._move(intent_id, (REJECTED,), PENDING_REVIEW)

    def reword(self, intent_id: int, text: str) -> bool:
        """The VA's own wording of a comment not posted yet; later scans keep it."""
        return self._move(intent_id, (PENDING_REVIEW, APPROVED), None, text=text, edited=True)

    def claim(self, intent_id: int) -> bool:
        """approved -> pending: the intent to post now, committed before the POST goes out."""
        return self._move(intent_id, (APPROVED,), PENDING, attempts=IntentRow.attempts + 1)

    def sent(self, intent_id: int, remote_id: str) -> bool:
        return self._move(intent_id, (PENDING,), SENT, remote_id=remote_id, error=None, sent_at=_now())

    def unknown(self, intent_id: int, error: str) -> bool:
        """The POST went out but its answer was lost: the next scan reads the card to find out."""
        return self._move(intent_id, (PENDING,), UNKNOWN, error=redact(error)[:2000])

    def reconciled(self, intent_id: int, remote_id: str) -> bool:
        """A pending or unknown comment was found on the card: it was posted."""
        return self._move(intent_id, UNRESOLVED, RECONCILED, remote_id=remote_id, error=None, sent_at=_now())

    def release(self, intent_id: int, error: str, *, was: Iterable[str] = (PENDING,)) -> bool:
        """Back to approved: it certainly is not on the card (refused before sending, or not found there)."""
        return self._move(intent_id, tuple(was), APPROVED, error=redact(error)[:2000])

    def card_gone(self, provider: str, card_id: str) -> None:
        """The service says the card does not exist: no comment is planned or posted there any more."""
        with self._store.session() as session:
            session.execute(update(CardRow).where(CardRow.provider == provider, CardRow.card_id == card_id,
                                                  CardRow.gone_at.is_(None)).values(gone_at=_now()))

    def _move(self, intent_id: int, sources: tuple[str, ...], target: str | None, **values) -> bool:
        if target is not None:
            values["status"] = target
        with self._store.session() as session:
            result = session.execute(update(IntentRow).where(IntentRow.id == intent_id, IntentRow.status.in_(sources))
                                     .values(updated_at=_now(), **values)
                                     .returning(IntentRow.id))
            return result.first() is not None


def _intent(row: IntentRow) -> Intent:
    return Intent(**{name: getattr(row, name) for name in _INTENT_FIELDS})


_INTENT_FIELDS = [f.name for f in fields(Intent)]


def _now() -> datetime:
    return datetime.now(UTC)
