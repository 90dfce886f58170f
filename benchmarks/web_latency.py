"""The web app's latency on a Monday morning: 15 clients, 60 comments waiting, page loads and the VA's actions.

Run: .venv/bin/python benchmarks/web_latency.py [--clients 15] [--comments 60] [--cards 40] [--rounds 20]
The clients' Trello boards live in the sandbox on loopback; the worker scans them once in review mode (that
queues the comments), then the web app serves them on a loopback port and a signed-in HTTP session, sending
what a browser sends, loads the pages and approves (posting to the sandbox at once), rejects, undoes and
previews comments. Printed: p50 / p95 / max per kind and overall p95 against the 150 ms target.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

import requests  # noqa: E402

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox  # noqa: E402
from scheduler.config.models import load_config  # noqa: E402
from scheduler.store import open_store  # noqa: E402
from scheduler.store.outbox import Outbox  # noqa: E402
from scheduler.store.schema import PENDING_REVIEW  # noqa: E402
from scheduler.testing_hooks import TRELLO_URL_ENV  # noqa: E402
from scheduler.web.server import WebServer, web_context  # noqa: E402
from scheduler.worker.adapters import Adapters  # noqa: E402
from scheduler.worker.job import Worker  # noqa: E402

TARGET_MS = 150
HEADER = """[scopekeeper]
state_url = "sqlite:///{db}"
timezone = "Europe/Warsaw"
max_comments_per_run = 1000
"""
CLIENT = """
[[clients]]
name = "Client {n:02d}"
language = "{language}"
timezone = "Europe/Warsaw"
boards = [{{ provider = "trello", id = "{board}" }}]

[clients.contract]
hours = 100
overage_rate = 45
currency = "EUR"
consultation_url = "https://calendly.com/example/consultation"
business_hours = {{ days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start = "00:00", end = "23:59" }}

[[clients.contract.services]]
name = "Newsletter"
keywords = ["newsletter", "{newsletter}"]

[[clients.contract.out_of_scope]]
name = "Strategy"
keywords = ["{strategy}"]
"""
WORDS = {"en": ("newsletter", "strategy", "Write the newsletter [1h]", "Plan our content strategy for spring"),
         "fr": ("lettre", "stratégie", "Rédiger la newsletter [1h]", "Une stratégie de contenu pour le printemps ?"),
         "es": ("boletín", "estrategia", "Preparar el boletín [1h]", "¿Nos haces la estrategia de contenidos?"),
         "pl": ("biuletyn", "strategia", "Napisz newsletter [1h]", "Strategia treści na wiosnę — pilne!")}


def build(folder: Path, clients: int, comments: int, cards: int, trello: TrelloSandbox) -> Path:
    """Boards with in-scope cards and, spread over the clients, `comments` out-of-scope requests."""
    text = HEADER.format(db=folder / "state.db")
    languages = list(WORDS)
    for n in range(clients):
        language = languages[n % len(languages)]
        newsletter, strategy, routine, request = WORDS[language]
        board = trello.add_board(f"Client {n:02d}")
        asks = comments // clients + (1 if n < comments % clients else 0)
        for i in range(cards):
            trello.add_card(board, f"{routine} #{i}", desc="Jak co tydzień / as every week.")
        for i in range(asks):
            trello.add_card(board, f"{request} ({i + 1})", desc="Zobacz / see / voir / ver: la idea del cliente.")
        text += CLIENT.format(n=n, language=language, board=board, newsletter=newsletter, strategy=strategy)
    path = folder / "scopekeeper.toml"
    path.write_text(text, encoding="utf-8")
    return path


def timed(timings: dict[str, list[float]], kind: str, call) -> requests.Response:
    began = time.perf_counter()
    answer = call()
    timings.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
    if answer.status_code >= 400:
        raise SystemExit(f"{kind}: HTTP {answer.status_code}: {answer.text[:200]}")
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=15)
    parser.add_argument("--comments", type=int, default=60)
    parser.add_argument("--cards", type=int, default=40, help="in-scope cards per client besides the requests")
    parser.add_argument("--rounds", type=int, default=20, help="loads of each page")
    args = parser.parse_args()
    trello = TrelloSandbox(enforce_limits=False)
    with tempfile.TemporaryDirectory(prefix="sk-web-bench-") as temporary, trello.serve() as server:
        folder = Path(temporary)
        os.environ.update({"TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": SANDBOX_TOKEN,
                           TRELLO_URL_ENV: server.url + "/1"})
        config_path = build(folder, args.clients, args.comments, args.cards, trello)
        config = load_config(config_path)
        store = open_store(config.scopekeeper.state_url)
        adapters = Adapters(config)
        worker = Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda _: None)
        for client in config.clients:
            worker.scan(client)
        queued = Outbox(store).listed((PENDING_REVIEW,))
        print(f"{len(config.clients)} clients, {len(queued)} comments waiting, "
              f"{len(config.clients) * args.cards + len(queued)} cards")
        with WebServer(web_context(config_path, config, store, adapters), port=0) as web:
            session = requests.Session()
            session.get(web.login_url(), timeout=30)
            session.headers.update({"Origin": web.url, "Sec-Fetch-Site": "same-origin", "HX-Request": "true"})
            timings: dict[str, list[float]] = {}
            pages = {"inbox": "/", "clients": "/clients", "status": "/status", "connect": "/connect",
                     "contract": "/clients/Client%2000/contract"}
            for _ in range(2):  # warm-up: templates compiled, rules memoised
                for path in pages.values():
                    session.get(web.url + path, timeout=30)
            for _ in range(args.rounds):
                for kind, path in pages.items():
                    timed(timings, f"page {kind}", lambda p=path: session.get(web.url + p, timeout=30))
            for index, intent in enumerate(queued):
                base = f"{web.url}/comments/{intent.id}"
                if index % 3 == 0:
                    timed(timings, "action approve+post", lambda b=base: session.post(b + "/approve",
                                                                                     data={"when": "now"}, timeout=30))
                elif index % 3 == 1:
                    timed(timings, "action reject", lambda b=base: session.post(b + "/reject", timeout=30))
                    timed(timings, "action undo", lambda b=base: session.post(b + "/undo", timeout=30))
                else:
                    timed(timings, "action edit form", lambda b=base: session.get(b + "/edit", timeout=30))
                    timed(timings, "action preview", lambda b=base: session.post(
                        b + "/preview", data={"text": "Merci ! / Thanks! / ¡Gracias! / Dzięki!"}, timeout=30))
        store.close()
        adapters.close()
    every = [ms for values in timings.values() for ms in values]
    print(f"{'what':<22} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        print(f"{kind:<22} {len(values):>4} {statistics.median(values):>8.1f} {_p95(values):>8.1f} {max(values):>8.1f}")
    overall = _p95(every)
    print(f"overall p95 {overall:.1f} ms over {len(every)} requests (target < {TARGET_MS} ms): "
          f"{'met' if overall < TARGET_MS else 'NOT met'}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
