"""The hours ledger and card snapshots survive cards being archived, deleted or edited on the board."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from rules.periods import period_of
from scheduler.store.scans import finding_history
from scheduler.store.schema import CardRow, LedgerRow
from tests.worker.support import TRELLO_CLIENT


def ledger_of(store, client: str) -> tuple[Decimal, Decimal, Decimal]:
    key = period_of(datetime.now(UTC), "month", UTC).key
    with store.session() as session:
        row = session.get(LedgerRow, (client, key))
        return row.used, row.extra, row.extra_amount


def card_id(world, title_start: str) -> str:
    return next(i for i, c in world.trello.cards.items() if str(c["name"]).startswith(title_start))


def test_the_ledger_keeps_hours_of_cards_archived_deleted_or_edited(world, make_worker):
    worker = make_worker(mode="review")
    client = worker.config.client(TRELLO_CLIENT)
    store = worker.store
    assert worker.scan(client) == "ok"
    assert ledger_of(store, TRELLO_CLIENT) == (5, 2, 90)  # 2 h + 2 h + 1 h in scope, 3 h contracted, $45/h
    intents_before = len(store.comment_statuses(TRELLO_CLIENT))

    archived = card_id(world, "Instagram posts")
    world.trello.update_card(archived, closed=True)  # an updateCard action, as Trello records it
    assert worker.scan(client) == "ok"
    deleted = card_id(world, "Newsletter: could you")
    world.trello.delete_card(deleted)
    assert worker.scan(client) == "ok"

    assert ledger_of(store, TRELLO_CLIENT) == (5, 2, 90)
    known = {card.id: card for card in store.cards(TRELLO_CLIENT)}
    assert {archived, deleted} <= set(known) and known[archived].title == "Instagram posts for the launch [2h]"
    with store.session() as session:
        gone = set(session.scalars(select(CardRow.card_id).where(CardRow.gone_at.is_not(None))))
    assert gone == {archived, deleted}
    assert len(store.comment_statuses(TRELLO_CLIENT)) == intents_before  # nothing planned for gone cards

    edited = card_id(world, "Newsletter for December")
    world.trello.update_card(edited, name="Newsletter for December [3h]")
    assert worker.scan(client) == "ok"

    assert ledger_of(store, TRELLO_CLIENT) == (6, 3, 135)
    assert [row.hours for row in finding_history(store, TRELLO_CLIENT, edited)] == [2, 3]
