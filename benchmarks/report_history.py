"""Report cost against history: a client's weekly report and invoice after 10, 100 and 600 weeks of stored cards.

Run: .venv/bin/python benchmarks/report_history.py [--weeks 10,100,600] [--cards-per-week 20] [--long-running N]
     [--out DIR]
One weekly client (with `--rollover unused`, the default, earlier periods' hours carry over) on a SQLite state store written as the
worker leaves it: every card with its days, the ledger of every week, a comment planned for each finding with
one. `--long-running N`: N cards with time logged every week since the first (a card kept open for years).
Printed per history length: the CPU of the last complete week's report (model and HTML, Markdown and CSV
documents) and of the last week's invoice, median of `--repeat` runs. With `--out`, the documents and invoice
CSVs are written there (one folder per history length), to compare two versions byte for byte (`diff -r`).
Compare two versions by running this script in each checkout, alternately.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from integrations.models import Card, TimeEntry  # noqa: E402
from integrations.reference import make_reference  # noqa: E402
from scheduler.config.models import parse_config, rules_for  # noqa: E402
from scheduler.records.state import NewIntent, ScanWrite  # noqa: E402
from scheduler.reports.documents import client_documents  # noqa: E402
from scheduler.reports.invoices import period_invoice  # noqa: E402
from scheduler.reports.invoicing import billable_csv  # noqa: E402
from scheduler.reports.model import client_report  # noqa: E402
from scheduler.reports.weeks import last_complete_week  # noqa: E402
from scheduler.store import open_store  # noqa: E402
from scheduler.store.scans import save_scan  # noqa: E402
from scheduler.worker.plan import ledger  # noqa: E402

CONFIG = """
[scopekeeper]
state_url = "sqlite://"
language = "fr"

[[clients]]
name = "Bright Path"
language = "fr"
timezone = "Europe/Paris"
boards = [{{ provider = "trello", id = "5f0c1a2b3c4d5e6f7a8b9c0d" }}]

[clients.contract]
hours = 6
period = "week"
overage_rate = 40
currency = "EUR"
hours_field = "Hours"
{rollover}consultation_url = "https://calendly.com/example/consultation"

[[clients.contract.services]]
name = "Newsletter"
keywords = ["newsletter", "infolettre"]

[[clients.contract.services]]
name = "Social media"
keywords = ["instagram"]

[[clients.contract.out_of_scope]]
name = "Content strategy"
keywords = ["stratégie"]
response = "consultation"
"""
TITLES = ("Infolettre de printemps 🌷 n°{n}", "**URGENT** newsletter : corriger le lien {n}",
          "Publications Instagram — soldes -20 % sur nos bougies ({n})", "Une stratégie de contenu pour 2027 ? {n}",
          "infoletre : faute dans le pied de page {n}", "divers {n}")
BOARD = "5f0c1a2b3c4d5e6f7a8b9c0d"
END = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday: the last complete week is the one before


def history(weeks: int, per_week: int, long_running: int, end: datetime = END) -> list[Card]:
    """`weeks` weeks of cards before `end`, a few with hours; long-running cards log time every week."""
    start, cards = end - timedelta(weeks=weeks), []
    for n in range(weeks * per_week):
        created = start + timedelta(minutes=n * 7 * 24 * 60 // per_week + 5)
        fields = {"Hours": (1, 2, 3.5, 0.5)[n // 2 % 4]} if n % 2 == 0 else {}
        cards.append(Card(id=f"c{n:06d}", title=TITLES[n % len(TITLES)].format(n=n), created_at=created,
                          board_id=BOARD, custom_fields=fields, url=f"https://trello.com/c/c{n:06d}"))
    for n in range(long_running):
        entries = tuple(TimeEntry(id=f"l{n}-{w}", source="plus", minutes=30, at=start + timedelta(weeks=w, days=1),
                                  text="plus! 0.5/0.5") for w in range(weeks))
        cards.append(Card(id=f"long{n}", title=f"Infolettre hebdomadaire {n}", created_at=start, board_id=BOARD,
                          time_entries=entries, url=f"https://trello.com/c/long{n}"))
    return cards


def stored(path: Path, config, cards: list[Card]):
    """A store as the worker leaves it after evaluating every card at END."""
    client = config.clients[0]
    rules = rules_for(client)
    result = rules.evaluate(cards, END)
    intents = [NewIntent("trello", BOARD, f.card_id, kind, f.period.key,
                         make_reference("trello", f.card_id, kind, f.period.key), text, f.title, f.url)
               for f in result.findings for kind, text in f.messages]
    store = open_store(f"sqlite:///{path}")
    save_scan(store, ScanWrite(client.name, END, new_cards=[(card, card.id) for card in cards], ledger=ledger(result),
                               intents=intents, days={("trello", card.id): rules.days(card) for card in cards}))
    return store


def measure(store, config, repeat: int, out: Path | None) -> tuple[float, float]:
    """Median CPU seconds of the week's report (model and documents) and of the last week's invoice."""
    client = config.clients[0]
    week = last_complete_week(END, ZoneInfo(config.scopekeeper.timezone))
    reports, invoices = [], []
    client_documents(client_report(config, client, store, week, END), ["html"], "warm-up")  # templates compiled
    for _ in range(repeat):
        started = time.process_time()
        report = client_report(config, client, store, week, END)
        documents = client_documents(report, ["html", "markdown", "csv"], "bright-path")
        reports.append(time.process_time() - started)
        started = time.process_time()
        invoice = period_invoice(client, store, report.previous_period, END)
        csv = billable_csv([invoice], client.language)
        invoices.append(time.process_time() - started)
    if out is not None:
        documents.write(out)
        (out / f"invoice-{invoice.period.key}.csv").write_bytes(csv)
    return statistics.median(reports), statistics.median(invoices)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default="10,100,600", help="history lengths, comma-separated")
    parser.add_argument("--cards-per-week", type=int, default=20)
    parser.add_argument("--long-running", type=int, default=0)
    parser.add_argument("--rollover", choices=("unused", "none"), default="unused")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    config = parse_config(CONFIG.format(rollover='rollover = "unused"\nrollover_cap_hours = 4\n'
                                        if args.rollover == "unused" else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for weeks in (int(w) for w in args.weeks.split(",")):
            cards = history(weeks, args.cards_per_week, args.long_running)
            store = stored(Path(tmp) / f"{weeks}.db", config, cards)
            try:
                out = args.out / f"{weeks}-weeks" if args.out else None
                report, invoice = measure(store, config, args.repeat, out)
            finally:
                store.close()
            print(f"{weeks:4d} weeks, {len(cards):6d} cards stored: report {report * 1000:7.1f} ms CPU, "
                  f"invoice {invoice * 1000:7.1f} ms CPU")


if __name__ == "__main__":
    main()
