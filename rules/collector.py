"""Hold the cyclic garbage collector off while a scan builds its findings, for a bounded time."""
from __future__ import annotations

import gc
import threading
import time
from collections.abc import Generator
from contextlib import contextmanager

# A scan keeps several objects per card alive until it ends: the collector's full passes, which walk the
# whole heap (the caller's cards included), came every few thousand cards and cost a fifth of a first scan.
# The scan itself makes no cycles, so holding the collector off frees nothing later; but other threads may.
# When scans overlap without a pause, as a worker's parallel boards can, the collector would never come
# back on: one full pass at least this often keeps their cycles from piling up.
MAX_PAUSE_SECONDS = 30.0

_lock = threading.Lock()
_scans = 0  # scans running now, in every thread
_resume = False  # whether the collector was on when the first of them began
_since = 0.0  # monotonic time of the last full pass, or of the pause's start


@contextmanager
def paused() -> Generator[None]:
    """Run the block with the collector off; it comes back as it was when no scan is left running."""
    global _scans, _resume, _since
    with _lock:
        if _scans == 0:
            _resume, _since = gc.isenabled(), time.monotonic()
            gc.disable()
        _scans += 1
    try:
        yield
    finally:
        overdue = False
        with _lock:
            _scans -= 1
            if _scans == 0 and _resume:
                gc.enable()
            elif _scans and _resume and time.monotonic() - _since > MAX_PAUSE_SECONDS:
                overdue, _since = True, time.monotonic()
        if overdue:
            gc.collect()
