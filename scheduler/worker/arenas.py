"""glibc's malloc arenas limited to two: the worker's reading threads would otherwise each keep their own."""
from __future__ import annotations

import ctypes
import ctypes.util
import logging

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
ARENAS = 2

log = logging.getLogger("scopekeeper.worker")


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the malloc arenas of this process at `arenas`; False where the C library has no such setting.

    glibc gives each thread that allocates at once with another an arena of its own (up to 8 per core), and
    a thread's freed memory stays in its arena: after several boards were read at once by several threads,
    the process kept about 10 MB more at 10,000 cards per board (benchmarks/worker_memory.py). Python's own
    small objects do not go through these arenas, and the threads mostly wait for the GIL, so two are enough.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl without mallopt): nothing to tune
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = bool(mallopt(M_ARENA_MAX, arenas))
    log.debug("malloc arenas limited to %d: %s", arenas, done)
    return done
