"""Reaction latency: how long a client's new card waits for ScopeKeeper's comment (queued for review), by
webhook and by polling, on the sandboxes with 10 clients on one Trello token; and what polling costs.

Cards are created at random moments; the time is measured from the card's creation to its comment in the
outbox. The worker runs its real schedule (build_scheduler) with the configuration's defaults: poll_every
30s and scan_every 15m for polling; webhooks delivered by the sandbox to the real /hooks/trello route.

    .venv/bin/python benchmarks/reaction_latency.py                    # 20 cards per mode over 3 minutes
    .venv/bin/python benchmarks/reaction_latency.py --cards 8 --window 60

Last line: webhook_p95_s=… poll_p95_s=… requests_per_token_per_hour=…
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_SECRET, SANDBOX_TOKEN, TrelloSandbox
from scheduler.config.models import parse_config
from scheduler.store import open_store
from scheduler.store.scans import client_statuses
from scheduler.testing_hooks import TRELLO_URL_ENV
from scheduler.worker.adapters import Adapters
from scheduler.worker.hooks import sync_webhooks
from scheduler.worker.job import Worker
from scheduler.worker.schedule import build_scheduler

CLIENTS = 10
REQUESTS = ("Could you put together a content strategy for next quarter?",
            "Pourriez-vous préparer une stratégie de contenu ? 🙏",
            "¿Nos haces una estrategia de contenidos para enero?",
            "Czy przygotujesz strategię treści na styczeń?")


def config_text(state_url: str, boards: list[str]) -> str:
    text = f'[scopekeeper]\nstate_url = "{state_url}"\nmode = "review"\n'  # scan_every, poll_every: defaults
    for number, board in enumerate(boards, 1):
        text += (f'\n[[clients]]\nname = "Client {number:02d}"\nboards = [{{ provider = "trello", id = "{board}" }}]\n'
                 '[clients.contract]\nhours = 20\nperiod = "month"\noverage_rate = 40\ncurrency = "EUR"\n'
                 'consultation_url = "https://calendly.com/example/consultation"\n'
                 '[[clients.contract.services]]\nname = "Newsletter"\nkeywords = ["newsletter"]\n'
                 '[[clients.contract.out_of_scope]]\nname = "Strategy"\n'
                 'keywords = ["strategy", "stratégie", "estrategia", "strategia"]\nresponse = "consultation"\n')
    return text


def measure(mode: str, cards: int, window: float, seed: int) -> tuple[list[float], float]:
    """Latencies (s) of `cards` cards created at random moments over `window` s; requests per token per hour."""
    sandbox = TrelloSandbox()
    rng = random.Random(seed)
    with sandbox.serve() as server, tempfile.TemporaryDirectory() as folder:
        os.environ.update({"TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": SANDBOX_TOKEN,
                           "TRELLO_API_SECRET": SANDBOX_SECRET, TRELLO_URL_ENV: server.url + "/1"})
        boards = [sandbox.add_board(f"Client {n:02d}") for n in range(1, CLIENTS + 1)]
        config = parse_config(config_text(f"sqlite:///{folder}/state.db", boards))
        store = open_store(config.scopekeeper.state_url)
        adapters = Adapters(config)
        worker = Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda _: None)
        web = _serve_hooks(config, store) if mode == "webhook" else None
        try:
            if web is not None:
                sync_webhooks(worker, web.url)
            scheduler = build_scheduler(config, worker, webhooks=web is not None)
            scheduler.start()
            while len(client_statuses(store)) < CLIENTS:
                time.sleep(0.2)
            start_requests, started = len(sandbox.log), time.monotonic()
            created: dict[str, float] = {}
            seen: dict[str, float] = {}
            watcher = threading.Thread(target=_watch, args=(store, created, seen, cards, started + window + 180))
            watcher.start()  # watching while the cards come, so each is timed when its comment lands
            moments = sorted(rng.uniform(0, window) for _ in range(cards))
            for moment in moments:
                time.sleep(max(0.0, started + moment - time.monotonic()))
                card = sandbox.add_card(rng.choice(boards), rng.choice(REQUESTS))
                created[card["id"]] = time.monotonic()
            watcher.join()
            elapsed = time.monotonic() - started
            scheduler.shutdown(wait=True)
            per_hour = (len(sandbox.log) - start_requests) / elapsed * 3600
        finally:
            worker.stop.set()
            if web is not None:
                web.stop()
            adapters.close()
            store.close()
    return [seen[card] - created[card] for card in created if card in seen], per_hour


def _watch(store, created: dict[str, float], seen: dict[str, float], cards: int, deadline: float) -> None:
    """Note when each created card's comment appears in the outbox (checked ten times a second)."""
    from scheduler.store.outbox import Outbox
    from scheduler.store.schema import PENDING_REVIEW

    outbox = Outbox(store)
    while len(seen) < cards and time.monotonic() < deadline:
        for intent in outbox.listed((PENDING_REVIEW,)):
            if intent.card_id in created and intent.card_id not in seen:
                seen[intent.card_id] = time.monotonic()
        time.sleep(0.1)


def _serve_hooks(config, store):
    from scheduler.web.hooks import HookServer

    return HookServer(config, store).start()


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20, help="cards per mode")
    parser.add_argument("--window", type=float, default=180.0, help="seconds over which they are created")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    results = {}
    for mode in ("webhook", "poll"):
        latencies, per_hour = measure(mode, args.cards, args.window, args.seed)
        results[mode] = (latencies, per_hour)
        print(f"{mode}: {len(latencies)}/{args.cards} comments queued; median {statistics.median(latencies):.1f} s, "
              f"p95 {p95(latencies):.1f} s, max {max(latencies):.1f} s; {per_hour:.0f} requests per token per hour",
              flush=True)
    print(f"webhook_p95_s={p95(results['webhook'][0]):.1f} poll_p95_s={p95(results['poll'][0]):.1f} "
          f"requests_per_token_per_hour={results['poll'][1]:.0f}")


if __name__ == "__main__":
    main()
