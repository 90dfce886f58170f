"""The worker's pure decisions: card changes after reads, comments for live cards only, the ledger."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from integrations.models import Card
from integrations.reference import references_in
from scheduler.config.models import parse_config
from scheduler.records.codec import card_to_json, digest
from scheduler.records.state import BoardUpdate, ClientState, KnownCard, NewIntent, OutboxEntry, text_fingerprint
from scheduler.worker.observe import BoardRead
from scheduler.worker.plan import apply_reads, ledger, new_and_reworded, planned_comments
from scheduler.worker.scan import rules_for
from tests.worker.support import TRELLO_CLIENT, config_text

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
CLIENT = parse_config(config_text("sqlite://")).client(TRELLO_CLIENT)


def card(n: int, title: str, board: str = "b1") -> Card:
    return Card(id=f"c{n}", title=title, created_at=NOW - timedelta(hours=10 - n), board_id=board,
                url=f"https://trello.com/c/c{n}")


def known(*cards: Card, gone: tuple[str, ...] = ()) -> ClientState:
    return ClientState({("trello", c.id): KnownCard(c, digest(card_to_json(c)), None, c.id in gone) for c in cards},
                       {}, {})


def read(board: str, *cards: Card) -> BoardRead:
    return BoardRead("trello", board, cards, True, BoardUpdate("trello", board, "ok"))


def test_a_gone_card_counts_in_the_ledger_but_gets_no_comment():
    gone, live = card(1, "Newsletter for December [2h]"), card(2, "Instagram posts [2h]")
    result = rules_for(CLIENT).evaluate([gone, live], NOW)

    planned = planned_comments(result, {live.id: live})

    assert [(p.card_id, p.kind) for p in planned] == [("c2", "extra_hours")]  # 2 h + 2 h against 3 h
    assert references_in(planned[0].text) == [planned[0].reference]
    [month] = ledger(result)
    assert (month.used, month.extra, month.extra_amount) == (4, 1, 45)


def test_reads_mark_missing_cards_gone_and_bring_back_returning_ones():
    stays, leaves, moves, back = card(1, "A"), card(2, "B"), card(3, "C"), card(4, "D")
    state = known(stays, leaves, moves, back, gone=("c4",))
    edited = replace(stays, title="A, edited")

    changes = apply_reads(state, [read("b1", edited, back), read("b2", replace(moves, board_id="b2"))])

    assert changes.newly_gone == [("trello", "c2")]       # missing from its board's whole read
    assert changes.returned == [("trello", "c4")]
    assert changes.gone == {("trello", "c2")}             # c3 moved to the client's other board: not gone
    assert [c.id for c, _ in changes.changed] == ["c1", "c3"] and not changes.new
    assert changes.cards[("trello", "c2")] == leaves       # kept as last seen, for the ledger


def test_an_unread_board_changes_nothing():
    state = known(card(1, "A"))
    changes = apply_reads(state, [BoardRead("trello", "b1", None, False, BoardUpdate("trello", "b1", "error"))])
    assert not changes.any and not changes.gone


def test_queued_wording_follows_the_findings_unless_the_va_edited_it():
    def intent(card_id: str, text: str) -> NewIntent:
        return NewIntent("trello", "b1", card_id, "extra_hours", "2026-11", f"SK-00000{card_id[-1]}", text, "", "")

    recorded = {"c1": OutboxEntry(1, "pending_review", False, "old"),
                "c2": OutboxEntry(2, "pending_review", True, "mine"),
                "c3": OutboxEntry(3, "sent", False, "old")}
    state = ClientState({}, {}, {("trello", card, "extra_hours", "2026-11"): e for card, e in recorded.items()})

    new, reworded = new_and_reworded([intent("c1", "new"), intent("c2", "new"), intent("c3", "new"),
                                      intent("c4", "new")], state)

    assert [i.card_id for i in new] == ["c4"]
    assert reworded == [(1, "new")]


def test_queued_wording_is_compared_by_fingerprint_when_the_store_kept_no_text():
    # The store gives thousands of queued comments as fingerprints: a wording change is still seen, an equal
    # wording (accents, emoji, markdown and all) is not.
    same = "Bonjour Claire ! La refonte du **logo** 🎨 n'est pas incluse dans le forfait : 2 h à 45 €."
    before = "Dzień dobry, Pani Anno: ta prośba (faktura za listopad) wykracza poza umowę, 3 h."
    after = "Dzień dobry, Pani Anno: ta prośba (faktura za listopad) wykracza poza umowę, 3,5 h."
    recorded = {"c1": OutboxEntry(1, "pending_review", False, fingerprint=text_fingerprint(same)),
                "c2": OutboxEntry(2, "pending_review", False, fingerprint=text_fingerprint(before)),
                "c3": OutboxEntry(3, "pending_review", True, fingerprint=text_fingerprint(before))}
    state = ClientState({}, {}, {("trello", card, "extra_hours", "2026-11"): e for card, e in recorded.items()})
    planned = [NewIntent("trello", "b1", card_id, "extra_hours", "2026-11", f"SK-00000{card_id[-1]}", text, "", "")
               for card_id, text in (("c1", same), ("c2", after), ("c3", after))]

    new, reworded = new_and_reworded(planned, state)

    assert new == [] and reworded == [(2, after)]
    assert recorded["c2"].reads(before) and not recorded["c2"].reads(after)


def test_no_comments_on_cards_from_before_the_previous_period():
    old = replace(card(1, "Content strategy for 2026"), created_at=datetime(2026, 9, 15, 12, tzinfo=UTC))
    last_month = replace(card(2, "Strategy for the launch"), created_at=datetime(2026, 10, 20, 12, tzinfo=UTC))
    this_month = card(3, "Strategy for 2027")
    result = rules_for(CLIENT).evaluate([old, last_month, this_month], NOW)
    assert {f.card_id for f in result.findings if f.response == "consultation"} == {"c1", "c2", "c3"}

    planned = planned_comments(result, {c.id: c for c in (old, last_month, this_month)})

    assert sorted(p.card_id for p in planned) == ["c2", "c3"]


def test_signed_comments_end_with_the_signature_line_and_the_va_edits_only_the_body():
    from dataclasses import asdict

    from scheduler.store.outbox import Intent
    from scheduler.worker.review import editable_text, edited_text

    cards = [card(1, "Newsletter for December [2h]"), card(2, "Instagram posts [2h]")]
    result = rules_for(CLIENT).evaluate(cards, NOW)
    [planned] = planned_comments(result, {c.id: c for c in cards}, "Anna")
    assert planned.text.endswith(f"\n\n— Anna · ref {planned.reference}")
    assert references_in(planned.text) == [planned.reference]

    intent = Intent(**asdict(planned), id=1, client=CLIENT.name, status="pending_review", edited=False, attempts=0,
                    error=None)
    shown = editable_text(intent)
    assert "Anna" not in shown and "ref " not in shown and shown.startswith("Happy to take this on!")
    assert edited_text(intent, "One extra hour, $45.\n") == f"One extra hour, $45.\n\n— Anna · ref {planned.reference}"
    assert edited_text(intent, shown) is None  # saved unchanged
