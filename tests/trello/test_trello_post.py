"""Posting a comment: once, never twice, and findable by its reference when the answer was lost."""
from __future__ import annotations

import pytest

from integrations.errors import NotFound, UnknownOutcome
from integrations.reference import make_reference, with_reference
from tests.trello.support import load_fixture, requests_of

REF = make_reference("trello", "card", "out_of_scope", "2026-11")


@pytest.fixture
def card_id(sandbox, shared_dir) -> str:
    board_id = load_fixture(sandbox, shared_dir, "en")
    return next(c["id"] for c in sandbox.cards.values() if c["idBoard"] == board_id)


def test_posted_comment_is_found_by_its_reference(sandbox, adapter, card_id):
    sandbox.add_comment(card_id, "Client: could you also do our content plan?")

    action_id = adapter.post_comment(card_id, with_reference("That is a consultation.", REF))

    found = adapter.find_comment(card_id, REF)
    assert found is not None and found.id == action_id
    assert found.text.endswith(f"ref {REF}") and found.author == "Virtual Assistant"
    assert adapter.find_comment(card_id, make_reference("trello", card_id, "extra_hours", "2026-11")) is None


def test_a_card_deleted_between_read_and_post_is_not_found(sandbox, adapter, card_id):
    adapter.read_board(sandbox.cards[card_id]["idBoard"])
    sandbox.delete_card(card_id)

    with pytest.raises(NotFound):
        adapter.post_comment(card_id, with_reference("Hello", REF))
    assert len(requests_of(sandbox, "POST")) == 1
    with pytest.raises(NotFound):
        adapter.find_comment(card_id, REF)


def test_answer_lost_after_the_comment_was_stored_is_unknown_then_reconciled(sandbox, adapter, card_id):
    sandbox.inject("lost_answer", method="POST")

    with pytest.raises(UnknownOutcome, match="check before sending again"):
        adapter.post_comment(card_id, with_reference("That is a consultation.", REF))

    assert len(requests_of(sandbox, "POST")) == 1  # never re-sent blindly
    found = adapter.find_comment(card_id, REF)
    assert found is not None
    assert [c["id"] for c in sandbox.comments_on(card_id)] == [found.id]  # one comment, no second one


def test_timeout_of_a_post_is_unknown_and_reconciliation_finds_nothing(sandbox, adapter, card_id):
    sandbox.inject("timeout", method="POST")

    with pytest.raises(UnknownOutcome):
        adapter.post_comment(card_id, with_reference("Hello", REF))

    assert adapter.find_comment(card_id, REF) is None  # the caller may post again: nothing was stored
    assert sandbox.comments_on(card_id) == []


def test_5xx_after_sending_a_post_is_unknown_not_resent(sandbox, adapter, card_id):
    sandbox.inject("server_error", method="POST", status=502)

    with pytest.raises(UnknownOutcome) as raised:
        adapter.post_comment(card_id, with_reference("Hello", REF))

    assert raised.value.status == 502
    assert len(requests_of(sandbox, "POST")) == 1


def test_post_refused_before_sending_is_retried(sandbox, adapter, card_id):
    sandbox.inject("refused", count=2, method="POST")

    action_id = adapter.post_comment(card_id, with_reference("Hello", REF))

    assert len(requests_of(sandbox, "POST")) == 3
    assert [c["id"] for c in sandbox.comments_on(card_id)] == [action_id]


def test_post_met_by_429_is_retried_after_the_window(sandbox, adapter, card_id, clock):
    sandbox.inject("rate_limit", method="POST")

    action_id = adapter.post_comment(card_id, with_reference("Hello", REF))

    posts = requests_of(sandbox, "POST")
    assert [p["status"] for p in posts] == [429, 200]
    assert posts[1]["at"] - posts[0]["at"] >= 10.0
    assert [c["id"] for c in sandbox.comments_on(card_id)] == [action_id]
