"""The one fake clock of the tests."""
from __future__ import annotations

from datetime import UTC, datetime


class FakeClock:
    """Time that moves only when something sleeps: call it for the time in seconds; `sleep` records every pause."""

    def __init__(self, start: datetime = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)) -> None:
        self.now = start.timestamp()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
