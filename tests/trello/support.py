"""Trello test helpers: adapters on the fake clock, the design's example boards, the sandbox's request log."""
from __future__ import annotations

import json
import random
from pathlib import Path

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox
from integrations.trello.adapter import TrelloAdapter
from tests.fakes import FakeClock

LANGUAGES = ("en", "fr", "pl")


def make_adapter(clock: FakeClock, key: str = SANDBOX_KEY, token: str = SANDBOX_TOKEN, **options) -> TrelloAdapter:
    """An adapter on the fake clock: waits cost no real time."""
    return TrelloAdapter(key, token, clock=clock, sleep=clock.sleep, rng=random.Random(7), **options)


def fixture_export(shared_dir: Path, language: str) -> Path:
    return shared_dir / "fixtures" / f"{language}_trello_export.json"


def load_fixture(sandbox: TrelloSandbox, shared_dir: Path, language: str) -> str:
    """Seed the sandbox with one of the design's example boards; returns the board id."""
    return sandbox.load_export(json.loads(fixture_export(shared_dir, language).read_text(encoding="utf-8")))


def requests_of(sandbox: TrelloSandbox, method: str, path_end: str = "") -> list[dict]:
    """The sandbox's log entries of `method` whose path ends with `path_end`."""
    return [e for e in sandbox.log if e["method"] == method and e["path"].endswith(path_end)]
