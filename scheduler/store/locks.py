"""Cross-process locks on a state store: one active scheduler, one poster at a time.

Each lock dies with the process holding it, SIGKILL included: the kernel drops a flock when its file is
closed, and PostgreSQL drops a session's advisory locks when its connection closes.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from scheduler.store.trouble import storage_error

POLL = 0.2  # seconds between two tries while waiting for a lock


class FileLock:
    """An exclusive flock on a file beside the SQLite database; the file records who holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, wait: float = 0.0, stop: threading.Event | None = None) -> bool:
        """Take the lock, waiting up to `wait` seconds (less once `stop` is set); False if another process
        still holds it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as err:
            trouble = storage_error(err, str(self.path.parent))
            if trouble is None:
                raise
            raise trouble from None
        if not _retry(lambda: _try_flock(fd), wait, stop):
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()} {datetime.now(UTC).isoformat()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def healthy(self) -> bool:
        """A flock cannot be lost while its file stays open."""
        return self._fd is not None

    def holder(self) -> str | None:
        """'pid N on HOST since ...' when the recorded holder still runs on this host; None otherwise."""
        try:
            pid, host, since = self.path.read_text(encoding="utf-8").split()
        except (OSError, ValueError):
            return None
        if host == socket.gethostname() and not _alive(int(pid)):
            return None
        return f"pid {pid} on {host} since {since}"


class AdvisoryLock:
    """A PostgreSQL session advisory lock, keyed by name, database and schema, on its own connection."""

    def __init__(self, engine: Engine, name: str) -> None:
        self._engine, self._name = engine, name
        self._connection: Connection | None = None
        self._key: int | None = None

    def acquire(self, wait: float = 0.0, stop: threading.Event | None = None) -> bool:
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        key = _key(connection, self._name)
        taken = _retry(lambda: connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}), wait, stop)
        if not taken:
            connection.close()
            return False
        self._connection, self._key = connection, key
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            except SQLAlchemyError:
                pass  # the session is gone, and its lock with it
            finally:
                self._connection.close()
                self._connection = None

    def healthy(self) -> bool:
        """False once the lock's connection is gone (server restart, network): the lock went with it."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def holder(self) -> str | None:
        """'PostgreSQL session pid N from ADDRESS since ...' of the session holding the lock, if any."""
        with self._engine.connect() as connection:
            key = _key(connection, self._name)
            row = connection.execute(text(
                "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :high AND l.objid = :low "
                "AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF}).first()
        if row is None:
            return None
        return f"PostgreSQL session pid {row.pid} from {row.client_addr or 'a local socket'} since {row.backend_start}"


class ThreadLock:
    """For an in-memory database, which only this process can see."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._held = False

    def acquire(self, wait: float = 0.0, stop: threading.Event | None = None) -> bool:
        self._held = _retry(lambda: self._lock.acquire(blocking=False), wait, stop)
        return self._held

    def release(self) -> None:
        if self._held:
            self._lock.release()
            self._held = False

    def healthy(self) -> bool:
        return self._held

    def holder(self) -> str | None:
        return f"pid {os.getpid()}" if self._lock.locked() else None


def _key(connection: Connection, name: str) -> int:
    """A signed 64-bit key: one store (database and schema) and one lock name."""
    where = connection.execute(text("SELECT current_database(), current_schema()")).one()
    digest = hashlib.sha256(f"scopekeeper\x1f{name}\x1f{where[0]}\x1f{where[1]}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _retry(attempt, wait: float, stop: threading.Event | None) -> bool:
    """Try until `attempt` succeeds, `wait` seconds have passed or `stop` is set (a signal must not wait
    for another process to finish posting)."""
    deadline = time.monotonic() + wait
    while not attempt():
        if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
            return False
        if stop is None:
            time.sleep(POLL)
        else:
            stop.wait(POLL)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True
