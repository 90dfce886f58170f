"""Notices to the VA in the store: each problem claimed once until resolved, each budget threshold once per period."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, tuple_

from scheduler.store.schema import BudgetAlertRow, NoticeRow, table_of
from scheduler.store.store import Store, insert_new, inserted


@dataclass(frozen=True, slots=True)
class OpenNotice:
    """A problem the VA was told about that is not resolved yet."""

    key: str
    kind: str
    detail: str | None
    opened_at: datetime


class Notices:
    """The notices table and the budget alerts table; safe from several threads and processes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, key: str, kind: str, detail: str | None = None) -> bool:
        """True when the problem `key` was not open yet: the caller tells the VA (exactly one caller does)."""
        row = {"key": key, "kind": kind, "detail": detail, "opened_at": datetime.now(UTC)}
        with self.store.session() as session:
            return insert_new(session, table_of(NoticeRow), [row]) == 1

    def release(self, key: str) -> None:
        """Forget a claim whose message could not be sent: the problem is told again when next seen."""
        self.resolve([key])

    def resolve(self, keys: Iterable[str]) -> list[str]:
        """Close these problems (those open); the keys that were open."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return []
        with self.store.session() as session:
            return list(session.scalars(delete(NoticeRow).where(NoticeRow.key.in_(keys)).returning(NoticeRow.key)))

    def open(self, prefix: str = "") -> list[OpenNotice]:
        """The problems still open (whose key starts with `prefix`), oldest first."""
        with self.store.reading() as session:
            rows = session.scalars(select(NoticeRow).where(NoticeRow.key.startswith(prefix, autoescape=True))
                                   .order_by(NoticeRow.opened_at, NoticeRow.key))
            return [OpenNotice(r.key, r.kind, r.detail, r.opened_at) for r in rows]

    def claim_thresholds(self, client: str, period_key: str, thresholds: Iterable[int]) -> list[int]:
        """Of the thresholds crossed, those never alerted for this client and period (now claimed)."""
        now = datetime.now(UTC)
        rows = [{"client": client, "period_key": period_key, "threshold": t, "sent_at": now}
                for t in sorted(set(thresholds))]
        if not rows:
            return []
        with self.store.session() as session:
            return sorted(inserted(session, table_of(BudgetAlertRow), rows, BudgetAlertRow.threshold))

    def release_thresholds(self, client: str, period_key: str, thresholds: Iterable[int]) -> None:
        """Forget thresholds whose alert could not be sent."""
        keys = [(client, period_key, t) for t in thresholds]
        if keys:
            with self.store.session() as session:
                session.execute(delete(BudgetAlertRow).where(
                    tuple_(BudgetAlertRow.client, BudgetAlertRow.period_key, BudgetAlertRow.threshold).in_(keys)))
