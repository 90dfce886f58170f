"""The web app's evaluation against history: the inbox and the clients page of a client with 10, 100 and 600 weeks
of stored cards.

Run: .venv/bin/python benchmarks/web_history.py [--weeks 10,100,600] [--cards-per-week 20] [--long-running 1]
     [--repeat 5]
The weekly client of benchmarks/report_history.py (rollover "unused": the ledger carries earlier weeks' hours), its
cards up to now, on a SQLite state store as the worker leaves it: every card with its days, the ledger, the cards
of the weeks before this one gone from the board, their comments posted, this week's waiting for review and three
comments of earlier weeks waiting too. Printed per history length: the CPU of building the inbox and the clients
page with no evaluation kept from before (median of `--repeat` runs), and how many cards were evaluated.
Compare two versions by running this script in each checkout, alternately.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from benchmarks.report_history import BOARD, CONFIG, history  # noqa: E402
from integrations.models import Card  # noqa: E402
from integrations.reference import make_reference  # noqa: E402
from rules.periods import period_of  # noqa: E402
from scheduler.config.models import load_config, rules_for  # noqa: E402
from scheduler.records.state import NewIntent, ScanWrite  # noqa: E402
from scheduler.records.status import OutboxStatus  # noqa: E402
from scheduler.store import open_store  # noqa: E402
from scheduler.store.scans import save_scan  # noqa: E402
from scheduler.web.inbox import build_inbox  # noqa: E402
from scheduler.web.pages_clients import summaries  # noqa: E402
from scheduler.web.server import web_context  # noqa: E402
from scheduler.worker.plan import ledger  # noqa: E402

EARLIER_WAITING = 3  # comments of earlier weeks still waiting for review


def stored(folder: Path, weeks: int, per_week: int, long_running: int, now: datetime):
    """The web app's context over a store as the worker leaves it after evaluating every card at `now`."""
    path = folder / f"{weeks}.toml"
    text = CONFIG.format(rollover='rollover = "unused"\nrollover_cap_hours = 4\n')
    path.write_text(text.replace('"sqlite://"', f'"sqlite:///{folder / f"{weeks}.db"}"'), encoding="utf-8")
    config = load_config(path)
    client = config.clients[0]
    rules = rules_for(client)
    cards = history(weeks, per_week, long_running, now)
    result = rules.evaluate(cards, now)
    this_week = period_of(now, client.contract.period, rules.tz).key
    store = open_store(config.scopekeeper.state_url)
    save_scan(store, ScanWrite(client.name, now, new_cards=[(card, card.id) for card in cards], ledger=ledger(result),
                               days={("trello", card.id): rules.days(card) for card in cards}))
    earlier = [f for f in result.findings if f.messages and f.period.key != this_week]
    last_of_week = {f.period.key: f.card_id for f in earlier}  # a comment of each of the last weeks still waits
    waiting = set(list(last_of_week.values())[-EARLIER_WAITING:])
    for status, chosen in ((OutboxStatus.SENT, [f for f in earlier if f.card_id not in waiting]),
                           (OutboxStatus.PENDING_REVIEW, [f for f in result.findings if f.messages
                                                          and (f.period.key == this_week or f.card_id in waiting)])):
        save_scan(store, ScanWrite(client.name, now, intent_status=status, intents=[
            NewIntent("trello", BOARD, f.card_id, kind, f.period.key,
                      make_reference("trello", f.card_id, kind, f.period.key), text, f.title, f.url)
            for f in chosen for kind, text in f.messages]))
    save_scan(store, ScanWrite(client.name, now, gone=[("trello", card.id) for card in cards if _before(card, rules, now)]))
    return web_context(path, config, store), cards


def _before(card: Card, rules, now: datetime) -> bool:
    """Whether the card was made before this week and has no time logged (archived since)."""
    current = period_of(now, rules.contract.period, rules.tz)
    return not card.time_entries and card.created_at.astimezone(rules.tz).date() < current.start


def measure(context, repeat: int) -> tuple[float, float, list[int]]:
    """Median CPU seconds of building the inbox and the clients page afresh, and the cards each evaluated."""
    client, evaluated = context.config.clients[0], []
    build_inbox(context)  # the rules warmed up, as in a running app
    times: list[list[float]] = [[], []]
    for _ in range(repeat):
        for build, spent in ((build_inbox, times[0]), (summaries, times[1])):
            context._evaluations.clear()  # what a changed board or an expired evaluation costs
            started = time.process_time()
            build(context)
            spent.append(time.process_time() - started)
            evaluated.append(len(context.evaluation(client)[0]))  # kept from the build just timed
    return statistics.median(times[0]), statistics.median(times[1]), evaluated[:2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default="10,100,600", help="history lengths, comma-separated")
    parser.add_argument("--cards-per-week", type=int, default=20)
    parser.add_argument("--long-running", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        for weeks in (int(w) for w in args.weeks.split(",")):
            context, cards = stored(Path(tmp), weeks, args.cards_per_week, args.long_running, now)
            try:
                inbox, page, (inbox_cards, page_cards) = measure(context, args.repeat)
            finally:
                context.store.close()
            print(f"{weeks:4d} weeks, {len(cards):6d} cards stored: inbox {inbox * 1000:7.1f} ms CPU, "
                  f"clients page {page * 1000:7.1f} ms CPU; cards evaluated: {inbox_cards} and {page_cards}")


if __name__ == "__main__":
    main()
