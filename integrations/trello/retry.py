"""Bounded retries of one Trello call: backoff after passing failures, the limiter's wait after a 429."""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import TypeVar

from integrations.errors import RateLimited, Retriable

ATTEMPTS = 5          # tries of one call through passing failures (5xx, lost connections)
RATE_LIMITED = 5      # 429s one call may meet before the scan gives up on it
BACKOFF = 0.5
BACKOFF_CAP = 8.0

log = logging.getLogger("scopekeeper.trello")
T = TypeVar("T")


def retrying(call: Callable[[], T], *, sleep: Callable[[float], None], rng: random.Random) -> T:
    """`call()` until it answers; Retriable and RateLimited are retried a bounded number of times, others raise.

    Only errors that say nothing was done are retried: a write whose answer was lost comes as UnknownOutcome.
    """
    failures = refusals = 0
    while True:
        try:
            return call()
        except RateLimited as err:
            refusals += 1
            if refusals >= RATE_LIMITED:
                raise
            # No sleep here: the limiter holds the window, so the next request waits for its end.
            log.warning("%s (429 number %d of this call)", err, refusals)
        except Retriable as err:
            failures += 1
            if failures >= ATTEMPTS:
                raise
            pause = min(BACKOFF * 2 ** (failures - 1), BACKOFF_CAP) + rng.uniform(0.0, BACKOFF)
            log.warning("%s; trying again in %.1f s", err, pause)
            sleep(pause)
