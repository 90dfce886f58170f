"""Which cards a scan evaluates: every card at a process's first scan of a client, then only the cards of the
contract periods that can still change, the ledger's totals standing for the earlier ones.

A period can still change when it is the current one, when the previous evaluation fell in it (since then it
may have ended, which changes its comments' wording, and time logged for a day that has since come now counts),
or when a card reaching into it changed. Every other period was evaluated, its comments planned and its totals
put in the ledger while it could still change, and nothing it depends on has changed since. The periods from the earliest such one
to the current one are evaluated whole: every card whose hours may count in them (`ClientRules.days`), and
then every period those cards reach into, so no evaluated period misses a card and none is cut in two.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from integrations.models import Card
from rules.evaluate import ClientRules
from rules.findings import ScanResult
from rules.periods import period_of, period_of_day
from scheduler.records.state import CardKey, ClientState, Window
from scheduler.store import Store
from scheduler.store.scans import load_cards
from scheduler.worker.plan import CardChanges, previous_period_start

Days = tuple[date, date]


@dataclass
class Evaluation:
    """The rules' result over the evaluated cards, those cards, and the cards whose days the store must learn."""

    result: ScanResult
    cards: dict[CardKey, Card]
    live: dict[str, Card]                       # card id -> card, of the evaluated cards still on their boards
    days: dict[CardKey, Days] = field(default_factory=dict)


def changeable(now: datetime, kind: str, timezone: ZoneInfo) -> Callable[[datetime | None], Window]:
    """What a scan loads, given when the cards were last evaluated (None: never): the gone cards reaching into
    the earliest period that can still change; the comments of that period on, and of the previous one, the
    oldest a comment is planned for (a card changed there reopens it)."""
    def window(evaluated_at: datetime | None) -> Window:
        current = period_of(now, kind, timezone)
        previous = period_of_day(previous_period_start(current), kind)
        first = previous if evaluated_at is None else min(current, period_of(evaluated_at, kind, timezone))
        return Window(first.start, min(first, previous).key)

    return window


def evaluate_cards(store: Store, rules: ClientRules, client: str, state: ClientState, changes: CardChanges,
                   now: datetime) -> Evaluation:
    """Evaluate every card (`state.since` is None: the store gave them all) or the changeable periods' cards.

    Gone cards reaching into a period the changes open are loaded from the store on the way.
    """
    kind = rules.contract.period
    days = {key: rules.days(card) for key, card in changes.cards.items()}
    if state.since is None:
        chosen = list(changes.cards)
    else:
        start = state.since
        for card, _ in (*changes.new, *changes.changed):  # a changed card reopens its periods, old and new
            key = (card.provider, card.id)
            known = state.cards.get(key)
            for first, _ in filter(None, (days[key], known and (known.days or rules.days(known.card)))):
                start = min(start, period_of_day(first, kind).start)
        while True:
            chosen, start = _reaching(days, start, kind)
            if start >= state.since:
                break
            more = {key: known for key, known in load_cards(store, client, since=start).items()
                    if key not in changes.cards}
            state.cards.update(more)
            changes.cards.update((key, known.card) for key, known in more.items())
            changes.gone.update(more)
            days.update((key, rules.days(known.card)) for key, known in more.items())
            state.since = start
    cards = {key: changes.cards[key] for key in chosen}
    result = rules.evaluate(cards.values(), now, state.hours_used)
    live = {card.id: card for key, card in cards.items() if key not in changes.gone}
    stored = {key: known.days for key, known in state.cards.items()}
    return Evaluation(result, cards, live, {key: days[key] for key in chosen if stored.get(key) != days[key]})


def _reaching(days: Mapping[CardKey, Days], start: date, kind: str) -> tuple[list[CardKey], date]:
    """The cards whose hours may count on `start` or later, and the first day of the earliest period they reach."""
    chosen, earliest = [], start
    for key, (first, last) in days.items():
        if last >= start:
            chosen.append(key)
            if first < earliest:
                earliest = first
    return chosen, period_of_day(earliest, kind).start if earliest < start else start
