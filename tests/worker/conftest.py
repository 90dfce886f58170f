"""Worker and store fixtures: a state store on SQLite and on PostgreSQL, both sandboxes seeded on loopback,
Workers built in this process."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from integrations.sandbox.asana import AsanaSandbox
from integrations.sandbox.trello import TrelloSandbox
from scheduler.testing_hooks import ASANA_URL_ENV, TRELLO_URL_ENV
from tests.worker.support import BACKENDS, World, postgres_schema, seed


@pytest.fixture(params=[pytest.param(b, marks=pytest.mark.slow) if b == "postgresql" else b for b in BACKENDS])
def backend(request) -> str:
    return request.param


@pytest.fixture
def state_url(backend: str, tmp_path: Path):
    """A fresh, empty state store: a SQLite file, or a PostgreSQL schema of its own (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    yield from postgres_schema()


@pytest.fixture
def world(state_url: str, tmp_path: Path):
    trello, asana = TrelloSandbox(), AsanaSandbox()
    with trello.serve() as trello_server, asana.serve() as asana_server:
        w = World(trello, asana, trello_server.url + "/1", asana_server.host, state_url, tmp_path)
        seed(w)
        yield w


@pytest.fixture
def make_worker(world: World, monkeypatch: pytest.MonkeyPatch):
    """Build a Worker in this process, on the world's sandboxes and state store (closed after the test)."""
    from scheduler.config.models import load_config
    from scheduler.store import open_store
    from scheduler.worker.adapters import Adapters
    from scheduler.worker.job import Worker

    made = []
    for name in ("TRELLO_API_KEY", "TRELLO_TOKEN", "ASANA_TOKEN", TRELLO_URL_ENV, ASANA_URL_ENV):
        monkeypatch.setenv(name, world.env()[name])

    def make(**config_options) -> Worker:
        config = load_config(world.config(**config_options))
        store = open_store(config.scopekeeper.state_url)
        adapters = Adapters(config)
        made.append((store, adapters))
        return Worker(config, store, adapters, mode=config.scopekeeper.mode, stop=threading.Event(),
                      show=lambda text: None)

    yield make
    for store, adapters in made:
        adapters.close()
        store.close()
