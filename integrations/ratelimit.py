"""Client-side request budgets: sliding windows over an injectable clock."""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindow:
    """At most `limit` acquisitions in any `window` seconds; `acquire` sleeps until one is free."""

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit, self.window = limit, window
        self._clock, self._sleep = clock, sleep
        self._stamps: deque[float] = deque()
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

    def _delay_locked(self, now: float) -> float:
        while self._stamps and self._stamps[0] <= now - self.window:
            self._stamps.popleft()
        if len(self._stamps) < self.limit:
            return 0.0
        return self._stamps[0] + self.window - now
