"""Which cards the web app evaluates: those of the periods its pages show, the ledger standing for the earlier ones.

The pages show the current period's findings and hours, the latest RECENT cards and the cards of
the comments waiting for review. Every card created since the first day of the earliest of their periods is
evaluated with what `cards_from` adds (as a report is), so each of these findings is the one an evaluation of every
card the client ever had gives; what a page costs grows with what it shows, not with the client's history.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select

from integrations.models import Card
from rules.evaluate import ClientRules
from rules.findings import ScanResult
from rules.periods import period_of, period_of_day
from scheduler.reports.source import cards_from
from scheduler.store import Store
from scheduler.store.schema import CardRow

RECENT = 8  # the clients page's latest cards


class Evaluated(NamedTuple):
    """The evaluated cards, their findings now, and the first day from which every card's finding is exact."""

    cards: list[Card]
    result: ScanResult | None
    first: date


def first_needed(store: Store, rules: ClientRules, client: str, now: datetime,
                 cards: Collection[tuple[str, str]] = ()) -> date:
    """The first day of the current period, or of the earliest period one of the cards (provider, id) was created
    in, whichever is earlier."""
    first = period_of(now, rules.contract.period, rules.tz).start
    with store.reading() as session:
        for provider in sorted({p for p, _ in cards}):  # the whole primary key: else every card of the client is read
            ids = sorted(card_id for p, card_id in cards if p == provider)
            for start in range(0, len(ids), 500):  # bounded IN lists
                for created in session.scalars(select(CardRow.created_at).where(
                        CardRow.client == client, CardRow.provider == provider, CardRow.card_id.in_(ids[start:start + 500]))):
                    first = min(first, created.astimezone(rules.tz).date())
    return period_of_day(first, rules.contract.period).start


def evaluate_shown(store: Store, rules: ClientRules, client: str, now: datetime, day: date,
                   earliest: datetime | None) -> Evaluated:
    """The findings of every card created from `day`'s period on, and of the RECENT latest cards at least (periods
    further back are added, twice as many each time, until they hold that many or the client's `earliest` card)."""
    kind, back = rules.contract.period, 1
    start = period_of_day(day, kind).start
    oldest = earliest.astimezone(rules.tz).date() if earliest else start
    while True:
        cards, whole_from = cards_from(store, rules, client, start)
        created = sum(1 for card in cards if card.created_at <= now and card.created_at.astimezone(rules.tz).date() >= start)
        if created >= RECENT or start <= oldest:
            result = rules.evaluate(cards, now, store.hours_used(client), whole_from) if cards else None
            return Evaluated(list(cards), result, start)
        for _ in range(back):
            start = period_of_day(start - timedelta(days=1), kind).start
        back *= 2
