"""Trello fixtures: the sandbox on the fake clock behind `responses`, an adapter wired to both."""
from __future__ import annotations

import pytest
import responses

from integrations.sandbox.trello import TrelloSandbox
from integrations.trello.adapter import TrelloAdapter
from tests.fakes import FakeClock
from tests.trello.support import make_adapter


@pytest.fixture
def sandbox(clock: FakeClock) -> TrelloSandbox:
    return TrelloSandbox(clock=clock)


@pytest.fixture
def api(sandbox: TrelloSandbox):
    """The sandbox answers every request to api.trello.com made through requests during the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        sandbox.install(mock)
        yield mock


@pytest.fixture
def adapter(clock: FakeClock, api) -> TrelloAdapter:
    return make_adapter(clock)
