"""glibc's malloc arenas limited to one: the worker's reading threads would otherwise each keep their own."""
from __future__ import annotations

import ctypes
import logging

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
ARENAS = 1

log = logging.getLogger("scopekeeper.worker")


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the malloc arenas of this process at `arenas`; False where the C library has no such setting.

    glibc gives each thread that allocates at once with another an arena of its own (up to 8 per core), and
    a thread's freed memory stays in its arena: after several boards were read at once by several threads,
    the process kept 5-10 MB more at 10,000 cards per board (benchmarks/worker_memory.py: 211/214 MB with two
    arenas, 204/204 MB with one, same CPU). Python's small objects do not go through these arenas, and the
    threads take turns holding the GIL anyway, so one is enough.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on (no ldconfig subprocess)
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl without mallopt): nothing to tune
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = bool(mallopt(M_ARENA_MAX, arenas))
    log.debug("malloc arenas limited to %d: %s", arenas, done)
    return done
