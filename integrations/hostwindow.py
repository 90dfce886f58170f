"""A request budget's sliding window kept in a small file: every process of one host that spends the budget (a fleet
of workers on one API key) takes its slots from the same file, under a lock, so none bursts into the others'."""
from __future__ import annotations

import os
import sys
import tempfile
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # Windows: each process keeps its own window, and Trello's answers tell it about the others
    fcntl = None

BUDGETS_DIR_ENV = "SCOPEKEEPER_BUDGETS_DIR"
_T = TypeVar("_T")


def budgets_dir() -> Path | None:
    """Where this user's processes share their budgets: $SCOPEKEEPER_BUDGETS_DIR, else the per-user runtime folder
    ($XDG_RUNTIME_DIR), else a folder of the user's in the temporary folder; None where files cannot be locked."""
    if fcntl is None:
        return None
    chosen = os.environ.get(BUDGETS_DIR_ENV) or os.environ.get("XDG_RUNTIME_DIR")
    if chosen:
        return Path(chosen) / "scopekeeper"
    return Path(tempfile.gettempdir()) / f"scopekeeper-{os.getuid() if sys.platform != 'win32' else 0}"


class HostWindow:
    """At most `limit` slots in any `window` seconds across every process using the file at `path`.

    The clock must be one all processes share (time.monotonic is, on one host). The file holds only times.
    """

    def __init__(self, path: Path, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.path, self.limit, self.window, self._clock = path, limit, window, clock

    def count(self) -> int:
        """The slots taken in the window now, by every process."""
        return self._locked(lambda live, now: (len(live), False))

    def take(self) -> float:
        """Take a slot if one is free (returns 0), else the seconds until one frees (nothing taken)."""
        def decide(live: array, now: float) -> tuple[float, bool]:
            wait = 0.0 if len(live) < self.limit else sorted(live)[len(live) - self.limit] + self.window - now
            return max(wait, 0.0), wait <= 0
        return self._locked(decide)

    def _locked(self, decide: Callable[[array, float], tuple[_T, bool]]) -> _T:
        """`decide(live stamps, now)` -> (its answer, whether to take a slot now), under the file's lock."""
        assert fcntl is not None  # budgets_dir() gave no folder without it
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            stamps = array("d")
            data = os.pread(descriptor, self.limit * 2 * stamps.itemsize, 0)
            stamps.frombytes(data[:len(data) - len(data) % stamps.itemsize])
            now = self._clock()
            live = array("d", (s for s in stamps if now - self.window < s <= now))
            answer, take = decide(live, now)
            if take:
                live.append(now)
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, live.tobytes(), 0)
            return answer
        finally:
            os.close(descriptor)  # closing releases the lock
