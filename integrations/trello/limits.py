"""Trello's request budgets, client side: 100 per 10 s per token, 300 per 10 s per key, shared in the process."""
from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Mapping

from integrations.ratelimit import SlidingWindow

WINDOW = 10.0
TOKEN_LIMIT = 100
KEY_LIMIT = 300
MAX_JITTER = 1.0
# Our windows run this much longer than Trello's: a request stamped here when sent reaches Trello a little
# later, and the two clocks must not disagree at a window's edge (one 429 costs a whole window).
MARGIN = 0.25

# Windows are shared by every adapter that uses the same secret and the same clock: two adapters of one key
# must not spend 300 requests each. Keyed by a digest, so the registry never holds a secret.
_windows: dict[tuple[str, object, object], SlidingWindow] = {}
_windows_lock = threading.Lock()


def _shared_window(kind: str, secret: str, limit: int, clock: Callable[[], float],
                   sleep: Callable[[float], None]) -> SlidingWindow:
    digest = hashlib.sha256(f"trello-{kind}\x1f{secret}".encode()).hexdigest()
    with _windows_lock:
        window = _windows.get((digest, clock, sleep))
        if window is None:
            window = _windows[(digest, clock, sleep)] = SlidingWindow(limit, WINDOW + MARGIN, clock=clock, sleep=sleep)
        return window


class TrelloLimits:
    """The token's and the key's windows; waits before each request, and after a 429 for the window's end."""

    def __init__(self, api_key: str, token: str, *, clock: Callable[[], float], sleep: Callable[[float], None],
                 rng: random.Random) -> None:
        self.token = _shared_window("token", token, TOKEN_LIMIT, clock, sleep)
        self.key = _shared_window("key", api_key, KEY_LIMIT, clock, sleep)
        self._clock, self._sleep, self._rng = clock, sleep, rng

    def acquire(self) -> None:
        """Wait until both windows have room, then take a slot in each."""
        # Waiting on one window and then the other would stamp the first too early and undercount it.
        while (wait := max(self.token.delay(), self.key.delay())) > 0:
            self._sleep(wait)
        self.token.acquire()
        self.key.acquire()

    def rate_limited(self, error: str, retry_after: float | None) -> float:
        """After a 429 naming `error`: hold that limit until its window has ended, plus jitter; returns the pause."""
        window = self.key if error == "API_KEY_LIMIT_EXCEEDED" else self.token
        # Every adapter sharing the window waits too: a refusing Trello hears from this process again only
        # after a whole window, never a stream of retries, so far from the 200 429s per window that block a key.
        return self._hold(window, max(retry_after or 0.0, WINDOW))

    def observe(self, headers: Mapping[str, str]) -> None:
        """Follow Trello's own counters: another process may spend the same token or key."""
        for name, window in (("token", self.token), ("key", self.key)):
            # When our own window is full too, it already knows when the next slot frees; holding a whole
            # interval from now would idle up to a second per window. A counter ahead of ours means
            # spending we cannot see, whose timing is unknown: then wait the whole interval.
            if headers.get(f"x-rate-limit-api-{name}-remaining") == "0" and window.delay() <= 0:
                self._hold(window, _seconds(headers.get(f"x-rate-limit-api-{name}-interval-ms")))

    def _hold(self, window: SlidingWindow, seconds: float) -> float:
        pause = seconds + self._rng.uniform(0.0, MAX_JITTER)
        if window.delay() < pause:  # never shorten a longer hold already in place
            window.block_until(self._clock() + pause)
        return pause


def _seconds(milliseconds: str | None) -> float:
    try:
        return max(float(milliseconds or "") / 1000.0, 0.0)
    except ValueError:
        return WINDOW
