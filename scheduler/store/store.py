"""The Store: opening (with migrations), sessions, locks, and what reports read."""
from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from decimal import Decimal

from alembic.util.exc import CommandError
from sqlalchemy import URL, Engine, Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from integrations.models import Card
from scheduler.logs import redact, register_secret
from scheduler.records.codec import card_from_json
from scheduler.store import migrate
from scheduler.store.engine import READ_ONLY_OPTION, StoreError, create, database_url, describe, sqlite_path
from scheduler.store.locks import AdvisoryLock, FileLock, ThreadLock
from scheduler.store.schema import CardRow, IntentRow, LedgerRow, ReportClaimRow, table_of
from scheduler.store.trouble import storage_error

SCHEDULER_LOCK = "scheduler"  # held by the one active `scopekeeper run`
OUTBOX_LOCK = "outbox"        # "outbox:<client>": held while reconciling or posting that client's comments

log = logging.getLogger("scopekeeper.store")


class Store:
    """One state store; thread-safe (each call opens its own session)."""

    def __init__(self, engine: Engine, url: URL, *, read_only: bool = False, in_memory: bool = False) -> None:
        self.engine, self.url, self.read_only = engine, url, read_only
        self._thread_locks: dict[str, threading.Lock] = {}
        # An in-memory database is one shared connection: threads take turns with it.
        self._turns = threading.RLock() if in_memory else None

    def __repr__(self) -> str:
        return f"<Store {describe(self.url)}{' read-only' if self.read_only else ''}>"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """The database file, or the URL without its password: what messages name."""
        return str(sqlite_path(self.url) or describe(self.url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction that writes: committed when the block ends normally, rolled back if it raises.

        Read-only or full storage raises StoreError saying so."""
        try:
            with self._turns or nullcontext(), Session(self.engine, expire_on_commit=False) as session, \
                    session.begin():
                yield session
        except OperationalError as err:
            trouble = storage_error(err, self.where)
            if trouble is None:
                raise
            raise trouble from None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One transaction that only reads: on SQLite it takes no write lock, so it does not queue behind writers."""
        bind = self.engine.execution_options(**{READ_ONLY_OPTION: True})
        with self._turns or nullcontext(), Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def cards(self, client_name: str, since: date | None = None) -> list[Card]:
        """Every card known for the client as last seen, including cards since archived or deleted; with `since`,
        those whose hours may count on that local day or later, and those no scan has evaluated yet."""
        query = (select(CardRow.created_at, CardRow.card_id, CardRow.data).where(CardRow.client == client_name)
                 .order_by(CardRow.created_at, CardRow.card_id))
        with self.reading() as session:
            if since is None:
                return [card_from_json(row.data) for row in session.execute(query)]
            # One query per index: an OR of them reads every card the client ever had, and history grows.
            rows = [*session.execute(query.where(CardRow.last_day >= since)),
                    *session.execute(query.where(CardRow.last_day.is_(None)))]
            return [card_from_json(row.data) for row in sorted(rows, key=lambda row: (row.created_at, row.card_id))]

    def has_cards(self, client_name: str) -> bool:
        """Whether any scan stored a card of the client."""
        with self.reading() as session:
            return session.scalar(select(CardRow.card_id).where(CardRow.client == client_name).limit(1)) is not None

    def comment_statuses(self, client_name: str, periods: Collection[str] | None = None) -> dict[str, str]:
        """Outbox state per comment reference (make_reference(provider, card_id, kind, period_key)); with
        `periods`, of the comments of those contract period keys alone."""
        query = select(IntentRow.reference, IntentRow.status).where(IntentRow.client == client_name)
        if periods is not None:
            query = query.where(IntentRow.period_key.in_(sorted(periods)))
        with self.reading() as session:
            return dict(session.execute(query).all())

    def hours_used(self, client_name: str) -> dict[str, Decimal]:
        """The ledger: in-scope hours used per contract period key (a rollover's earlier periods)."""
        with self.reading() as session:
            rows = session.execute(select(LedgerRow.period_key, LedgerRow.used).where(LedgerRow.client == client_name))
            return dict(rows.all())

    def claim_report(self, week_key: str, target: str) -> bool:
        """True exactly once per (ISO week, target), whichever process asks first."""
        with self.session() as session:
            claimed = insert_new(session, table_of(ReportClaimRow),
                                 [{"week_key": week_key, "target": target, "claimed_at": datetime.now(UTC)}])
        return claimed == 1

    def lock(self, name: str):
        """A new, not yet acquired, cross-process lock of this store (see scheduler.store.locks).

        SQLite: a file in the folder `<database>.locks` beside the database, named by a digest of `name`.
        """
        if self.dialect == "postgresql":
            return AdvisoryLock(self.engine, name)
        path = sqlite_path(self.url)
        if path is None:
            return ThreadLock(self._thread_locks.setdefault(name, threading.Lock()))
        folder = path.with_name(f"{path.name}.locks")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as err:
            trouble = storage_error(err, str(folder))
            if trouble is None:
                raise
            raise trouble from None
        return FileLock(folder / f"{hashlib.sha256(name.encode()).hexdigest()[:16]}.lock")

    def close(self) -> None:
        self.engine.dispose()


def insert_new(session: Session, table: Table, rows: Sequence[dict]) -> int:
    """Insert the rows whose unique keys are not taken yet (the others are left alone); how many were new."""
    return len(inserted(session, table, rows, next(iter(table.primary_key))))


def inserted(session: Session, table: Table, rows: Sequence[dict], column) -> list:
    """Insert the rows whose unique keys are not taken yet; `column`'s value in each row that was new."""
    if not rows:
        return []
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    # RETURNING, not rowcount, counts them: drivers need not count the rows of an INSERT. SQLAlchemy sends
    # the rows in batches of multi-row statements ("insertmanyvalues").
    statement = insert(table).on_conflict_do_nothing().returning(column)
    return list(session.scalars(statement, list(rows)))


def open_store(state_url: str, *, read_only: bool = False) -> Store:
    """Open the store at state_url, migrated to the newest revision.

    read_only (dry runs) migrates nothing and can write nothing; a store that does not exist yet is then
    an empty in-memory one, so a dry run shows what a first run would do.
    """
    url = database_url(state_url)
    register_secret(url.password)
    _refuse_emptied(url)
    engine = create(url, read_only=read_only)
    try:
        if not read_only:
            before, after = migrate.upgrade(engine)
            if before != after:
                log.info("state store %s migrated from revision %s to %s", describe(url), before or "(empty)", after,
                         extra={"event": "migrated"})
            return Store(engine, url, in_memory=url.get_backend_name() == "sqlite" and sqlite_path(url) is None)
        path = sqlite_path(url)
        if path is not None and not path.exists():
            return _empty_in_memory(url)
        with engine.connect() as connection:
            at = migrate.revision(connection)
        if at is None:
            engine.dispose()
            return _empty_in_memory(url)
        if at != migrate.head():
            raise StoreError(f"the state store {describe(url)} is at revision {at}, this ScopeKeeper uses "
                             f"{migrate.head()}: a dry run cannot migrate it; if ScopeKeeper is the newer one, run "
                             "`scopekeeper status` once (it migrates the store), else upgrade ScopeKeeper")
        return Store(engine, url, read_only=True)
    except CommandError:  # a revision this release does not know: written by a newer ScopeKeeper
        engine.dispose()
        raise StoreError(f"the state store {describe(url)} was written by a newer ScopeKeeper than this one: "
                         "upgrade ScopeKeeper (the store is never migrated backwards)") from None
    except (OperationalError, DBAPIError) as err:
        engine.dispose()
        reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
        raise (storage_error(err, str(sqlite_path(url) or describe(url)))
               or StoreError(redact(f"cannot open the state store {describe(url)}: {reason}"))) from None
    except StoreError:
        engine.dispose()
        raise


def _refuse_emptied(url: URL) -> None:
    """A database file of zero bytes was emptied or cut short: made afresh, it would forget the outbox."""
    path = sqlite_path(url)
    try:
        emptied = path is not None and path.stat().st_size == 0
    except OSError:  # missing (a new store) or unreadable (said when it is opened)
        return
    if emptied:
        raise StoreError(f"the state store {path} is an empty file (0 bytes): it was emptied or cut short, and "
                         "ScopeKeeper will not start a new store in its place; restore it from your backup, or "
                         "delete it to start afresh (comments already on the cards are recognised by their ref "
                         "and not posted again)")


def _empty_in_memory(url: URL) -> Store:
    engine = create(database_url("sqlite://"))
    migrate.upgrade(engine)
    return Store(engine, url, read_only=True, in_memory=True)
