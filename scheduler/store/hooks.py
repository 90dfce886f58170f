"""Webhooks in the store: the ones registered per board, and the durable queue of events they delivered."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update

from scheduler.logs import register_secret
from scheduler.store.schema import WebhookEventRow, WebhookRow, table_of
from scheduler.store.store import Store, insert_new


@dataclass(frozen=True, slots=True)
class Hook:
    """A webhook of one board: where it calls, the service's id for it, and Asana's signing secret."""

    provider: str
    board_id: str
    nonce: str
    callback_url: str
    remote_id: str | None
    secret: str | None
    own_actor: str | None
    status: str                  # pending | active | failing
    last_event_at: datetime | None


@dataclass(frozen=True, slots=True)
class QueuedEvent:
    key: str
    provider: str
    board_id: str
    received_at: datetime


class Hooks:
    """The webhooks and their event queue; thread- and process-safe (the web app writes, the worker reads)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, provider: str, board_id: str, nonce: str, callback_url: str, own_actor: str | None) -> None:
        """A webhook about to be registered (Asana's handshake arrives before its creation answers)."""
        with self.store.session() as session:
            session.execute(delete(WebhookRow).where(WebhookRow.provider == provider, WebhookRow.board_id == board_id))
            session.add(WebhookRow(provider=provider, board_id=board_id, nonce=nonce, callback_url=callback_url,
                                   own_actor=own_actor, status="pending", created_at=_now()))

    def registered(self, provider: str, board_id: str, remote_id: str) -> None:
        self._update(provider, board_id, remote_id=remote_id, status="active")

    def failing(self, provider: str, board_id: str, detail: str) -> None:
        self._update(provider, board_id, status="failing", detail=detail)

    def remove(self, provider: str, board_id: str) -> None:
        with self.store.session() as session:
            session.execute(delete(WebhookRow).where(WebhookRow.provider == provider, WebhookRow.board_id == board_id))

    def all(self) -> list[Hook]:
        with self.store.reading() as session:
            return [_hook(row) for row in session.scalars(select(WebhookRow).order_by(WebhookRow.provider,
                                                                                      WebhookRow.board_id))]

    def by_nonce(self, nonce: str) -> Hook | None:
        with self.store.reading() as session:
            row = session.scalar(select(WebhookRow).where(WebhookRow.nonce == nonce))
            return _hook(row) if row is not None else None

    def handshake(self, nonce: str, secret: str) -> bool:
        """Keep Asana's secret for a webhook being registered; False when none waits for it (a stranger)."""
        with self.store.session() as session:
            # An UPDATE without RETURNING gives a CursorResult; Session.execute is typed for any statement.
            done = cast(CursorResult[Any], session.execute(
                update(WebhookRow).where(WebhookRow.nonce == nonce, WebhookRow.secret.is_(None))
                .values(secret=secret))).rowcount
        if done:
            register_secret(secret)
        return bool(done)

    def enqueue(self, provider: str, events: Iterable[tuple[str, str]]) -> int:
        """Queue (key, board id) events; one already queued (or done) is not queued again. How many were new."""
        now = _now()
        rows = [{"key": key, "provider": provider, "board_id": board, "received_at": now, "processed_at": None}
                for key, board in dict(events).items()]
        with self.store.session() as session:
            new = insert_new(session, table_of(WebhookEventRow), rows)
            if rows:
                session.execute(update(WebhookRow).where(WebhookRow.provider == provider,
                                                         WebhookRow.board_id.in_({r["board_id"] for r in rows}))
                                .values(last_event_at=now))
        return new

    def heard(self, provider: str, board_id: str) -> None:
        """A delivery (a heartbeat too) came through: the webhook works."""
        self._update(provider, board_id, last_event_at=_now())

    def pending(self, limit: int = 500) -> list[QueuedEvent]:
        with self.store.reading() as session:
            rows = session.scalars(select(WebhookEventRow).where(WebhookEventRow.processed_at.is_(None))
                                   .order_by(WebhookEventRow.received_at).limit(limit))
            return [QueuedEvent(r.key, r.provider, r.board_id, r.received_at) for r in rows]

    def done(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if keys:
            with self.store.session() as session:
                session.execute(update(WebhookEventRow).where(WebhookEventRow.key.in_(keys))
                                .values(processed_at=_now()))

    def prune(self, older_than: timedelta = timedelta(days=7)) -> None:
        """Forget processed events after a week: services stop re-delivering long before."""
        with self.store.session() as session:
            session.execute(delete(WebhookEventRow).where(WebhookEventRow.processed_at < _now() - older_than))

    def _update(self, provider: str, board_id: str, **values) -> None:
        with self.store.session() as session:
            session.execute(update(WebhookRow).where(WebhookRow.provider == provider, WebhookRow.board_id == board_id)
                            .values(**values))


def _hook(row: WebhookRow) -> Hook:
    register_secret(row.secret)
    return Hook(row.provider, row.board_id, row.nonce, row.callback_url, row.remote_id, row.secret, row.own_actor,
                row.status, row.last_event_at)


def _now() -> datetime:
    return datetime.now(UTC)
