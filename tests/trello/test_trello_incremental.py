"""Incremental reads: the actions since the previous read, applied to its cards, give what a whole read gives."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from integrations.sandbox.trello import synthetic_export
from integrations.trello.adapter import ARRIVALS_READ
from tests.trello.support import requests_of

OVERLAP = timedelta(minutes=5)  # as the worker asks: a little before the previous read


@pytest.fixture
def board(sandbox) -> str:
    """A client's board with labels, a number field and 300 cards carrying comments."""
    board_id = sandbox.load_export(synthetic_export(300, seed=4))
    sandbox.boards[board_id]["labels"].append({"id": "64bb5a809c05fd126b61ef99", "idBoard": board_id,
                                               "name": "Pilne", "color": "red"})
    return board_id


def _now(clock) -> datetime:
    return datetime.fromtimestamp(clock(), UTC)


def _cards(sandbox, board_id: str) -> list[str]:
    return sorted(c["id"] for c in sandbox.cards.values() if c["idBoard"] == board_id)


def _comparable(cards) -> dict:
    """Cards by id without their comments: an incremental read carries only the comments it saw."""
    return {card.id: replace(card, comments=()) for card in cards}


def _incremental(adapter, board_id: str, previous, since: datetime):
    """What the worker does with an incremental read: the previous cards with the changed ones in their place."""
    changes = adapter.read_changes(board_id, previous, since - OVERLAP)
    assert changes is not None
    merged = {card.id: card for card in previous} | {card.id: card for card in changes.cards}
    return changes, {i: c for i, c in merged.items() if i not in changes.removed}


def test_every_kind_of_change_comes_through_as_a_whole_read_would_see_it(sandbox, clock, adapter, board):
    cards = _cards(sandbox, board)
    sandbox.move_due(cards[7], datetime(2026, 12, 2, tzinfo=UTC))  # planned before the first read
    first = adapter.read_board(board)
    read_at = _now(clock)
    clock.sleep(3600)
    lists = sandbox.boards[board]["lists"]
    other = sandbox.add_board("Another client", number_fields=["Hours"])
    # The client's morning, in four languages, the way clients write.
    sandbox.update_card(cards[0], name="Newsletter de décembre — URGENT 🙏")                      # renamed
    sandbox.update_card(cards[1], idList=lists[2]["id"])                                         # moved
    sandbox.update_card(cards[2], closed=True)                                                   # archived
    comment = sandbox.add_comment(cards[3], "¿Podrías también hacer los posts de IG?? Gracias!!")  # commented
    sandbox.delete_card(cards[4])                                                                # deleted
    sandbox.set_number(cards[5], "Hours", 3.5)                                                   # custom field
    sandbox.update_card(cards[6], desc="**Nowy** zakres: 5 postów na FB + grafiki (bez reklam)")  # description
    sandbox.move_due(cards[6], datetime(2026, 12, 1, tzinfo=UTC))
    sandbox.move_due(cards[7], datetime(2026, 12, 9, tzinfo=UTC))                                # rescheduled
    sandbox.update_card(cards[8], dueComplete=True)
    sandbox.label_card(cards[9], "Pilne")
    sandbox.label_card(cards[10], "Newsletter", add=False)
    sandbox.move_card_to_board(cards[11], other)                                                 # moved away
    plus = sandbox.add_comment(cards[12], "plus! 2/3 ulotka A5")
    sandbox.edit_comment(plus["id"], "plus! 1.5/3 ulotka A5 (poprawka)")
    oops = sandbox.add_comment(cards[13], "plus! 4/4 wrong card, sorry")
    sandbox.delete_comment(oops["id"])
    created = sandbox.add_card(board, "Site web: page « Tarifs » à refaire", list_index=1,
                               desc="Comme discuté au tél. 😊", due="2026-12-04T17:00:00.000Z")
    sandbox.update_card(cards[14], closed=True)
    sandbox.update_card(cards[14], closed=False)                                                 # brought back
    before = adapter.requests_made

    changes, merged = _incremental(adapter, board, first.cards, read_at)

    assert adapter.requests_made - before == 2 + 2  # board, actions; the new card and the unarchived one
    assert set(changes.removed) == {cards[2], cards[4], cards[11]}
    whole = adapter.read_board(board)
    assert _comparable(merged.values()) == _comparable(whole.cards)
    assert [c.text for c in merged[cards[3]].comments][-1] == comment["data"]["text"]
    assert [(e.minutes, e.text) for e in merged[cards[12]].time_entries] == [(90.0, "plus! 1.5/3 ulotka A5 (poprawka)")]
    assert merged[cards[13]].time_entries == ()
    assert merged[created["id"]].description == "Comme discuté au tél. 😊"
    assert [c.new for c in merged[cards[7]].due_changes] == [datetime(2026, 12, 9, tzinfo=UTC)]
    assert changes.last_activity == whole.last_activity and changes.cursor == whole.last_activity


def test_a_change_on_a_big_board_costs_two_requests_and_no_history(sandbox, clock, adapter):
    board = sandbox.load_export(synthetic_export(2000, seed=5))
    first = adapter.read_board(board)
    full_cost = len(requests_of(sandbox, "GET"))
    read_at = _now(clock)
    clock.sleep(600)
    card = _cards(sandbox, board)[17]
    sandbox.add_comment(card, "Could you also do the Christmas promo? Same price as last time I guess :)")
    sandbox.update_card(card, name="Request 18: newsletter + Christmas promo")
    mark = len(sandbox.log)

    changes, merged = _incremental(adapter, board, first.cards, read_at)

    assert full_cost >= 5  # the board, then 4,000 comments 1,000 at a time
    assert [e["path"] for e in sandbox.log[mark:]] == [f"/1/boards/{board}", f"/1/boards/{board}/actions"]
    assert [c.id for c in changes.cards] == [card]
    assert merged[card].title == "Request 18: newsletter + Christmas promo"
    assert sandbox.log[-1]["query"]["since"] == (read_at - OVERLAP).isoformat(timespec="milliseconds")[:-6] + "Z"


def test_paging_past_a_thousand_actions_loses_nothing(sandbox, clock, adapter, board):
    first = adapter.read_board(board)
    read_at = _now(clock)
    clock.sleep(60)
    cards = _cards(sandbox, board)
    said = [sandbox.add_comment(cards[n % 50], f"Komentarz {n}: prośba o zmianę #{n}") for n in range(1500)]
    before = adapter.requests_made  # all 1,500 in the same second: only the ids keep their order

    _, merged = _incremental(adapter, board, first.cards, read_at)

    assert adapter.requests_made - before == 3  # the board, two pages of actions
    seen = {c.id for card in merged.values() for c in card.comments}
    assert seen - {c.id for card in first.cards for c in card.comments} == {a["id"] for a in said}


def test_replaying_actions_already_applied_changes_nothing(sandbox, clock, adapter, board):
    first = adapter.read_board(board)
    read_at = _now(clock)
    clock.sleep(60)
    card = _cards(sandbox, board)[20]
    sandbox.move_due(card, datetime(2026, 12, 2, tzinfo=UTC))
    sandbox.move_due(card, datetime(2026, 12, 5, tzinfo=UTC))
    sandbox.add_comment(card, "Merci ! On décale encore ?")
    _, once = _incremental(adapter, board, first.cards, read_at)

    _, twice = _incremental(adapter, board, list(once.values()), read_at)

    assert twice == once
    assert len(twice[card].due_changes) == 1  # the first due date was planning; the move is counted once


def test_a_renamed_list_or_many_new_cards_ask_for_a_whole_read(sandbox, clock, adapter, board):
    first = adapter.read_board(board)
    read_at = _now(clock)
    clock.sleep(60)
    sandbox.update_list(board, 0, name="Zrobione ✅")
    assert adapter.read_changes(board, first.cards, read_at) is None

    second = adapter.read_board(board)
    read_at = _now(clock)
    clock.sleep(60)
    sandbox.update_list(board, 1, pos=99999)  # lists reordered: nothing a card shows
    for n in range(ARRIVALS_READ + 1):
        sandbox.add_card(board, f"Tarea nueva {n}: post de Instagram")
    before = adapter.requests_made
    assert adapter.read_changes(board, second.cards, read_at) is None
    assert adapter.requests_made - before == 2  # found out before reading any of them


def test_an_unreadable_action_is_left_out_and_the_others_still_apply(sandbox, clock, adapter, board):
    first = adapter.read_board(board)
    read_at = _now(clock)
    clock.sleep(60)
    cards = _cards(sandbox, board)
    broken = sandbox.update_card(cards[30], name="Logo refresh")[0]
    sandbox.actions[broken["id"]]["data"]["card"]["name"] = 42
    sandbox.update_card(cards[31], name="Banner for the webinar (EN + FR)")

    changes, merged = _incremental(adapter, board, first.cards, read_at)

    assert merged[cards[31]].title == "Banner for the webinar (EN + FR)"
    assert merged[cards[30]].title == first.cards[[c.id for c in first.cards].index(cards[30])].title
    [warning] = changes.warnings
    assert broken["id"] in warning and "'name' should be a string" in warning and "42" in warning
