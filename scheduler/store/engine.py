"""SQLAlchemy engines for state_url: a SQLite file (serialised writers) or PostgreSQL through psycopg 3."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.pool import StaticPool

from scheduler.config.state_dir import data_dir
from scheduler.errors import ScopeKeeperError

BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another one (the worker, `review`) to commit
READ_ONLY_OPTION = "scopekeeper_reading"  # execution option of transactions that never write (Store.reading)


class StoreError(ScopeKeeperError):
    """The state store cannot be opened or used; the message says which one and why."""


def database_url(state_url: str) -> URL:
    """The URL SQLAlchemy should use: postgresql:// and postgres:// go through psycopg 3."""
    try:
        url = make_url(state_url)
    except Exception:
        raise StoreError(f"state_url {state_url!r} is not a database URL such as sqlite:///scopekeeper.db "
                         "or postgresql://user@host/dbname") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: URL) -> str:
    """The URL for messages: never the password."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The SQLite file behind `url`, or None for PostgreSQL and for an in-memory database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def create(url: URL, *, read_only: bool = False) -> Engine:
    """An engine for `url`; read_only opens it so that nothing can be written, not even by mistake."""
    if url.get_backend_name() == "sqlite":
        return _sqlite(url, read_only)
    engine = create_engine(url, pool_pre_ping=True)
    if read_only:
        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection, record) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()
    return engine


def _sqlite(url: URL, read_only: bool) -> Engine:
    path = sqlite_path(url)
    if path is None:
        # One shared connection: each thread would otherwise see its own empty in-memory database.
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif read_only:
        target = f"file:{path.resolve()}?mode=ro"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(target, uri=True, check_same_thread=False))
    else:
        if not path.parent.exists() and path.parent == data_dir():  # the default place: made on first use
            path.parent.mkdir(parents=True)
        if not path.parent.exists():
            raise StoreError(f"the folder of the state store {path} does not exist; create it or change state_url")
        engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, record) -> None:
        # Transactions are begun below rather than by the driver, which would begin them too late for DDL.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    # IMMEDIATE takes the write lock at BEGIN: two writers then queue on busy_timeout instead of one failing
    # with "database is locked" when it tries to upgrade a read to a write. Reading transactions take none.
    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        reading = read_only or connection.get_execution_options().get(READ_ONLY_OPTION)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine
