"""The web app on the demo's four sample clients, over the Trello and Asana sandboxes, on a loopback port."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
import tomlkit

from integrations.sandbox.asana import SANDBOX_TOKEN as ASANA_TOKEN
from integrations.sandbox.asana import AsanaSandbox
from integrations.sandbox.trello import SANDBOX_KEY, TrelloSandbox
from integrations.sandbox.trello import SANDBOX_TOKEN as TRELLO_TOKEN
from scheduler.config.models import load_config
from scheduler.demo.data import sample_boards, weeks_to_last_week
from scheduler.store import open_store
from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW
from scheduler.testing_hooks import ASANA_URL_ENV, TRELLO_URL_ENV
from scheduler.web.server import WebServer, web_context
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "scheduler" / "demo" / "config.toml"
BRIGHT_PATH_BOARD = "5f0c1a2b3c4d5e6f7a8b9c0d"

# New cards, as clients write them, each for one behaviour of the web app (en, fr, es, pl).
NEW_CARDS = {
    "double": ("Bright Path Coaching", "Can u also set up our Teachable course?? 🙏",
               "the online course for the spring launch — *not urgent* but soon-ish"),
    "edit": ("Atelier Lumière", "Stratégie de contenu pour 2027 ?",
             "On aimerait un **plan de contenu** complet pour l'an prochain, merci !"),
    "reject": ("Studio Jogi Lotos", "Strategia treści na nowy rok",
               "Potrzebujemy planu treści na 2027 — bez pośpiechu 🙂"),
}
# On Estudio Sol's Asana project: approved for the next scan, not posted at once.
LATER_TASK = ("¿Nos ayudas con la estrategia de Instagram para 2027?",
              "Queremos una estrategia completa, ¡nada urgente! Gracias 😊")


@dataclass
class WebWorld:
    """Everything a web test touches: the sandboxes, the config file, the store and the running app."""

    folder: Path
    config_path: Path
    trello: TrelloSandbox
    asana: AsanaSandbox
    store: object
    server: WebServer
    cards: dict[str, str]   # NEW_CARDS key -> Trello card id

    @property
    def url(self) -> str:
        return self.server.url

    def login_url(self) -> str:
        return self.server.login_url()

    def session(self) -> requests.Session:
        """A signed-in HTTP session that sends what a browser sends with its same-origin requests."""
        session = requests.Session()
        answer = session.get(self.login_url(), allow_redirects=False, timeout=10)
        assert answer.status_code == 303 and "sk_session" in session.cookies
        session.headers.update({"Origin": self.url, "Sec-Fetch-Site": "same-origin"})
        return session

    def queued(self, client: str | None = None):
        return Outbox(self.store).listed((PENDING_REVIEW,), client=client)

    def intent_for(self, key: str):
        card_id = self.cards[key]
        return next(i for i in Outbox(self.store).listed(("pending_review", "approved", "rejected", "sent"))
                    if i.card_id == card_id)

    def comments_on(self, card_id: str) -> list[str]:
        if card_id == self.cards.get("later"):
            return [s["text"] for s in self.asana.comments(card_id)]
        return [c["data"]["text"] for c in self.trello.comments_on(card_id)]


def _add_new_cards(trello: TrelloSandbox, config) -> dict[str, str]:
    boards = {c.name: next(b.id for b in c.boards if b.provider == "trello") for c in config.clients
              if any(b.provider == "trello" for b in c.boards)}
    made = {}
    for key, (client, title, description) in NEW_CARDS.items():
        made[key] = trello.add_card(boards[client], title, desc=description)["id"]
    return made


def _add_new_task(asana: AsanaSandbox, config) -> str:
    project = next(b.id for b in config.client("Estudio Sol").boards if b.provider == "asana")
    return asana.add_task(project, LATER_TASK[0], notes=LATER_TASK[1])["gid"]


@pytest.fixture(scope="module")
def web_world(tmp_path_factory) -> WebWorld:
    """The demo's clients scanned in review mode (their comments queued), and the web app serving them."""
    folder = tmp_path_factory.mktemp("web")
    document = tomlkit.parse(DEMO_CONFIG.read_text(encoding="utf-8"))
    document["scopekeeper"]["state_url"] = f"sqlite:///{folder / 'scopekeeper.db'}"
    config_path = folder / "scopekeeper.toml"
    config_path.write_text(tomlkit.dumps(document), encoding="utf-8")
    config = load_config(config_path)
    trello, asana = TrelloSandbox(), AsanaSandbox()
    for board in sample_boards(weeks_to_last_week(datetime.now(UTC), ZoneInfo(config.scopekeeper.timezone))):
        (trello if "cards" in board else asana).load_export(board)
    cards = {**_add_new_cards(trello, config), "later": _add_new_task(asana, config)}
    with trello.serve() as trello_server, asana.serve() as asana_server, pytest.MonkeyPatch.context() as patch:
        for name, value in {"TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": TRELLO_TOKEN, "ASANA_TOKEN": ASANA_TOKEN,
                            TRELLO_URL_ENV: trello_server.url + "/1", ASANA_URL_ENV: asana_server.host}.items():
            patch.setenv(name, value)
        store = open_store(config.scopekeeper.state_url)
        adapters = Adapters(config)
        worker = Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda _: None)
        for client in config.clients:
            assert worker.scan(client) == "ok"
        server = WebServer(web_context(config_path, config, store, adapters), port=0).start()
        try:
            yield WebWorld(folder, config_path, trello, asana, store, server, cards)
        finally:
            server.stop()
            adapters.close()
            store.close()


def later(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)
