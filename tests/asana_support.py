"""Fixtures for the Asana tests: a fresh sandbox served on loopback, the real adapter, a fake clock."""
from __future__ import annotations

import pytest

from integrations.asana.adapter import AsanaAdapter
from integrations.sandbox.asana import SANDBOX_TOKEN, AsanaSandbox


class FakeTime:
    """A monotonic clock that moves only when `sleep` is called; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def sandbox() -> AsanaSandbox:
    return AsanaSandbox()


@pytest.fixture
def server(sandbox):
    with sandbox.serve() as srv:
        yield srv


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def connect(server, fake_time):
    """Build adapters on the sandbox (fake time, short timeout); closes them after the test."""
    made: list[AsanaAdapter] = []

    def make(token: str = SANDBOX_TOKEN, **options) -> AsanaAdapter:
        options = {"host": server.host, "sleep": fake_time.sleep, "clock": fake_time.clock, "timeout": 2.0, **options}
        made.append(AsanaAdapter(token, **options))
        return made[-1]

    yield make
    for adapter in made:
        adapter.close()


@pytest.fixture
def adapter(connect) -> AsanaAdapter:
    return connect()
