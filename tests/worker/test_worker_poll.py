"""Fast polling: the cheap change check every poll_every, one request per Trello token for all its clients,
scans only for the clients whose boards changed; the full scan stays every scan_every."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from integrations.sandbox.trello import TrelloSandbox
from scheduler.config.errors import ConfigError
from scheduler.config.models import parse_config
from scheduler.store import Store, open_store
from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker
from scheduler.worker.schedule import build_scheduler, poll_interval
from tests.worker.support import CLIENT, SETTINGS, Background, World, use_world_env, wait_until

# Four clients on one Trello token, writing as clients do.
CLIENTS = (("Harbor Lane Bakery", "en"), ("Maison Pivoine", "fr"), ("Café Tortuga", "es"), ("Zielony Ogród", "pl"))
NEW_CARDS = {
    "Harbor Lane Bakery": "Can u put together a **content strategy** for Q1?? 🙏",
    "Maison Pivoine": "Pourriez-vous préparer une stratégie de contenu pour janvier ? Merci !",
    "Café Tortuga": "¿Nos haces la estrategia de contenidos del trimestre? 😊",
    "Zielony Ogród": "Czy możesz przygotować strategię treści na styczeń? Dzięki!",
}
STRATEGY = {"en": "strategy", "fr": "stratégie", "es": "estrategia", "pl": "strategia"}


def poll_config(world: World, boards: dict[str, str], *, poll: str = "30s", every: str = "15m",
                provider: str = "trello") -> str:
    text = SETTINGS.format(state_url=world.state_url, mode="review", every=every, budget=30)
    text += f'poll_every = "{poll}"\n'
    for name, language in CLIENTS:
        block = CLIENT.format(name=name, zone="UTC", boards=f'{{ provider = "{provider}", id = "{boards[name]}" }}',
                              hours=10, rate=45, currency="USD")
        text += block.replace('language = "en"', f'language = "{language}"').replace(
            'keywords = ["strategy"]', f'keywords = ["{STRATEGY[language]}"]')
    path = world.tmp / f"poll-{provider}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def four(world: World, monkeypatch: pytest.MonkeyPatch):
    """Four clients' boards on the world's Trello token, each with one card already."""
    use_world_env(world, monkeypatch)
    boards = {name: world.trello.add_board(name) for name, _ in CLIENTS}
    for name, board in boards.items():
        world.trello.add_card(board, f"Newsletter — {name}")
    return boards


def _activity_requests(sandbox: TrelloSandbox, since: int) -> int:
    return sum(1 for entry in sandbox.log[since:] if entry["path"] == "/1/members/me/boards")


@contextmanager
def scanned(world: World, boards: dict[str, str], provider: str = "trello") -> Iterator[tuple[Worker, Store]]:
    """A review-mode worker on the four clients' boards, each client scanned once."""
    from scheduler.config.models import load_config

    config = load_config(poll_config(world, boards, provider=provider))
    store = open_store(config.scopekeeper.state_url)
    adapters = Adapters(config)
    try:
        worker = Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda _: None)
        for client in config.clients:
            assert worker.scan(client) == "ok"
        yield worker, store
    finally:
        adapters.close()
        store.close()


def test_a_poll_makes_one_request_per_token_and_scans_only_the_client_whose_board_changed(world, four):
    with scanned(world, four) as (worker, store):
        config = worker.config
        start = len(world.trello.log)
        assert worker.poll(config.clients, object()) == {}               # nothing changed: nothing scanned
        assert _activity_requests(world.trello, start) == 1
        assert len(world.trello.log) - start == 1                         # and not a single other request

        for name in ("Maison Pivoine", "Zielony Ogród"):
            world.trello.add_card(four[name], NEW_CARDS[name])
        start = len(world.trello.log)
        assert worker.poll(config.clients, object()) == {"Maison Pivoine": "ok", "Zielony Ogród": "ok"}
        assert _activity_requests(world.trello, start) == 1               # the scans reused the poll's answer
        queued = Outbox(store).listed((PENDING_REVIEW,))
        assert sorted((i.client, i.kind) for i in queued) == [("Maison Pivoine", "consultation"),
                                                              ("Zielony Ogród", "consultation")]
        assert "stratégie" in next(i.card_title for i in queued if i.client == "Maison Pivoine")


def test_the_poll_job_runs_every_poll_every_and_slowly_with_webhooks_never_in_a_dry_run(world, four, tmp_path):
    config = parse_config(Path(poll_config(world, four)).read_text(encoding="utf-8"))
    assert config.scopekeeper.poll_every == timedelta(seconds=30)
    assert poll_interval(config) == 30 and poll_interval(config, webhooks=True) == 300
    store = open_store(config.scopekeeper.state_url)
    try:
        for mode, webhooks, expected in (("review", False, 30), ("auto", True, 300), ("dry-run", False, None)):
            worker = Worker(config, store, Adapters(config), mode=mode, stop=threading.Event())
            scheduler = build_scheduler(config, worker, webhooks=webhooks)
            scheduler.start(paused=True)
            poll = scheduler.get_job("poll")
            scheduler.shutdown(wait=False)
            if expected is None:
                assert poll is None
            else:
                assert poll.trigger.interval == timedelta(seconds=expected) and poll.max_instances == 1
    finally:
        store.close()


@pytest.mark.parametrize("poll, problem", [("5s", "between 10s and scan_every"),
                                           ("20m", "between 10s and scan_every"),
                                           ("soon", "poll_every")])
def test_poll_every_is_checked(poll, problem):
    text = SETTINGS.format(state_url="sqlite:///x.db", mode="review", every="15m", budget=30)
    text += f'poll_every = "{poll}"\n' + CLIENT.format(name="A", zone="UTC", boards="", hours=1, rate=1,
                                                        currency="USD")
    with pytest.raises(ConfigError) as error:
        parse_config(text, "sk.toml")
    assert problem in str(error.value) and "sk.toml" in str(error.value)


@pytest.mark.slow  # a real `scopekeeper run` process
def test_the_running_worker_answers_a_new_card_within_the_poll_not_the_scan_interval(world, four):
    path = poll_config(world, four, poll="10s", every="15m")
    worker = Background(world, path)
    try:
        for name, _ in CLIENTS:
            worker.wait_for("scan_done", client=name, timeout=60)
        card = world.trello.add_card(four["Café Tortuga"], NEW_CARDS["Café Tortuga"])
        store = open_store(world.state_url)
        try:
            wait_until(lambda: any(i.card_id == card["id"] for i in Outbox(store).listed((PENDING_REVIEW,))),
                       timeout=40, what="the new card's comment queued by the poll (scan_every is 15m)")
        finally:
            store.close()
    finally:
        assert worker.signal() == 0
