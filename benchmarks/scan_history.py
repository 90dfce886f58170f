"""Per-scan CPU over months of scans of a slowly changing Trello board: does a scan's cost grow with history?

Run: .venv/bin/python benchmarks/scan_history.py [--scans 600] [--cards 200] [--hours-per-scan 4] [--state-url URL]
     [--long-running N]
One client, one board on the Trello sandbox (served on loopback), a state store on SQLite. Simulated time moves
`--hours-per-scan` between scans (600 scans x 4 h = 100 days, so contract periods end and new ones begin). Before
each scan the client adds a card (a third of them with hours, some out of scope) and deletes the oldest one, so
the board keeps its size while the store's history grows. Each scan is the worker's own `Worker.scan`.
`--long-running N`: N more cards stay on the board throughout and get time logged (a `plus!` comment) once a day,
as a card kept open for months does.

Printed: the worker's CPU per scan (process CPU minus the sandbox's own, measured around its answers) for the
first 50 scans and for 50 scans on the same days of a month as those, months later; their ratio (flat: within
0.9-1.1); the store's cards and findings rows; how much slower or faster a fixed piece of work ran in the later
sample than in the first (1.00 on a steady machine), and the ratio over that. A scan evaluates the cards of
the contract periods that can still change, so its cost grows through each month as the month's cards add up:
only samples at the same point of their months tell what history adds. The last 50 scans, 16 hours further
into their month at the default settings, are printed too.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from sqlalchemy import func, select  # noqa: E402

from integrations.sandbox.server import LoopbackServer  # noqa: E402
from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox  # noqa: E402
from scheduler.config.models import load_config  # noqa: E402
from scheduler.store import open_store  # noqa: E402
from scheduler.store.schema import CardRow, FindingRow  # noqa: E402
from scheduler.testing_hooks import TRELLO_URL_ENV  # noqa: E402
from scheduler.worker.adapters import Adapters  # noqa: E402
from scheduler.worker.job import Worker  # noqa: E402

CONFIG = """
[scopekeeper]
state_url = "{state_url}"
mode = "review"

[connections.trello]
api_key_env = "TRELLO_API_KEY"
token_env = "TRELLO_TOKEN"

[[clients]]
name = "Bright Path"
timezone = "Europe/Warsaw"
boards = [{{ provider = "trello", id = "{board}" }}]

[clients.contract]
hours = 20
period = "month"
overage_rate = 40
currency = "EUR"
hours_field = "Hours"
rollover = "unused"
consultation_url = "https://calendly.com/example/consultation"

[[clients.contract.services]]
name = "Newsletter"
keywords = ["newsletter"]

[[clients.contract.services]]
name = "Social media"
keywords = ["instagram"]

[[clients.contract.out_of_scope]]
name = "Content strategy"
keywords = ["strategy"]
response = "consultation"
"""
TITLES = ("Newsletter for the {n}th launch", "Instagram carousel #{n}", "Content strategy idea {n}",
          "Newsletter: typo fix {n}", "Misc {n}")
SAMPLE = 50
START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


class MeteredSandbox:
    """The sandbox's answers, with the CPU they cost (in the server's threads) added up."""

    def __init__(self, sandbox: TrelloSandbox) -> None:
        self.sandbox, self.cpu, self._lock = sandbox, 0.0, threading.Lock()

    def handle(self, *args):
        started = time.thread_time()
        try:
            return self.sandbox.handle(*args)
        finally:
            with self._lock:
                self.cpu += time.thread_time() - started


def main() -> None:
    options = _options()
    now = [START]
    sandbox = TrelloSandbox(clock=lambda: now[0].timestamp(), enforce_limits=False)
    board = sandbox.add_board("Bright Path", number_fields=["Hours"])
    serial = [0]

    def add_card() -> str:
        serial[0] += 1
        n = serial[0]
        card = sandbox.add_card(board, TITLES[n % len(TITLES)].format(n=n), desc=f"Details of request {n}.")
        if n % 3 == 0:
            sandbox.set_number(card["id"], "Hours", 1 + n % 4)
        return card["id"]

    long_running = [sandbox.add_card(board, f"Newsletter every week, ongoing {n}")["id"]
                    for n in range(options.long_running)]
    live = []
    for n in range(options.cards):  # a board with a history: cards added at the rate the scans will add them
        now[0] = START - timedelta(hours=options.hours_per_scan * (options.cards - n))
        live.append(add_card())
    now[0] = START
    metered = MeteredSandbox(sandbox)
    with tempfile.TemporaryDirectory() as folder, LoopbackServer(metered.handle) as server:
        state_url = options.state_url or f"sqlite:///{Path(folder) / 'scopekeeper.db'}"
        path = Path(folder) / "scopekeeper.toml"
        path.write_text(CONFIG.format(state_url=state_url, board=board), encoding="utf-8")
        os.environ.update({"TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": SANDBOX_TOKEN,
                           TRELLO_URL_ENV: server.url + "/1", "SCOPEKEEPER_LOG_LEVEL": "WARNING"})
        config = load_config(path)
        store, adapters = open_store(config.scopekeeper.state_url), Adapters(config)
        worker = Worker(config, store, adapters, mode=config.scopekeeper.mode, stop=threading.Event(),
                        show=lambda text: None, clock=lambda: now[0])
        client = config.clients[0]
        worker.scan(client)  # the first scan evaluates every card once: not what this measures
        costs, times, reference = [], [], []
        logged = now[0]
        for _ in range(options.scans):
            now[0] += timedelta(hours=options.hours_per_scan)
            live.append(add_card())
            sandbox.delete_card(live.pop(0))
            if now[0] - logged >= timedelta(days=1):
                logged = now[0]
                for card_id in long_running:
                    sandbox.add_comment(card_id, "plus! 0.5/0.5")
            sandbox.log.clear()  # the fake's request log would grow the heap the worker's garbage collector walks
            cpu, served = time.process_time(), metered.cpu
            worker.scan(client)
            costs.append((time.process_time() - cpu) - (metered.cpu - served))
            reference.append(_reference())
            times.append(now[0])
        with store.reading() as session:
            cards = session.scalar(select(func.count()).select_from(CardRow)) or 0
            findings = session.scalar(select(func.count()).select_from(FindingRow)) or 0
        adapters.close()
        store.close()
    _report(options, costs, times, cards, findings, reference)


def _same_days_later(times: list[datetime]) -> int:
    """Where the latest sample starts that falls on the same days of a later month as the first one (its scans
    at the same hours): the index of its first scan."""
    first, found = times[0], 0
    for months in range(1, 1000):
        month = first.month - 1 + months
        later = first.replace(year=first.year + month // 12, month=month % 12 + 1)
        index = next((i for i, moment in enumerate(times) if moment >= later), None)
        if index is None or index + SAMPLE > len(times):
            return found
        found = index
    return found


def _reference() -> float:
    """The CPU of the same fixed work each time (JSON, dicts, sorting, as a scan does): a machine that slows down
    during the run (another process on the other core, a busier host) slows it as much as the scans."""
    started = time.process_time()
    rows = [{"id": f"{n:024x}", "title": f"Newsletter nr {n}", "hours": n % 4} for n in range(1500)]
    sorted(json.loads(json.dumps(rows)), key=lambda row: (row["hours"], row["id"]))
    return time.process_time() - started


def _report(options, costs: list[float], times: list[datetime], cards: int, findings: int,
            reference: list[float]) -> None:
    aligned = _same_days_later(times)
    print(f"{options.scans} scans of a {options.cards}-card Trello board, {options.hours_per_scan} h apart "
          f"(to {times[-1]:%Y-%m-%d}); before each scan one card added and the oldest deleted; "
          f"{options.long_running} long-running card(s) with time logged daily")
    print(f"store at the end: {cards} cards ({cards - options.cards - options.long_running} of them gone), {findings} findings rows")
    samples = {"first": (0, "first"), "later": (aligned, "same days, later"), "last": (len(costs) - SAMPLE, "last")}
    medians = {}
    for label, (start, name) in samples.items():
        sample = costs[start:start + SAMPLE]
        medians[label] = statistics.median(sample)
        print(f"  {name} {SAMPLE} scans ({times[start]:%m-%d %H:%M} to {times[start + SAMPLE - 1]:%m-%d %H:%M}): "
              f"median {medians[label] * 1000:6.1f} ms CPU, mean {statistics.fmean(sample) * 1000:6.1f} ms")
    if aligned:
        print(f"  ratio, same days of the month (medians): {medians['later'] / medians['first']:.2f}  "
              "(target 0.90-1.10)")
    else:
        print("  too few scans for a sample on the same days of a later month")
    print(f"  ratio, last/first (medians): {medians['last'] / medians['first']:.2f}")
    if aligned:  # the scans' ratio is only as good as the machine's steadiness: say how steady it was
        drift = statistics.median(reference[aligned:aligned + SAMPLE]) / statistics.median(reference[:SAMPLE])
        print(f"  the machine: a fixed piece of work took {drift:.2f}x the CPU in the later sample as in the first; "
              f"the same-days ratio over it: {medians['later'] / medians['first'] / drift:.2f}")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scans", type=int, default=600)
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--hours-per-scan", type=float, default=4.0)
    parser.add_argument("--state-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--long-running", type=int, default=0)
    return parser.parse_args()


if __name__ == "__main__":
    main()
