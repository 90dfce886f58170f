"""Connecting a board in the web app registers its webhook at once when there is a public address: the
sandbox then delivers the board's changes to the app (no health job, no worker reload needed)."""
from __future__ import annotations

import pytest
import requests

from integrations.sandbox.trello import SANDBOX_SECRET
from scheduler.config.models import load_config
from scheduler.store import open_store
from scheduler.store.hooks import Hooks
from scheduler.web.server import WebServer, web_context
from scheduler.worker.adapters import Adapters
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, use_world_env


@pytest.fixture
def app(world, monkeypatch):
    """The web app on the world's store, with clients that have no board yet."""
    use_world_env(world, monkeypatch)
    monkeypatch.setenv("TRELLO_API_SECRET", SANDBOX_SECRET)
    path = world.config(mode="review", trello_boards=[], asana_boards=[])
    config = load_config(path)
    store = open_store(config.scopekeeper.state_url)
    adapters = Adapters(config)
    server = WebServer(web_context(path, config, store, adapters), port=0).start()
    try:
        yield server, path, store
    finally:
        server.stop()
        adapters.close()
        store.close()


def _signed_in(server: WebServer) -> requests.Session:
    session = requests.Session()
    assert session.get(server.login_url(), allow_redirects=False, timeout=10).status_code == 303
    session.headers.update({"Origin": server.url, "Sec-Fetch-Site": "same-origin"})
    return session


def _connect(session: requests.Session, server: WebServer, provider: str, client: str, board: str) -> None:
    answer = session.post(f"{server.url}/connect/boards", data={"provider": provider, "client": client,
                                                                "board": board}, allow_redirects=False, timeout=60)
    assert answer.status_code == 303 and answer.headers["location"] == "/connect?added=1", answer.text


def test_a_board_connected_in_the_web_app_gets_its_webhook_at_once(world, app):
    server, path, store = app
    session = _signed_in(server)
    _connect(session, server, "trello", TRELLO_CLIENT, world.trello_board)
    assert world.trello.webhooks == {} and Hooks(store).all() == []   # no public address: nothing registered

    path.write_text(path.read_text(encoding="utf-8").replace(
        "\n[[clients]]", f'\n[scopekeeper.web]\npublic_url = "{server.url}"\n\n[[clients]]', 1), encoding="utf-8")
    _connect(session, server, "asana", ASANA_CLIENT, world.asana_project)
    (asana_hook,) = world.asana.webhooks.values()
    (trello_hook,) = world.trello.webhooks.values()   # the board connected before the address was set, too
    assert asana_hook["target"].startswith(f"{server.url}/hooks/asana/")
    assert trello_hook["callbackURL"] == f"{server.url}/hooks/trello"
    registered = {h.provider: h for h in Hooks(store).all()}
    assert registered["asana"].secret == asana_hook["secret"] and registered["asana"].status == "active"
    assert registered["trello"].remote_id == trello_hook["id"]

    # Connecting again changes nothing and costs no request.
    before = len(world.trello.log)
    answer = session.post(f"{server.url}/connect/boards", data={"provider": "trello", "client": TRELLO_CLIENT,
                                                                "board": world.trello_board}, timeout=60)
    assert answer.status_code == 200 and len(world.trello.webhooks) == 1 and len(world.trello.log) == before

    # The boards' changes now reach the app's queue.
    world.trello.add_card(world.trello_board, "Czy da się zrobić **strategię** na 2027? 🙏")
    world.asana.add_task(world.asana_project, "Stratégie de contenu pour 2027 ? Pas urgent 😊")
    assert world.trello.deliver.wait_idle() and world.asana.deliver.wait_idle()
    assert {e.provider for e in Hooks(store).pending()} == {"trello", "asana"}
