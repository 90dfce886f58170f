"""Trello test fixtures: a fake clock, the sandbox behind `responses`, adapters wired to both."""
from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
import responses

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox
from integrations.trello.adapter import TrelloAdapter

LANGUAGES = ("en", "fr", "pl")


class FakeClock:
    """Time that moves only when something sleeps; callable as a clock, `sleep` records every pause."""

    def __init__(self, start: datetime = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)) -> None:
        self.now = start.timestamp()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> TrelloSandbox:
    return TrelloSandbox(clock=clock)


@pytest.fixture
def api(sandbox: TrelloSandbox):
    """The sandbox answers every request to api.trello.com made through requests during the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        sandbox.install(mock)
        yield mock


def make_adapter(clock: FakeClock, key: str = SANDBOX_KEY, token: str = SANDBOX_TOKEN, **options) -> TrelloAdapter:
    """An adapter on the fake clock: waits cost no real time."""
    return TrelloAdapter(key, token, clock=clock, sleep=clock.sleep, rng=random.Random(7), **options)


@pytest.fixture
def adapter(clock: FakeClock, api) -> TrelloAdapter:
    return make_adapter(clock)


def fixture_export(shared_dir: Path, language: str) -> Path:
    return shared_dir / "fixtures" / f"{language}_trello_export.json"


def load_fixture(sandbox: TrelloSandbox, shared_dir: Path, language: str) -> str:
    """Seed the sandbox with one of the design's example boards; returns the board id."""
    return sandbox.load_export(json.loads(fixture_export(shared_dir, language).read_text(encoding="utf-8")))


def requests_of(sandbox: TrelloSandbox, method: str, path_end: str = "") -> list[dict]:
    """The sandbox's log entries of `method` whose path ends with `path_end`."""
    return [e for e in sandbox.log if e["method"] == method and e["path"].endswith(path_end)]
