"""A live board read through the sandbox equals the export reader's, in two requests whatever the size."""
from __future__ import annotations

import copy
import json

import pytest

from integrations.errors import NotFound
from integrations.exports import read_export
from integrations.sandbox.trello import synthetic_export
from integrations.trello.mapper import board_snapshot
from tests.trello.support import LANGUAGES, fixture_export, load_fixture, requests_of


@pytest.mark.parametrize("language", LANGUAGES)
def test_live_board_equals_its_export(language, shared_dir, sandbox, adapter):
    board_id = load_fixture(sandbox, shared_dir, language)

    live = adapter.read_board(board_id)

    exported = read_export(fixture_export(shared_dir, language))
    assert live.cards and live.cards == exported.cards
    assert live == exported  # id, name, warnings and last activity too
    assert adapter.requests_made == 2


@pytest.mark.parametrize("cards", [10, 240])  # 240 cards: 960 actions, one page
def test_a_board_costs_two_requests_whatever_its_size(cards, sandbox, adapter):
    board_id = sandbox.load_export(synthetic_export(cards, comments_per_card=2, due_changes_per_card=2))

    snapshot = adapter.read_board(board_id)

    assert len(snapshot.cards) == cards
    assert all(len(c.comments) == 2 and len(c.due_changes) == 1 for c in snapshot.cards)
    assert adapter.requests_made == 2


def test_actions_past_1000_are_paged_back_with_before(sandbox, adapter):
    export = synthetic_export(500, comments_per_card=5)
    board_id = sandbox.load_export(export)

    snapshot = adapter.read_board(board_id)

    assert snapshot.cards == board_snapshot(export).cards
    assert sum(len(c.comments) for c in snapshot.cards) == 2500
    pages = requests_of(sandbox, "GET", "/actions")
    assert [("before" in p["query"]) for p in pages] == [False, True, True]
    newest_first = sorted((a for a in export["actions"] if a["type"] == "commentCard"),
                          key=lambda a: a["id"], reverse=True)
    assert [p["query"].get("before") for p in pages[1:]] == [newest_first[999]["id"], newest_first[1999]["id"]]
    assert adapter.requests_made == 4


def test_cards_in_archived_lists_and_archived_cards_are_left_out_as_in_the_export(shared_dir, sandbox, adapter):
    export = json.loads(fixture_export(shared_dir, "en").read_text(encoding="utf-8"))
    changed = copy.deepcopy(export)
    archived = changed["lists"][1]
    archived["closed"] = True
    for card in changed["cards"][:3]:
        card["idList"] = archived["id"]
    changed["cards"][-1]["closed"] = True
    board_id = sandbox.load_export(changed)

    live = adapter.read_board(board_id)

    assert live.cards == board_snapshot(changed).cards
    assert len(live.cards) == len(board_snapshot(export).cards) - 4


def test_a_deleted_board_is_not_found(adapter):
    with pytest.raises(NotFound, match="not found"):
        adapter.read_board("5f0c1a2b3c4d5e6f7a8b9c0d")
    assert adapter.requests_made == 1
