"""Change detection: one request per token when nothing changed; our own comments do not count as change."""
from __future__ import annotations

import pytest

from integrations.reference import with_reference
from integrations.sandbox.trello import synthetic_export
from tests.trello.support import requests_of


@pytest.fixture
def boards(sandbox) -> list[str]:
    return [sandbox.load_export(synthetic_export(4, seed=seed)) for seed in (1, 2, 3)]


@pytest.fixture
def last_seen(adapter, boards) -> dict:
    """What a first scan records: each board's activity as its read saw it."""
    return {b: adapter.read_board(b).last_activity for b in boards}


def _first_card(sandbox, board_id: str) -> str:
    return next(c["id"] for c in sandbox.cards.values() if c["idBoard"] == board_id)


def test_unchanged_boards_cost_one_request_for_all(adapter, boards, last_seen):
    before = adapter.requests_made

    assert adapter.changed_boards(boards, last_seen) == []
    assert adapter.requests_made - before == 1


def test_client_activity_makes_a_board_changed(sandbox, clock, adapter, boards, last_seen):
    clock.sleep(60)
    sandbox.add_comment(_first_card(sandbox, boards[1]), "Any news on this?")
    before = adapter.requests_made

    assert adapter.changed_boards(boards, last_seen) == [boards[1]]
    assert adapter.requests_made - before == 1


def test_our_own_comment_does_not_make_a_board_look_changed(sandbox, clock, adapter, boards, last_seen):
    clock.sleep(60)
    adapter.post_comment(_first_card(sandbox, boards[0]), with_reference("That is a consultation.", "SK-000001"))
    clock.sleep(60)
    adapter.post_comment(_first_card(sandbox, boards[0]), with_reference("Extra hours.", "SK-000002"))
    before = adapter.requests_made

    assert adapter.changed_boards(boards, last_seen) == []
    assert adapter.requests_made - before == 2  # the activity list, and one check of what moved the board
    assert adapter.changed_boards(boards, last_seen) == []
    assert adapter.requests_made - before == 3  # settled: nothing more to check, ever


def test_client_activity_after_our_comment_is_seen(sandbox, clock, adapter, boards, last_seen):
    card = _first_card(sandbox, boards[0])
    clock.sleep(60)
    adapter.post_comment(card, with_reference("That is a consultation.", "SK-000001"))
    clock.sleep(60)
    sandbox.add_comment(card, "OK, booked!")

    assert adapter.changed_boards(boards, last_seen) == [boards[0]]


def test_client_activity_between_our_read_and_our_comment_is_seen(sandbox, clock, adapter, boards, last_seen):
    clock.sleep(60)
    sandbox.add_card(boards[2], "Please also redo the website")  # while the VA reviews the planned comments
    clock.sleep(600)
    adapter.post_comment(_first_card(sandbox, boards[2]), with_reference("That is a consultation.", "SK-000001"))
    before = adapter.requests_made

    assert adapter.changed_boards(boards, last_seen) == [boards[2]]
    checks = requests_of(sandbox, "GET", f"/boards/{boards[2]}/actions")[-1]
    assert checks["query"]["limit"] == "2" and "since" in checks["query"]
    assert adapter.requests_made - before == 2


def test_boards_never_read_or_gone_count_as_changed(sandbox, adapter, boards, last_seen):
    unseen = dict(last_seen)
    del unseen[boards[0]]
    gone = "5f0c1a2b3c4d5e6f7a8b9c0d"

    assert adapter.changed_boards([*boards, gone], {**unseen, gone: last_seen[boards[1]]}) == [boards[0], gone]
