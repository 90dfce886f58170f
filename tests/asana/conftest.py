"""Asana fixtures: a fresh sandbox served on loopback, the real adapter on the fake clock."""
from __future__ import annotations

import pytest

from integrations.asana.adapter import AsanaAdapter
from integrations.sandbox.asana import SANDBOX_TOKEN, AsanaSandbox
from tests.fakes import FakeClock


@pytest.fixture
def sandbox() -> AsanaSandbox:
    return AsanaSandbox()


@pytest.fixture
def server(sandbox):
    with sandbox.serve() as srv:
        yield srv


@pytest.fixture
def connect(server, clock: FakeClock):
    """Build adapters on the sandbox (fake clock, short timeout); closes them after the test."""
    made: list[AsanaAdapter] = []

    def make(token: str = SANDBOX_TOKEN, **options) -> AsanaAdapter:
        options = {"host": server.host, "sleep": clock.sleep, "clock": clock, "timeout": 2.0, **options}
        made.append(AsanaAdapter(token, **options))
        return made[-1]

    yield make
    for adapter in made:
        adapter.close()


@pytest.fixture
def adapter(connect) -> AsanaAdapter:
    return connect()
