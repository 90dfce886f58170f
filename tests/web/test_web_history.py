"""The inbox and the clients page of clients with half a year of history: they evaluate the periods they show, the
ledger standing for the earlier ones, and show exactly what an evaluation of every card ever stored gives."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from integrations.models import Card, TimeEntry
from integrations.reference import make_reference
from rules.findings import ScanResult
from rules.periods import period_of
from scheduler.config.models import load_config, rules_for
from scheduler.records.state import NewIntent, ScanWrite
from scheduler.records.status import OutboxStatus
from scheduler.store import open_store
from scheduler.store.outbox import Outbox
from scheduler.store.scans import save_scan
from scheduler.store.schema import PENDING_REVIEW, REJECTED
from scheduler.web.context import WebContext
from scheduler.web.inbox import build_inbox, queued_one
from scheduler.web.pages_clients import summaries
from scheduler.web.server import web_context
from scheduler.worker.plan import ledger

WEEKS = 26
BOARDS = {"en": "5f0c1a2b3c4d5e6f7a8b9c01", "fr": "5f0c1a2b3c4d5e6f7a8b9c02", "es": "5f0c1a2b3c4d5e6f7a8b9c03",
          "pl": "5f0c1a2b3c4d5e6f7a8b9c04"}
CONTRACT = """
[clients.contract]
hours = 6
period = "week"
overage_rate = 40
currency = "EUR"
hours_field = "Hours"
rollover = "unused"
rollover_expires_after = 12
rollover_cap_hours = 40
consultation_url = "https://calendly.com/example/rdv"

[[clients.contract.services]]
name = "{service}"
keywords = {service_words}

[[clients.contract.out_of_scope]]
name = "{outside}"
keywords = {outside_words}
response = "consultation"
"""
# Per language: the service, what is outside the plan, and cards as the clients write them (title, description):
# in the plan, outside it, matching nothing, a long-running one, one made this week for work logged before.
CLIENTS = {
    "en": ("Bright Path Coaching", "America/New_York", "Newsletter", ["newsletter", "mailchimp"],
           "Content strategy", ["strategy", "content plan"], [
               ("Newsletter #{n} – fix the header img 🙏", "the logo is blurry on mobile, can u swap it?"),
               ("Can we get a content **strategy** for Q{n}??", "not urgent!! but we need a plan for the launch"),
               ("misc {n}: the thing we talked about", "see call notes, thx"),
               ("mailchimp: weekly newsletter (ongoing)", "every week, same as always 😊"),
               ("Newsletter backlog from last month", "logged the hours already, just tracking it here"),
           ]),
    "fr": ("Atelier Lumière", "Europe/Paris", "Infolettre", ["infolettre", "newsletter"],
           "Stratégie de contenu", ["stratégie"], [
               ("Infolettre n°{n} : corriger le lien du pied de page", "le lien *désabonnement* ne marche pas 😅"),
               ("Une stratégie de contenu pour le trimestre {n} ?", "On aimerait un **plan** complet, merci !"),
               ("divers {n} – à voir ensemble", "cf. notre appel, pas de rush"),
               ("infolettre hebdo (en continu)", "comme d'habitude, chaque semaine"),
               ("Infolettre : rattrapage du mois dernier", "les heures sont déjà saisies, c'est pour le suivi"),
           ]),
    "es": ("Estudio Sol", "Europe/Madrid", "Redes sociales", ["instagram", "redes sociales"],
           "Estrategia", ["estrategia"], [
               ("Publicaciones de Instagram semana {n} 📸", "las fotos de la nueva colección, ¡gracias!"),
               ("¿Nos ayudas con la estrategia de marca {n}?", "Queremos una estrategia completa, nada urgente"),
               ("varios {n}: lo que hablamos", "ver notas de la llamada"),
               ("Instagram: publicaciones semanales (continuo)", "como siempre, cada semana 😊"),
               ("Instagram: atrasos del mes pasado", "ya registré las horas, es para el seguimiento"),
           ]),
    "pl": ("Studio Jogi Lotos", "Europe/Warsaw", "Newsletter", ["newsletter", "mailchimp"],
           "Strategia treści", ["strategia"], [
               ("Newsletter nr {n} – popraw nagłówek", "logo jest rozmazane na telefonie, dzięki 🙏"),
               ("Strategia treści na kwartał {n}?", "Potrzebujemy **planu** na nowy rok, bez pośpiechu"),
               ("różne {n}: to, o czym rozmawiałyśmy", "zob. notatki z rozmowy"),
               ("newsletter co tydzień (na bieżąco)", "jak zawsze, co tydzień"),
               ("Newsletter: zaległości z zeszłego miesiąca", "godziny już wpisane, to tylko do śledzenia"),
           ]),
}


@dataclass
class History:
    context: WebContext
    now: datetime
    cards: dict[str, list[Card]]          # client -> every card stored
    gone: dict[str, set[str]]             # client -> ids of cards gone from the board
    long_running: dict[str, str]          # client -> id of the card with time logged every week
    config_path: Path

    def fresh(self) -> WebContext:
        """A web app just started on the same store: it has evaluated nothing yet."""
        return web_context(self.config_path, self.context.config, self.context.store)

    def whole(self, client: str) -> ScanResult:
        """What evaluating every card the client ever had gives (the web app's evaluation before)."""
        rules = self.context.rules(self.context.config.client(client))
        return rules.evaluate(self.context.store.cards(client), datetime.now(UTC))


def _config(folder: Path, languages=tuple(CLIENTS)) -> Path:
    text = f'[scopekeeper]\nstate_url = "sqlite:///{folder / "state.db"}"\nlanguage = "en"\n'
    for language in languages:
        name, zone, service, service_words, outside, outside_words, _ = CLIENTS[language]
        text += (f'\n[[clients]]\nname = "{name}"\nlanguage = "{language}"\ntimezone = "{zone}"\n'
                 f'boards = [{{ provider = "trello", id = "{BOARDS[language]}" }}]\n')
        text += CONTRACT.format(service=service, service_words=str(service_words).replace("'", '"'),
                                outside=outside, outside_words=str(outside_words).replace("'", '"'))
    path = folder / "scopekeeper.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _cards(language: str, tz: ZoneInfo, now: datetime) -> tuple[list[Card], str]:
    """WEEKS weeks of cards (three a week, two with hours), a card logging time every week since the first, and this
    week's cards, one of them made for work logged the week before."""
    texts = CLIENTS[language][6]
    this_week = datetime.combine(period_of(now, "week", tz).start, time(0), tz)
    board = BOARDS[language]
    cards = []
    for back in range(WEEKS, 0, -1):
        monday = this_week - timedelta(weeks=back)
        for n in range(3):
            title, words = texts[n]
            fields = {"Hours": (3, 1.5)[n]} if n < 2 else {}
            card_id = f"{language}-w{back:02d}-{n}"
            cards.append(Card(id=card_id, title=title.format(n=back), created_at=monday + timedelta(days=n, hours=10),
                              board_id=board, description=words, custom_fields=fields,
                              url=f"https://trello.com/c/{card_id}"))
    # This week's cards fall between its start and now, whatever the day the test runs.
    step = (now - this_week) / 5
    for n in range(3):
        title, words = texts[n]
        fields = {"Hours": (2, 1)[n]} if n < 2 else {}
        card_id = f"{language}-now-{n}"
        cards.append(Card(id=card_id, title=title.format(n=99), created_at=this_week + step * (n + 1), board_id=board,
                          description=words, custom_fields=fields, url=f"https://trello.com/c/{card_id}"))
    start = this_week - timedelta(weeks=WEEKS)
    title, words = texts[3]
    long_id = f"{language}-long"
    cards.append(Card(id=long_id, title=title, created_at=start + timedelta(hours=9), board_id=board, description=words,
                      time_entries=tuple(TimeEntry(id=f"{long_id}-{w}", source="plus", minutes=90,
                                                   at=start + timedelta(weeks=w, days=1, hours=11), text="plus! 1.5/1.5")
                                         for w in range(WEEKS + 1) if start + timedelta(weeks=w, days=1, hours=11) < now),
                      url=f"https://trello.com/c/{long_id}"))
    title, words = texts[4]
    cards.append(Card(id=f"{language}-backlog", title=title, created_at=this_week + step * 4, board_id=board,
                      description=words, url=f"https://trello.com/c/{language}-backlog",
                      time_entries=(TimeEntry(id=f"{language}-backlog-1", source="plus", minutes=120,
                                              at=this_week - timedelta(weeks=1, hours=-12), text="plus! -7d 2/2"),)))
    return cards, long_id


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> History:
    """Four clients' stores as the worker leaves them: every card with its days and the ledger; earlier weeks' cards
    gone from the boards (but the long-running card and one old card); earlier comments posted, this week's waiting,
    and of earlier weeks one waiting, one approved and one rejected."""
    folder = tmp_path_factory.mktemp("history")
    path = _config(folder)
    config = load_config(path)
    store = open_store(config.scopekeeper.state_url)
    now = datetime.now(UTC)
    every, gone, long_running = {}, {}, {}
    for client in config.clients:
        rules = rules_for(client)
        cards, long_running[client.name] = _cards(client.language, rules.tz, now)
        result = rules.evaluate(cards, now)
        this_week = result.period.key
        save_scan(store, ScanWrite(client.name, now, new_cards=[(card, card.id) for card in cards],
                                   ledger=ledger(result), days={("trello", c.id): rules.days(c) for c in cards}))
        older = {f.card_id: f for f in result.findings if f.messages and f.period.key != this_week}
        special = {f"{client.language}-w05-1": OutboxStatus.PENDING_REVIEW, f"{client.language}-w03-1": OutboxStatus.APPROVED,
                   f"{client.language}-w08-1": OutboxStatus.REJECTED}
        assert set(special) <= set(older)  # each asks for a strategy: a comment is planned
        for status in OutboxStatus.SENT, *special.values():
            chosen = [f for f in result.findings if f.messages and (
                special.get(f.card_id, OutboxStatus.PENDING_REVIEW if f.period.key == this_week else OutboxStatus.SENT)
                == status)]
            save_scan(store, ScanWrite(client.name, now, intent_status=status, intents=[
                NewIntent("trello", BOARDS[client.language], f.card_id, kind, f.period.key,
                          make_reference("trello", f.card_id, kind, f.period.key), text, f.title, f.url)
                for f in chosen for kind, text in f.messages]))
        gone[client.name] = {c.id for c in cards if "-w" in c.id and c.id != f"{client.language}-w12-0"}
        gone[client.name].add(f"{client.language}-now-2")  # made this week, matching nothing, then archived
        save_scan(store, ScanWrite(client.name, now, gone=[("trello", i) for i in sorted(gone[client.name])]))
        every[client.name] = cards
    yield History(web_context(path, config, store), now, every, gone, long_running, path)
    store.close()


def _by_id(result: ScanResult) -> dict:
    return {f.card_id: f for f in result.findings}


def _current(result: ScanResult) -> list:
    return [f for f in result.findings if f.period.key == result.period.key]


def test_the_inbox_shows_what_every_card_ever_stored_gives(history) -> None:
    inbox = build_inbox(history.context)
    assert [c.client.name for c in inbox.clients] == [v[0] for v in CLIENTS.values()]
    for shown in inbox.clients:
        name, language = shown.client.name, shown.client.language
        whole = history.whole(name)
        assert whole.hours.carried_in > 0  # the ledger matters: earlier weeks' unused hours carry over
        assert shown.result is not None
        assert (shown.result.period, shown.result.hours) == (whole.period, whole.hours)
        assert _current(shown.result) == _current(whole)
        queued = {q.intent.card_id: q for q in shown.queued}
        assert f"{language}-w05-1" in queued and f"{language}-now-1" in queued
        for card_id, item in queued.items():
            assert item.finding == _by_id(whole)[card_id], (name, card_id)
            assert item.words == next(c.description for c in history.cards[name] if c.id == card_id)
        assert queued[f"{language}-w05-1"].finding.verdict == "out_of_scope"
        assert [i.card_id for i in shown.approved] == [f"{language}-w03-1"]
        assert [i.card_id for i in shown.rejected] == [f"{language}-w08-1"]
        # Cards to answer herself: this week's that match nothing, but not the one archived since.
        assert [f.card_id for f in shown.yours] == [
            f.card_id for f in _current(whole) if (f.verdict == "needs_review" or set(f.flags) - {"discount_request"})
            and f.card_id not in history.gone[name] and f.card_id not in queued]
        assert f"{language}-now-2" in {f.card_id for f in _current(whole) if f.verdict == "needs_review"}
        assert f"{language}-now-2" not in {f.card_id for f in shown.yours}


def test_the_clients_page_shows_what_every_card_ever_stored_gives(history) -> None:
    for summary in summaries(history.fresh()):
        whole = history.whole(summary.client.name)
        assert summary.result is not None
        assert summary.result.hours == whole.hours and summary.result.hours.used > 0
        assert summary.recent == sorted(whole.findings, key=lambda f: f.created_at, reverse=True)[:8]
        assert [f for f, _ in summary.out_of_scope] == [f for f in _current(whole) if f.verdict == "out_of_scope"]
        assert [outcome for _, outcome in summary.out_of_scope] == ["comment waiting for you"]


def test_earlier_weeks_cards_are_not_loaded(history) -> None:
    """The clients page evaluates this week's cards, the card logging time every week and the weeks before that hold
    the latest 8 cards (one week back, then two more: three); the inbox also the weeks from the oldest comment
    waiting. Neither evaluates the cards gone in the weeks before, nor the old card still on the board."""
    context = history.fresh()
    client = context.config.client("Atelier Lumière")
    assert len(history.cards[client.name]) == WEEKS * 3 + 5
    cards, result = context.evaluation(client)
    loaded = {card.id for card in cards}
    assert result is not None and {"fr-long", "fr-backlog", "fr-now-0", "fr-now-2", "fr-w01-0", "fr-w02-2"} <= loaded
    assert sorted(loaded - {"fr-long"}) == sorted(c.id for c in history.cards[client.name]
                                                 if c.id.startswith(("fr-now", "fr-backlog", "fr-w01", "fr-w02", "fr-w03")))
    build_inbox(context)  # a comment of five weeks ago waits: its week on are evaluated, and no earlier one
    cards, _ = context.evaluation(client)
    loaded = {card.id for card in cards}
    assert {"fr-w05-0", "fr-w05-1", "fr-w04-2", "fr-long"} <= loaded
    assert not {card_id for card_id in loaded if card_id.startswith(("fr-w06", "fr-w08", "fr-w12", "fr-w20"))}
    assert len(loaded) == 4 + 1 + 5 * 3


def test_a_rejection_put_back_from_an_earlier_week_gets_its_finding(history) -> None:
    """After an undo, the inbox shows the comment with why it was written, though its week is older than any the
    inbox had evaluated."""
    client = history.context.config.client("Studio Jogi Lotos")
    build_inbox(history.context)
    outbox = Outbox(history.context.store)
    intent = next(i for i in outbox.listed((REJECTED,), client=client.name) if i.card_id == "pl-w08-1")
    assert outbox.restore(intent.id)
    try:
        restored = outbox.get(intent.id)
        assert restored is not None and restored.status == PENDING_REVIEW
        item = queued_one(history.context, restored)
        assert item.finding is not None and item.finding == _by_id(history.whole(client.name))["pl-w08-1"]
        assert item.finding.category == "Strategia treści"
        assert item.words == "Potrzebujemy **planu** na nowy rok, bez pośpiechu"
    finally:
        assert outbox.reject(intent.id)


def test_a_client_with_few_cards_months_apart_shows_them_all(tmp_path: Path) -> None:
    """Fewer than the clients page's 8 latest cards in all: it goes back to the first one, and no further."""
    path = _config(tmp_path, ("es",))
    config = load_config(path)
    client = config.clients[0]
    store = open_store(config.scopekeeper.state_url)
    try:
        now = datetime.now(UTC)
        texts = CLIENTS["es"][6]
        cards = [Card(id=f"es-{back}", title=texts[n][0].format(n=back), created_at=now - timedelta(weeks=back),
                      board_id=BOARDS["es"], description=texts[n][1], custom_fields={"Hours": 2} if n == 0 else {},
                      url=f"https://trello.com/c/es-{back}")
                 for n, back in enumerate((30, 20, 10))]
        rules = rules_for(client)
        result = rules.evaluate(cards, now)
        save_scan(store, ScanWrite(client.name, now, new_cards=[(card, card.id) for card in cards],
                                   ledger=ledger(result), days={("trello", c.id): rules.days(c) for c in cards}))
        save_scan(store, ScanWrite(client.name, now, gone=[("trello", c.id) for c in cards]))
        [summary] = summaries(web_context(path, config, store))
        assert summary.recent == sorted(result.findings, key=lambda f: f.created_at, reverse=True)
        assert [f.card_id for f in summary.recent] == ["es-10", "es-20", "es-30"]
        assert summary.result is not None and summary.result.hours == result.hours
        assert summary.result.hours.carried_in > 0 and summary.out_of_scope == []
    finally:
        store.close()
