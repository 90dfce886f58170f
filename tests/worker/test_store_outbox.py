"""The outbox's guarantees in the store: one intent per key, one claim per comment, one claim per report."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from integrations.models import Card, DueChange
from scheduler.records.codec import card_to_json, digest
from scheduler.records.state import NewIntent, ScanWrite
from scheduler.store import open_store
from scheduler.store.outbox import Outbox
from scheduler.store.scans import load_client, save_scan
from scheduler.store.schema import IntentRow

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(state_url):
    opened = open_store(state_url)
    yield opened
    opened.close()


def intent(card: str = "c1", kind: str = "consultation", reference: str = "SK-000001") -> NewIntent:
    return NewIntent("trello", "b1", card, kind, "2026-11", reference, f"Text\n\nref {reference}", "Title", "url")


def test_the_unique_key_keeps_one_intent_per_card_kind_and_period(store):
    assert save_scan(store, ScanWrite("Bright Path", NOW, intents=[intent()], intent_status="approved")) == 1
    assert save_scan(store, ScanWrite("Bright Path", NOW, intents=[intent()], intent_status="approved")) == 0

    with pytest.raises(IntegrityError), store.session() as session:  # even written past the planner, under another reference
        session.add(IntentRow(client="Bright Path", provider="trello", board_id="b1", card_id="c1",
                              kind="consultation", period_key="2026-11", reference="SK-ffffff", text="again",
                              card_title="", card_url="", status="approved", edited=False, attempts=0,
                              created_at=NOW, updated_at=NOW))
    assert store.comment_statuses("Bright Path") == {"SK-000001": "approved"}


def test_only_one_of_many_claims_of_a_comment_wins(store):
    save_scan(store, ScanWrite("Bright Path", NOW, intents=[intent()], intent_status="approved"))
    [queued] = Outbox(store).listed(("approved",))
    start = threading.Barrier(8)

    def claim(_) -> bool:
        start.wait()
        return Outbox(store).claim(queued.id)

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(claim, range(8))) == [False] * 7 + [True]
    assert Outbox(store).get(queued.id).status == "pending"


def test_a_weekly_report_is_claimed_once_per_week_and_target_even_concurrently(store):
    start = threading.Barrier(8)

    def claim(target: str) -> bool:
        start.wait()
        return store.claim_report("2026-W47", target)

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(claim, ["practice"] * 4 + ["client:Estudio Sol"] * 4))
    assert won.count(True) == 2 and won[:4].count(True) == 1
    assert store.claim_report("2026-W48", "practice")


def test_review_decisions_move_only_from_the_states_they_belong_to(store):
    save_scan(store, ScanWrite("Bright Path", NOW, intents=[intent("c1"), intent("c2", reference="SK-000002")]))
    outbox = Outbox(store)
    first, second = (i.id for i in outbox.listed(("pending_review",)))

    assert outbox.approve(first) and not outbox.approve(first)
    assert outbox.claim(first) and outbox.sent(first, "remote-1")
    assert not outbox.reject(first) and not outbox.reword(first, "late")   # sent: nothing changes it any more
    assert outbox.reword(second, "Mine\n\nref SK-000002") and outbox.reject(second)
    assert not outbox.claim(second)                                          # rejected: never posted
    assert store.comment_statuses("Bright Path") == {"SK-000001": "sent", "SK-000002": "rejected"}


def test_cards_come_back_as_stored_with_their_due_date_moves(store):
    moved = DueChange(NOW, NOW + timedelta(days=2), NOW + timedelta(days=3))
    card = Card(id="c1", title="Newsletter [2h]", created_at=NOW, board_id="b1", labels=("Newsletter",),
                due=NOW + timedelta(days=3), due_changes=(moved,), custom_fields={"Hours": 2.0, "Note": "x"},
                url="https://trello.com/c/c1")
    save_scan(store, ScanWrite("Bright Path", NOW, new_cards=[(card, digest(card_to_json(card)))]))

    assert store.cards("Bright Path") == [card]
    assert store.cards("Somebody else") == []
    assert load_client(store, "Bright Path").cards[("trello", "c1")].digest == digest(card_to_json(card))


def test_the_comments_of_some_cards_are_listed_by_provider_and_card_together(store):
    # The web app's inbox and client pages ask for a few cards' comments out of a client's thousands; the same
    # card id under another service is another card.
    mine = [intent("c1", reference="SK-000001"), intent("c2", reference="SK-000002"),
            replace(intent("c1", reference="SK-000003"), provider="asana"),
            intent("c1", kind="extra_hours", reference="SK-000004")]
    save_scan(store, ScanWrite("Bright Path", NOW, intents=mine, intent_status="pending_review"))
    save_scan(store, ScanWrite("Zorza Studio", NOW, intents=[intent("c1", reference="SK-000005")],
                               intent_status="pending_review"))

    listed = Outbox(store).listed(("pending_review",), client="Bright Path",
                                  cards=[("trello", "c1"), ("asana", "c9"), ("trello", "c1")])

    assert [i.reference for i in listed] == ["SK-000001", "SK-000004"]
    assert Outbox(store).listed(("pending_review",), client="Bright Path", cards=[]) == []
