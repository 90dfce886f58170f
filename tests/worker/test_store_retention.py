"""The retention policy (`keep_history`): old findings and settled comments go; what a scan, a review or a
report still needs stays, and no comment is ever posted twice because its record went."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from integrations.models import Card
from rules.findings import Finding
from rules.periods import period_of_key
from scheduler.config.models import parse_config
from scheduler.records.codec import card_to_json, digest
from scheduler.records.state import FindingUpdate, NewIntent, ScanWrite
from scheduler.records.status import OutboxStatus
from scheduler.store import open_store
from scheduler.store.scans import finding_history, load_client, save_scan
from scheduler.store.schema import IntentRow
from tests.test_config import edited, problems

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
KEEP = timedelta(days=400)


@pytest.fixture
def store(state_url):
    opened = open_store(state_url)
    yield opened
    opened.close()


def finding(card_id: str, period: str, hours: str) -> FindingUpdate:
    found = Finding(card_id=card_id, title="Newsletter de printemps [2h]", url=f"https://trello.com/c/{card_id}",
                    created_at=NOW, period=period_of_key(period), verdict="in_scope", service="Newsletter",
                    category=None, response="none", flags=(), hours=Decimal(hours), extra_hours=Decimal(0),
                    extra_amount=Decimal(0), messages=(), evidence=())
    return FindingUpdate("trello", f"digest-{card_id}-{hours}", found)


def intent(card: str, period: str, number: int) -> NewIntent:
    reference = f"SK-{number:06x}"
    return NewIntent("trello", "b1", card, "extra_hours", period, reference, f"Texte\n\nref {reference}", card, "url")


def card(card_id: str) -> tuple[Card, str]:
    made = Card(id=card_id, title="Newsletter de printemps [2h]", created_at=NOW - timedelta(days=900), board_id="b1")
    return made, digest(card_to_json(made))


def scan(store, when: datetime, client: str = "Bright Path", **write) -> None:
    save_scan(store, ScanWrite(client, when, **write))


def test_findings_older_than_the_policy_go_but_each_card_keeps_its_newest(store):
    scan(store, NOW - timedelta(days=600), new_cards=[card("c1"), card("c2")],
         findings=[finding("c1", "2025-03", "1"), finding("c2", "2025-03", "2")])
    scan(store, NOW - timedelta(days=450), findings=[finding("c1", "2025-03", "1.5")])
    scan(store, NOW - timedelta(days=10), findings=[finding("c1", "2025-03", "2")])
    scan(store, NOW - timedelta(days=600), "Sunrise Studio", new_cards=[card("c1")],
         findings=[finding("c1", "2025-03", "3")])

    scan(store, NOW, prune_before=NOW - KEEP)

    assert [row.hours for row in finding_history(store, "Bright Path", "c1")] == [Decimal(2)]
    assert [row.hours for row in finding_history(store, "Bright Path", "c2")] == [Decimal(2)]  # its only one
    assert [row.hours for row in finding_history(store, "Sunrise Studio", "c1")] == [Decimal(3)]  # not this client's
    assert [c.id for c in store.cards("Bright Path")] == ["c1", "c2"]  # cards stay: reports evaluate them


def test_only_settled_comments_of_long_ended_periods_go(store):
    old, recent = NOW - timedelta(days=500), NOW - timedelta(days=20)
    scan(store, old, intents=[intent(f"c{n}", "2025-06", n) for n in range(1, 8)])
    scan(store, old, intents=[intent("c8", "2026-11", 8)], intent_status=OutboxStatus.APPROVED)
    with store.session() as session:  # the comments' fates, as the executor and the VA left them long ago
        for card, status in (("c1", "sent"), ("c2", "reconciled"), ("c3", "rejected"), ("c4", "approved"),
                             ("c5", "pending"), ("c6", "unknown"), ("c8", "sent")):
            session.get(IntentRow, _id(session, card)).status = status
    scan(store, recent, intents=[intent("c9", "2025-06", 9)], intent_status=OutboxStatus.SENT)  # settled, but lately

    scan(store, NOW, prune_before=NOW - KEEP)

    with store.reading() as session:
        left = dict(session.execute(select(IntentRow.card_id, IntentRow.status)).all())
    # Posted, reconciled and rejected ones of June 2025 are gone; review, queued, posting and unknown ones stay
    # (the executor must still settle them), as do a period still recent and a row changed within the policy.
    assert left == {"c4": "approved", "c5": "pending", "c6": "unknown", "c7": "pending_review", "c8": "sent",
                    "c9": "sent"}
    assert store.comment_statuses("Bright Path") == {"SK-000004": "approved", "SK-000005": "pending",
                                                     "SK-000006": "unknown", "SK-000007": "pending_review",
                                                     "SK-000008": "sent", "SK-000009": "sent"}


def test_a_scan_without_a_policy_date_prunes_nothing(store):
    scan(store, NOW - timedelta(days=900), new_cards=[card("c1")], findings=[finding("c1", "2024-06", "1")],
         intents=[intent("c1", "2024-06", 1)], intent_status=OutboxStatus.SENT)
    scan(store, NOW - timedelta(days=800), findings=[finding("c1", "2024-06", "2")])
    scan(store, NOW)
    assert len(finding_history(store, "Bright Path", "c1")) == 2
    assert store.comment_statuses("Bright Path") == {"SK-000001": "sent"}


def test_the_worker_applies_the_policy_once_a_day(make_worker, world):
    from tests.worker.support import TRELLO_CLIENT

    long_ago = datetime.now(UTC) - timedelta(days=500)
    worker = make_worker(mode="review")
    save_scan(worker.store, ScanWrite(TRELLO_CLIENT, long_ago, new_cards=[card("old")],
                                      findings=[finding("old", "2025-06", "1")]))
    save_scan(worker.store, ScanWrite(TRELLO_CLIENT, long_ago, findings=[finding("old", "2025-06", "2")]))
    save_scan(worker.store, ScanWrite(TRELLO_CLIENT, long_ago, intents=[intent("old", "2025-06", 0xabc)],
                                      intent_status=OutboxStatus.SENT))
    client = worker.config.clients[0]

    worker.scan(client)

    assert [row.hours for row in finding_history(worker.store, TRELLO_CLIENT, "old")] == [Decimal(2)]
    assert "SK-000abc" not in worker.store.comment_statuses(TRELLO_CLIENT)
    assert load_client(worker.store, TRELLO_CLIENT).intents  # this scan's own comments were queued
    save_scan(worker.store, ScanWrite(TRELLO_CLIENT, long_ago, findings=[finding("old", "2025-06", "3")]))
    worker.scan(client)  # the same day: not pruned again
    assert len(finding_history(worker.store, TRELLO_CLIENT, "old")) == 2


def test_keep_history_reads_days_and_refuses_less_than_the_comments_need() -> None:
    assert parse_config(edited(scopekeeper__keep_history="730d"), "my.toml").scopekeeper.keep_history \
        == timedelta(days=730)
    assert parse_config(edited(), "my.toml").scopekeeper.keep_history == timedelta(days=400)  # the default
    [message] = problems(edited(scopekeeper__keep_history="30d"))
    assert "scopekeeper" in message and "keep_history must be at least 90d" in message


def _id(session, card: str) -> int:
    return session.scalar(select(IntentRow.id).where(IntentRow.card_id == card))
