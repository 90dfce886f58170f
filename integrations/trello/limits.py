"""Trello's request budgets, client side: 100 per 10 s per token, 300 per 10 s per key, shared with other programs."""
from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping

from integrations.hostwindow import HostWindow, budgets_dir
from integrations.ratelimit import SlidingWindow

WINDOW = 10.0
TOKEN_LIMIT = 100
KEY_LIMIT = 300
MAX_JITTER = 1.0
# Our windows run this much longer than Trello's: a request stamped here when sent reaches Trello a little
# later, and the two clocks must not disagree at a window's edge (a 429 costs a retry and a pause).
MARGIN = 0.25
MAX_MARGIN = 1.5  # how far 429s that only a late arrival explains may lengthen the host's window

log = logging.getLogger("scopekeeper.trello")

# Windows are shared by every adapter that uses the same secret and the same clock: two adapters of one key
# must not spend 300 requests each. Keyed by a digest, so the registry never holds a secret.
_windows: dict[tuple[str, object, object], SlidingWindow] = {}
_windows_lock = threading.Lock()


def _digest(kind: str, secret: str) -> str:
    return hashlib.sha256(f"trello-{kind}\x1f{secret}".encode()).hexdigest()


def _shared_window(kind: str, secret: str, limit: int, clock: Callable[[], float],
                   sleep: Callable[[float], None]) -> SlidingWindow:
    digest = _digest(kind, secret)
    with _windows_lock:
        window = _windows.get((digest, clock, sleep))
        if window is None:
            window = _windows[(digest, clock, sleep)] = SlidingWindow(limit, WINDOW + MARGIN, clock=clock, sleep=sleep)
        return window


class TrelloLimits:
    """The token's and the key's windows, following Trello's own counters, and the host's window of the key."""

    def __init__(self, api_key: str, token: str, *, clock: Callable[[], float], sleep: Callable[[float], None],
                 rng: random.Random, service: str = "") -> None:
        self.token = _shared_window("token", token, TOKEN_LIMIT, clock, sleep)
        self.key = _shared_window("key", api_key, KEY_LIMIT, clock, sleep)
        self._clock, self._sleep, self._rng = clock, sleep, rng
        # The other processes of this host on the same key and service (a fleet of workers) take their slots from
        # one file: their bursts never meet in 429s. Only on the host's clock: a test's fake time is its own.
        folder = budgets_dir() if clock is time.monotonic else None
        self.host = None if folder is None else HostWindow(
            folder / f"trello-key-{_digest('key', api_key + chr(31) + service)[:32]}", KEY_LIMIT, WINDOW + MARGIN, clock)

    def acquire(self) -> float:
        """Wait until both windows (and the host's, if any) have room, then take a slot in each; returns the time
        the request was stamped, for `answered`."""
        # Waiting on one window and then the other would stamp the first too early and undercount it.
        while True:
            wait = max(self.token.delay(), self.key.delay())
            if wait <= 0 and self.host is not None:
                wait = self._host_wait(self.host)
            if wait <= 0:
                break
            self._sleep(wait)
        self.token.acquire()
        self.key.acquire()
        return self._clock()

    def _host_wait(self, host: HostWindow) -> float:
        """The host's window: 0 with its slot taken, else the wait; a file that cannot be used is given up on."""
        try:
            return host.take()
        except OSError as err:  # a full disk or a folder not ours: the process's own windows and Trello's counters
            log.warning("the request budget shared by this computer's workers cannot be used (%s: %s); this worker "
                        "paces itself alone", host.path, err.strerror or err)
            self.host = None
            return 0.0

    def answered(self, headers: Mapping[str, str], sent_at: float) -> None:
        """Follow Trello's counters in an answer: other processes may spend the same token or key."""
        for name, window in (("token", self.token), ("key", self.key)):
            remaining = _count(headers.get(f"x-rate-limit-api-{name}-remaining"))
            if remaining is None:
                continue
            if window is self.key and self.host is not None:
                continue  # this host's processes are in the host's window, with their true times; others' 429s tell
            window.counted((_count(headers.get(f"x-rate-limit-api-{name}-max")) or window.limit) - remaining,
                           sent_at)

    def rate_limited(self, error: str, retry_after: float | None) -> float:
        """After a 429 naming `error`: that window is full until its oldest request ages out (others' counted from
        now), or for Retry-After, plus jitter; returns the pause."""
        window = self.key if error == "API_KEY_LIMIT_EXCEEDED" else self.token
        if window is self.key and self.host is not None:
            self._key_refused(self.host)
        else:
            window.counted(window.limit, self._clock())
        # Every adapter sharing the window waits too: a refusing Trello hears from this process again only
        # when the window has room, never a stream of retries, so far from the 200 429s per window that block a key.
        pause = max(retry_after or 0.0, window.delay()) + self._rng.uniform(0.0, MAX_JITTER)
        if window.delay() < pause:
            window.block_until(self._clock() + pause)
        return pause

    def _key_refused(self, host: HostWindow) -> None:
        """The key's 429 with the host's window in use: the host's processes are all counted there with their
        true times, so only the rest of the key's limit is others' (another host, another program), not this
        process's share of the host's. A 429 the host's count explains is our stamps and Trello's clock
        disagreeing at the window's edge (a request slow to arrive): the host's window grows a little longer."""
        try:
            ours = host.count()
        except OSError:
            ours = 0
        self.key.counted(self.key.limit, self._clock(), ours=ours)
        host.window = min(host.window + MARGIN, WINDOW + MAX_MARGIN)


def _count(value: str | None) -> int | None:
    try:
        return max(int(value), 0) if value else None
    except ValueError:
        return None
