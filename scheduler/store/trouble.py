"""Storage that cannot be written (read-only, full) as one sentence for the VA, instead of a driver's error."""
from __future__ import annotations

import errno

from scheduler.store.engine import StoreError

_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
# SQLite's result codes (sqlite3 errors carry them as sqlite_errorname) and PostgreSQL's SQLSTATEs.
_READ_ONLY_CODES = {"SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "25006"}
# SQLite reports a write refused for want of space as FULL, but as IOERR_WRITE when a quota or a file size
# limit refused it.
_FULL_CODES = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "53100"}


def storage_error(err: BaseException, where: str) -> StoreError | None:
    """A StoreError naming `where` and what to do when `err` says the storage is read-only or full; else None."""
    kind = _kind(err)
    if kind == "read-only":
        return StoreError(f"ScopeKeeper cannot write its state at {where}: it is read-only for this user; make it "
                          "writable (or set state_url to a place this user can write) and start ScopeKeeper again")
    if kind == "full":
        return StoreError(f"ScopeKeeper cannot write its state at {where}: the disk is full (or over its quota); "
                          "free some space there and start ScopeKeeper again")
    return None


def _kind(err: BaseException) -> str | None:
    if isinstance(err, OSError) and err.errno is not None:
        return "read-only" if err.errno in _READ_ONLY_ERRNOS else "full" if err.errno in _FULL_ERRNOS else None
    orig = getattr(err, "orig", None) or err  # SQLAlchemy wraps the driver's exception
    code = getattr(orig, "sqlite_errorname", None) or getattr(orig, "sqlstate", None) or ""
    code = "SQLITE_READONLY" if code.startswith("SQLITE_READONLY") else code  # SQLITE_READONLY_DIRECTORY...
    return "read-only" if code in _READ_ONLY_CODES else "full" if code in _FULL_CODES else None
