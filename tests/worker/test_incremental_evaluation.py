"""Incremental evaluation gives what evaluating every card gives: one worker scanning months of a changing board
(it evaluates only the periods that can still change) against a fresh worker at every scan (a process's first
scan evaluates every card), each on its own state store, both reading the same Trello sandbox. Reports and
invoices, which load the cards of the periods they show, give the same files as from every stored card."""
from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from integrations.models import Card
from integrations.sandbox.server import LoopbackServer
from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox
from rules.evaluate import ClientRules
from rules.periods import period_of_day
from scheduler.config.models import load_config
from scheduler.reports.documents import client_documents
from scheduler.reports.invoices import period_invoice
from scheduler.reports.invoicing import billable_csv
from scheduler.reports.model import CLIENT, VA, client_report
from scheduler.reports.weeks import week_of
from scheduler.store import open_store
from scheduler.store.schema import CardRow, FindingRow, IntentRow, LedgerRow
from scheduler.testing_hooks import TRELLO_URL_ENV
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker

CONFIG = """
[scopekeeper]
state_url = "{state_url}"
mode = "review"

[connections.trello]
api_key_env = "TRELLO_API_KEY"
token_env = "{token_env}"

[[clients]]
name = "Bright Path"
language = "{language}"
timezone = "America/New_York"
boards = [{{ provider = "trello", id = "{board}" }}]

[clients.contract]
hours = {hours}
period = "{period}"
overage_rate = 40
currency = "EUR"
hours_field = "Hours"
consultation_url = "https://calendly.com/example/consultation"
{terms}
[[clients.contract.services]]
name = "Newsletter"
keywords = {newsletter}

[[clients.contract.services]]
name = "Social media"
keywords = {social}

[[clients.contract.out_of_scope]]
name = "Content strategy"
keywords = {strategy}
response = "consultation"
"""
# How the clients write, per language: typos, markdown, emoji, negations, their own promotions.
CARDS = {
    "en": {"newsletter": '["newsletter"]', "social": '["instagram"]', "strategy": '["strategy"]', "titles": (
        "Newsletter for the spring sale 🌸", "**URGENT** newsletter fix, pls", "Instagram posts: 20% off OUR candles",
        "content strategy for Q1?", "Could you do the newsletter cheaper this time", "newsleter typo in footer",
        "Not urgent at all: instagram bio", "misc")},
    "fr": {"newsletter": '["newsletter", "infolettre"]', "social": '["instagram"]', "strategy": '["stratégie"]', "titles": (
        "Infolettre de printemps 🌷", "Newsletter : corriger le lien, c'est pas du tout urgent",
        "Publications Instagram — soldes -20 % sur nos bougies", "Une stratégie de contenu pour 2027 ?",
        "Pouvez-vous faire la newsletter moins cher ?", "infoletre : faute dans le pied de page", "divers")},
    "es": {"newsletter": '["boletín", "newsletter"]', "social": '["instagram"]', "strategy": '["estrategia"]', "titles": (
        "Boletín de primavera 🌼", "Newsletter: arreglar enlace, no es nada urgente",
        "Publicaciones de Instagram - 20% de descuento en nuestras velas", "¿Estrategia de contenidos para 2027?",
        "¿Podrías hacer el boletín más barato?", "boletin: errata en el pie", "varios")},
    "pl": {"newsletter": '["newsletter", "biuletyn"]', "social": '["instagram"]', "strategy": '["strategia"]', "titles": (
        "Newsletter wiosenny 🌷", "Biuletyn: popraw link, to nie jest pilne", "Posty na Instagram - 20% taniej na nasze świece",
        "Strategia treści na 2027?", "Czy newsletter może być taniej?", "newsleter: literówka w stopce", "różne")},
}
TERMS = {
    "none": "",
    "unused": 'rollover = "unused"\nrollover_cap_hours = 4\nrollover_expires_after = 2\n',
    "both": 'rollover = "both"\ngrace_hours = 0.5\nbilling_increment_minutes = 15\n',
}
SCANS = 28
START = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)


def _history(store) -> dict:
    """What a scan leaves that must not depend on how it evaluated: ledger, comments, cards, findings."""
    with store.reading() as session:
        ledger = sorted((r.period_key, r.period_start, r.period_end, r.contracted, r.used, r.extra, r.extra_amount)
                        for r in session.scalars(select(LedgerRow)))
        intents = sorted((r.card_id, r.kind, r.period_key, r.status, r.text, r.reference)
                         for r in session.scalars(select(IntentRow)))
        cards = sorted((r.card_id, r.hours, r.period_key, r.gone_at, r.first_day, r.last_day)
                       for r in session.scalars(select(CardRow)))
        findings: dict[str, list[tuple]] = {}
        for r in session.scalars(select(FindingRow).order_by(FindingRow.id)):
            row = (r.period_key, r.verdict, r.service, r.category, r.response, tuple(r.flags), r.hours,
                   r.extra_hours, r.extra_amount)
            rows = findings.setdefault(r.card_id, [])
            # A new year adds the year to every older period's wording: evaluating every card records such a
            # change of wording alone again (same columns); the incremental worker leaves closed periods alone.
            if not rows or rows[-1] != row:
                rows.append(row)
    return {"ledger": ledger, "intents": intents, "cards": cards, "findings": findings}


@pytest.mark.parametrize(("seed", "language", "period", "terms"), [
    (1, "en", "month", "none"), (2, "fr", "month", "unused"), (3, "es", "week", "both"), (4, "en", "week", "unused"),
    (5, "pl", "month", "both"),
])
def test_incremental_scans_record_what_evaluating_every_card_records(tmp_path: Path, monkeypatch, seed: int,
                                                                       language: str, period: str, terms: str) -> None:
    rng = random.Random(seed)
    now = [START]
    tokens = {"TOKEN_INCREMENTAL": uuid.uuid4().hex, "TOKEN_FULL": uuid.uuid4().hex}  # a request budget each
    sandbox = TrelloSandbox(clock=lambda: now[0].timestamp(), enforce_limits=False, tokens=tokens.values())
    board = sandbox.add_board("Bright Path", number_fields=["Hours"])
    titles = CARDS[language]["titles"]
    live: list[str] = []
    with LoopbackServer(sandbox.handle) as server:
        monkeypatch.setenv("TRELLO_API_KEY", SANDBOX_KEY)
        monkeypatch.setenv(TRELLO_URL_ENV, server.url + "/1")
        for name, token in tokens.items():
            monkeypatch.setenv(name, token)

        def config(name: str, token_env: str):
            path = tmp_path / f"{name}.toml"
            path.write_text(CONFIG.format(state_url=f"sqlite:///{tmp_path / name}.db", token_env=token_env,
                                          language=language, board=board, period=period, terms=TERMS[terms],
                                          hours=2 if period == "week" else 4,
                                          **{k: v for k, v in CARDS[language].items() if k != "titles"}),
                            encoding="utf-8")
            return load_config(path)

        incremental, full = config("incremental", "TOKEN_INCREMENTAL"), config("full", "TOKEN_FULL")
        opened = []

        def worker(cfg) -> Worker:
            store, adapters = open_store(cfg.scopekeeper.state_url), Adapters(cfg)
            opened.append((store, adapters))
            return Worker(cfg, store, adapters, mode=cfg.scopekeeper.mode, stop=threading.Event(),
                          show=lambda text: None, clock=lambda: now[0])

        steady = worker(incremental)
        billed = 0
        long_running = sandbox.add_card(board, titles[0], desc="Every week, until we say stop 🙂")["id"]
        logged = [sandbox.add_comment(long_running, "plus! 1/1")["id"]]
        try:
            for step in range(SCANS):
                now[0] += timedelta(hours=rng.choice((1, 7, 30, 80, 200, 500)))
                # A new card every time: a scan whose boards did not change evaluates nothing, whatever the path.
                _change(sandbox, board, live, titles, rng, now[0], add=True)
                for _ in range(rng.randint(0, 2)):
                    _change(sandbox, board, live, titles, rng, now[0])
                if long_running and rng.random() < 0.6:  # a card kept open for months: time logged again and again
                    logged.append(sandbox.add_comment(long_running, f"plus! {rng.choice(('', '-2d ', '-9d ', '-35d '))}1/1")["id"])
                elif long_running and rng.random() < 0.2:  # renamed: its scope, so its hours in every period, may change
                    sandbox.update_card(long_running, name=rng.choice(titles))
                elif long_running and rng.random() < 0.2:  # time logged weeks ago corrected
                    sandbox.edit_comment(rng.choice(logged), f"plus! {rng.choice((0.5, 3))}/3")
                elif long_running and step > SCANS * 2 // 3 and rng.random() < 0.3:
                    sandbox.delete_card(long_running)  # it leaves the board; its hours still count
                    long_running = None
                steady.scan(steady.config.clients[0])
                fresh = worker(full)  # a new process: its first scan evaluates every card
                fresh.scan(fresh.config.clients[0])
                if step % 7 == 6 or step == SCANS - 1:
                    assert _history(steady.store) == _history(fresh.store), f"scan {step + 1}"
                    billed += _assert_reports_alike(steady.config, steady.store, now[0])
            final = _history(steady.store)
        finally:
            for store, adapters in opened:
                adapters.close()
                store.close()
    # The walk did what it is for: several periods, gone cards, hours beyond the contract, comments planned.
    assert len(final["ledger"]) >= 3
    assert any(card[3] is not None for card in final["cards"])
    assert any(row[5] > 0 for row in final["ledger"])
    assert final["intents"]
    assert billed  # the reports compared bill hours beyond the contract
    spans = [(last - first).days for _, _, _, _, first, last in final["cards"] if first and last]
    assert max(spans) > (40 if period == "week" else 70)  # a card with time logged across several periods


class _EveryCard:
    """The store's cards, ledger and comments, all of them whatever a report asks: what reports read before."""

    def __init__(self, store) -> None:
        self.store = store

    def cards(self, client_name: str, since: date | None = None) -> list[Card]:
        return self.store.cards(client_name)

    def has_cards(self, client_name: str) -> bool:
        return bool(self.store.cards(client_name))

    def comment_statuses(self, client_name: str, periods: Collection[str] | None = None) -> dict[str, str]:
        return self.store.comment_statuses(client_name)

    def hours_used(self, client_name: str) -> dict[str, Decimal]:
        return self.store.hours_used(client_name)


def _assert_reports_alike(config, store, now: datetime) -> int:
    """Every week's report (the VA's and the client's) and every period's invoice since the walk began: the same
    bytes from the cards of the periods shown as from every card. Returns how many invoice lines they billed."""
    client = config.clients[0]
    tz = ZoneInfo(client.timezone)
    day, billed = START.astimezone(tz).date(), 0
    while day <= now.astimezone(tz).date():
        week = week_of(day)
        for audience in (VA, CLIENT):
            files = [client_documents(client_report(config, client, source, week, now, audience=audience),
                                      ["html", "markdown", "csv"], "bright-path").files for source in
                     (store, _EveryCard(store))]
            assert files[0] == files[1], f"{week.key} {audience}"
        period = period_of_day(day, client.contract.period)
        invoices = [period_invoice(client, source, period, now) for source in (store, _EveryCard(store))]
        assert billable_csv(invoices[:1], client.language) == billable_csv(invoices[1:], client.language), period.key
        billed += len(invoices[0].billable)
        day += timedelta(days=7)
    return billed


def _change(sandbox: TrelloSandbox, board: str, live: list[str], titles, rng: random.Random, now: datetime,
            add: bool = False) -> None:
    """One thing the client or the VA does on the board."""
    what = rng.random()
    if add or what < 0.3 or not live:
        card = sandbox.add_card(board, rng.choice(titles), desc=rng.choice(("", "Details below.\n\n- one\n- two")))
        live.append(card["id"])
        if rng.random() < 0.6:
            sandbox.set_number(card["id"], "Hours", rng.choice((0.5, 1, 2, 3.5, 5)))
    elif what < 0.6:  # time logged, sometimes for days back across a period's start
        back = rng.choice(("", "-3d ", "-12d ", "-40d "))
        sandbox.add_comment(rng.choice(live), f"plus! {back}{rng.choice((1, 1.5, 2))}/2")
    elif what < 0.75:  # hours corrected on any card, old ones too
        sandbox.set_number(rng.choice(live), "Hours", rng.choice((0, 1, 2.5, 4)))
    elif what < 0.85:
        sandbox.move_due(rng.choice(live), now + timedelta(days=rng.randint(1, 9)))
    else:  # archived, deleted or moved away: the card leaves the board
        sandbox.delete_card(live.pop(rng.randrange(len(live))))


def test_a_card_with_time_logged_for_months_no_longer_brings_back_every_card_since_it_began(tmp_path: Path,
                                                                                             monkeypatch) -> None:
    """Its parts in the periods that cannot change stand for it there: a scan evaluates the open periods' cards
    and it, not every card since the month it was created; a correction to time logged months ago reopens that
    month (and those after it, whole) for one scan, and its hours there are counted again."""
    now = [datetime(2026, 9, 1, 9, 0, tzinfo=UTC)]
    sandbox = TrelloSandbox(clock=lambda: now[0].timestamp(), enforce_limits=False)
    board = sandbox.add_board("Bright Path", number_fields=["Hours"])
    titles = CARDS["pl"]["titles"]
    evaluated: list[int] = []
    evaluate = ClientRules.evaluate

    def counting(self, cards, *args, **kwargs):  # the rules run as ever; the test learns how many cards they got
        cards = list(cards)
        evaluated.append(len(cards))
        return evaluate(self, cards, *args, **kwargs)

    monkeypatch.setattr(ClientRules, "evaluate", counting)
    with LoopbackServer(sandbox.handle) as server:
        monkeypatch.setenv("TRELLO_API_KEY", SANDBOX_KEY)
        monkeypatch.setenv("TRELLO_TOKEN", SANDBOX_TOKEN)
        monkeypatch.setenv(TRELLO_URL_ENV, server.url + "/1")
        path = tmp_path / "scopekeeper.toml"
        path.write_text(CONFIG.format(state_url=f"sqlite:///{tmp_path / 'state.db'}", token_env="TRELLO_TOKEN",
                                      language="pl", board=board, period="month", terms=TERMS["unused"], hours=4,
                                      **{k: v for k, v in CARDS["pl"].items() if k != "titles"}), encoding="utf-8")
        config = load_config(path)
        store, adapters = open_store(config.scopekeeper.state_url), Adapters(config)
        worker = Worker(config, store, adapters, mode=config.scopekeeper.mode, stop=threading.Event(),
                        show=lambda text: None, clock=lambda: now[0])
        ongoing = sandbox.add_card(board, "Newsletter co tydzień – aż do odwołania 🙂", desc="**Stałe zlecenie**")["id"]
        first_log = sandbox.add_comment(ongoing, "plus! 1/1")["id"]
        made: list[str] = []
        try:
            for day in range(100):  # a card a day, each gone two days later; time logged on the ongoing one daily
                now[0] += timedelta(days=1)
                made.append(sandbox.add_card(board, titles[day % len(titles)], desc="Szczegóły w załączniku.")["id"])
                sandbox.set_number(made[-1], "Hours", 0.5)
                if len(made) > 2:
                    sandbox.delete_card(made.pop(0))
                sandbox.add_comment(ongoing, "plus! 0.5/0.5")
                worker.scan(config.clients[0])
            with store.reading() as session:
                stored = session.scalar(select(func.count()).select_from(CardRow))
                parts = session.scalar(select(CardRow.parts).where(CardRow.card_id == ongoing))
                september = session.scalar(select(LedgerRow.used).where(LedgerRow.period_key == "2026-09"))
            # December's scans: the month's cards, the days its previous month may still change, and the ongoing card.
            assert stored == 101 and max(evaluated[-5:]) <= 12, evaluated[-5:]
            assert [key for key, *_ in parts][:4] == ["2026-09", "2026-10", "2026-11", "2026-12"]
            now[0] += timedelta(hours=1)
            sandbox.edit_comment(first_log, "plus! 3/3")  # September's first entry corrected in December
            worker.scan(config.clients[0])
            with store.reading() as session:
                corrected = session.scalar(select(LedgerRow.used).where(LedgerRow.period_key == "2026-09"))
            now[0] += timedelta(hours=1)
            sandbox.add_comment(ongoing, "plus! 0.5/0.5")
            worker.scan(config.clients[0])
        finally:
            adapters.close()
            store.close()
    assert corrected == september + 2  # September reopened: 3 h instead of 1 (and every month since, whole)
    assert evaluated[-2] == stored and evaluated[-1] <= 12  # the next scan is back to December's cards
