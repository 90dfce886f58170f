"""Which cards a scan evaluates: every card at a process's first scan of a client, then only the cards of the
contract periods that can still change, the ledger's totals standing for the earlier ones.

A period can still change when it is the current one, when the previous evaluation fell in it (since then it
may have ended, which changes its comments' wording, and time logged for a day that has since come now counts),
or when a card's hours there changed. Every other period was evaluated, its comments planned and its totals put
in the ledger while it could still change, and nothing it depends on has changed since. The periods from the
earliest such one to the current one are evaluated whole: every card whose hours may count in them
(`ClientRules.days`). A card reaching into earlier periods too (time logged for months) brings its parts there
as last evaluated (`KnownCard.parts`); one without them brings every period it reaches, so no evaluated period
misses a card and none is cut in two.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from integrations.models import Card
from rules.evaluate import ClientRules
from rules.findings import Part, ScanResult
from rules.periods import period_of, period_of_day, period_of_key
from scheduler.records.state import CardKey, ClientState, KnownCard, Window
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
    parts: dict[CardKey, tuple[Part, ...]] = field(default_factory=dict)
    whole_from: date = date.min                 # the periods from this day on were evaluated whole


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
    days = _days(rules, changes.cards, state)
    settled: dict[CardKey, tuple[Part, ...]] = {}
    if state.since is None:
        chosen = list(changes.cards)
        whole_from = date.min  # every card is given: a period none of them has hours in any more has none
    else:
        start = state.since
        today = now.astimezone(rules.tz).date()
        touched = {(card.provider, card.id) for card, _ in (*changes.new, *changes.changed)}
        for key in touched:
            if (first := _reopens(rules, state.cards.get(key), changes.cards[key], days[key], today)) is not None:
                start = min(start, period_of_day(first, kind).start)
        settled = {key: known.parts for key, known in state.cards.items() if known.parts is not None}
        while True:
            chosen, start = _reaching(days, start, kind, settled, touched)
            if start >= state.since:
                break
            more = {key: known for key, known in load_cards(store, client, since=start).items()
                    if key not in changes.cards}
            state.cards.update(more)
            changes.cards.update((key, known.card) for key, known in more.items())
            changes.gone.update(more)
            days.update((key, known.days or rules.days(known.card)) for key, known in more.items())
            settled.update((key, known.parts) for key, known in more.items() if known.parts is not None)
            state.since = start
        whole_from = start
    cards = {key: changes.cards[key] for key in chosen}
    result = rules.evaluate(cards.values(), now, state.hours_used, whole_from=whole_from,
                            settled={key[1]: settled[key] for key in chosen if key in settled and days[key][0] < whole_from})
    live = {card.id: card for key, card in cards.items() if key not in changes.gone}
    stored = {key: known.days for key, known in state.cards.items()}
    return Evaluation(result, cards, live, {key: days[key] for key in chosen if stored.get(key) != days[key]},
                      _new_parts(result, cards, days, state, kind), whole_from)


def _days(rules: ClientRules, cards: Mapping[CardKey, Card], state: ClientState) -> dict[CardKey, Days]:
    """Each card's days (`ClientRules.days`): as stored for a card the store gave unchanged, when this process
    evaluated every card since the client's rules last changed (a card logged on for months has hundreds of
    entries to visit); else worked out."""
    if state.since is None:  # a whole evaluation: it writes the days that differ (a new timezone moves them all)
        return {key: rules.days(card) for key, card in cards.items()}
    days = {}
    for key, card in cards.items():
        known = state.cards.get(key)
        days[key] = known.days if known is not None and known.days and known.card is card else rules.days(card)
    return days


def _reopens(rules: ClientRules, known: KnownCard | None, card: Card, days: Days, today: date) -> date | None:
    """The first day of the earliest period whose hours a new or changed card changes, or None.

    A card with parts as last evaluated changes only the periods where its in-scope hours differ (time logged
    today opens today's period alone); any other opens every period it reached before or reaches now."""
    if known is not None and known.parts is not None and known.card.created_at == card.created_at:
        before, after = rules.counted(known.card, today), rules.counted(card, today)
        changed = [period_of_key(key).start for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
        return min(changed, default=None)
    return min(first for first, _ in filter(None, (days, known and (known.days or rules.days(known.card)))))


def _new_parts(result: ScanResult, cards: Mapping[CardKey, Card], days: Mapping[CardKey, Days],
               state: ClientState, kind: str) -> dict[CardKey, tuple[Part, ...]]:
    """The parts to store: those of the evaluated cards whose days span several periods, where they changed."""
    findings = {f.card_id: f for f in result.findings}
    found = {}
    for key in cards:
        first, last = days[key]
        if first != last and period_of_day(first, kind).end < last and (finding := findings.get(key[1])) is not None:
            known = state.cards.get(key)
            if known is None or known.parts != finding.periods:
                found[key] = finding.periods
    return found


def _reaching(days: Mapping[CardKey, Days], start: date, kind: str, settled: Collection[CardKey],
              touched: Collection[CardKey]) -> tuple[list[CardKey], date]:
    """The cards whose hours may count on `start` or later, or that changed; and the first day of the earliest
    period those without parts as last evaluated reach."""
    chosen, earliest = [], start
    for key, (first, last) in days.items():
        if last >= start or key in touched:
            chosen.append(key)
            if first < earliest and key not in settled:
                earliest = first
    return chosen, period_of_day(earliest, kind).start if earliest < start else start
