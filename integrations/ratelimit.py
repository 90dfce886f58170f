"""Client-side request budgets: sliding windows over an injectable clock."""
from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindow:
    """At most `limit` acquisitions in any `window` seconds; `acquire` sleeps until one is free.

    Other programs may spend the same budget: `counted` takes the service's own count and keeps the excess over
    ours as others' requests, so this window waits for them too.
    """

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit, self.window = limit, window
        self._clock, self._sleep = clock, sleep
        self._stamps: deque[float] = deque()
        self._others: deque[float] = deque()  # requests the service counted that were not ours
        self._lock = threading.Lock()

    def delay(self) -> float:
        """Seconds until the next acquisition would be allowed (0 when one is free now)."""
        with self._lock:
            return self._delay_locked(self._clock())

    def acquire(self) -> float:
        """Take one slot, sleeping as long as needed; returns the seconds slept."""
        slept = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._delay_locked(now)
                if wait <= 0:
                    self._stamps.append(now)
                    return slept
            self._sleep(wait)
            slept += wait

    def block_until(self, moment: float) -> None:
        """Treat the window as full until `moment` (after a 429 from the service)."""
        with self._lock:
            self._stamps.clear()
            self._stamps.extend([moment - self.window] * self.limit)

    def counted(self, used: int, sent_at: float, *, ours: int | None = None) -> None:
        """The service counts `used` requests in its window now; ours are those taken up to `sent_at` (the
        answered request's), or `ours` when another window knows better; the rest are others', stamped now: when
        they were sent is unknown, and stamping them earlier could send ours too soon."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            others = used - (sum(1 for stamp in self._stamps if stamp <= sent_at) if ours is None else ours)
            while len(self._others) > max(others, 0):
                self._others.popleft()  # the oldest of them have left the service's window
            self._others.extend([now] * (others - len(self._others)))

    def _expire(self, now: float) -> None:
        for stamps in (self._stamps, self._others):
            while stamps and stamps[0] <= now - self.window:
                stamps.popleft()

    def _delay_locked(self, now: float) -> float:
        self._expire(now)
        over = len(self._stamps) + len(self._others) - self.limit
        if over < 0:
            return 0.0
        # The window frees a slot when its (over + 1)-th oldest request, ours or others', ages out.
        oldest = next(itertools.islice(heapq.merge(self._stamps, self._others), over, None))
        return oldest + self.window - now
