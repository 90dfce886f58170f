"""Scans read only what changed: Trello's board activity, Asana's modified tasks, a daily whole read."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from integrations._parse import objectid_time
from integrations.reference import make_reference
from integrations.sandbox.trello import ME
from rules.periods import period_of
from scheduler.store.schema import BoardRow, CardRow
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT


def trello_requests(world, since: int) -> list[str]:
    return [f"{e['method']} {e['path']}" for e in world.trello.log[since:]]


def test_an_unchanged_trello_board_costs_one_request_for_all_boards(world, make_worker):
    worker = make_worker(mode="auto")
    client = worker.config.client(TRELLO_CLIENT)
    assert worker.scan(client) == "ok"  # reads the board, posts five comments

    board = world.trello_board
    mark = len(world.trello.log)
    assert worker.scan(client) == "ok"  # one small check finds only our own comments: not a change
    assert trello_requests(world, mark) == ["GET /1/members/me/boards", f"GET /1/boards/{board}/actions"]
    mark = len(world.trello.log)
    assert worker.scan(client) == "ok"
    assert trello_requests(world, mark) == ["GET /1/members/me/boards"]

    world.add_card("Content strategy for the spring", ("consultation",))
    mark = len(world.trello.log)
    assert worker.scan(client) == "ok"
    assert trello_requests(world, mark)[:3] == ["GET /1/members/me/boards", f"GET /1/boards/{board}",
                                                f"GET /1/boards/{board}/actions"]
    trello = {ref for ref, (provider, _) in world.expected.items() if provider == "trello"}
    assert {ref: n for ref, n in world.comment_counts().items() if ref in trello} == dict.fromkeys(trello, 1)


def test_asana_scans_read_modified_tasks_and_a_daily_whole_read_notices_deleted_ones(world, make_worker):
    worker = make_worker(mode="review")
    client = worker.config.client(ASANA_CLIENT)
    project, tasks = world.asana_project, list(world.asana.project_tasks[world.asana_project])
    assert worker.scan(client) == "ok"
    assert world.asana.requests[("GET", "/projects/{project_gid}/tasks")] == 1

    for due in ("2026-12-01", "2026-12-03"):  # moved twice, one scan after each move
        world.asana.update_task(tasks[0], due_on=due)
        assert worker.scan(client) == "ok"
    assert world.asana.requests[("GET", "/tasks")] == 2
    [first] = [c for c in worker.store.cards(ASANA_CLIENT) if c.id == tasks[0]]
    assert [c.new.date().isoformat() for c in first.due_changes] == ["2026-12-03"]  # the first date was planning

    world.asana.project_tasks[project].remove(tasks[1])  # deleted: incremental reads cannot tell
    assert worker.scan(client) == "ok"
    assert not _gone(worker.store)
    with worker.store.session() as session:
        session.execute(update(BoardRow).values(full_read_at=datetime.now(UTC) - timedelta(days=2)))
    assert worker.scan(client) == "ok"

    assert world.asana.requests[("GET", "/projects/{project_gid}/tasks")] == 2
    assert _gone(worker.store) == {tasks[1]}
    [again] = [c for c in worker.store.cards(ASANA_CLIENT) if c.id == tasks[0]]
    assert len(again.due_changes) == 1  # a whole read keeps the due-date moves observed before


def _gone(store) -> set[str]:
    with store.session() as session:
        return {row.card_id for row in session.query(CardRow).where(CardRow.gone_at.is_not(None))}



def test_scans_of_one_round_share_the_tokens_board_activity_request(world, make_worker):
    worker = make_worker(mode="review")
    client = worker.config.client(TRELLO_CLIENT)
    assert worker.scan(client) == "ok"  # the first scan reads the board: later ones ask what changed

    mark = len(world.trello.log)
    scan_round = object()
    worker.observe(client, scan_round)
    worker.observe(client, scan_round)  # e.g. a second client on the same token, in the same `run --once`
    assert trello_requests(world, mark).count("GET /1/members/me/boards") == 1

    worker.observe(client, object())    # a later round asks again
    worker.observe(client)              # and so does a scan on its own
    assert trello_requests(world, mark).count("GET /1/members/me/boards") == 3


def test_a_changed_trello_board_is_read_from_its_actions_and_whole_once_a_day(world, make_worker):
    worker = make_worker(mode="review")
    client = worker.config.client(TRELLO_CLIENT)
    assert worker.scan(client) == "ok"  # the first scan reads the board whole
    board, sandbox = world.trello_board, world.trello
    cards = sorted(c["id"] for c in sandbox.cards.values() if c["idBoard"] == board)
    sandbox.update_card(cards[0], name="Stratégie de contenu 2027 (urgent!!)")
    sandbox.update_card(cards[1], closed=True)
    sandbox.add_comment(cards[2], "plus! 1.5/2 newsletter, pierwsza wersja")

    mark = len(sandbox.log)
    assert worker.scan(client) == "ok"
    assert trello_requests(world, mark) == ["GET /1/members/me/boards", f"GET /1/boards/{board}",
                                            f"GET /1/boards/{board}/actions"]
    assert sandbox.log[-1]["query"]["filter"].startswith("createCard,")
    stored = {c.id: c for c in worker.store.cards(TRELLO_CLIENT)}
    assert stored[cards[0]].title == "Stratégie de contenu 2027 (urgent!!)"
    assert [e.minutes for e in stored[cards[2]].time_entries] == [90.0]
    assert _gone(worker.store) == {cards[1]}

    sandbox.update_card(cards[3], desc="Also the Facebook version, pls 🙏")
    with worker.store.session() as session:  # the configured full_read_every (24h) has passed
        session.execute(update(BoardRow).values(full_read_at=datetime.now(UTC) - timedelta(hours=25)))
    mark = len(sandbox.log)
    assert worker.scan(client) == "ok"
    assert f"GET /1/boards/{board}/actions" in trello_requests(world, mark)
    assert sandbox.log[mark + 1]["query"].get("cards") == "open"  # whole: the board with its cards
    assert {c.id: c for c in worker.store.cards(TRELLO_CLIENT)}[cards[3]].description.startswith("Also the Facebook")


def test_a_card_read_from_its_actions_has_its_comments_asked_before_a_new_comment(world, make_worker):
    worker = make_worker(mode="review")
    client = worker.config.client(TRELLO_CLIENT)
    assert worker.scan(client) == "ok"
    sandbox = world.trello
    [misc] = [c["id"] for c in sandbox.cards.values() if c["name"] == "Misc"]
    sandbox.update_card(misc, name="Content strategy for the spring")  # now a consultation: a new comment

    before = set(worker.store.comment_statuses(TRELLO_CLIENT))
    mark = len(sandbox.log)
    assert worker.scan(client) == "ok"
    # Read from the actions, the card carries only the comments seen since: its own are asked for (a ref
    # already there, from a lost state store, must not be posted twice).
    assert f"GET /1/cards/{misc}/actions" in trello_requests(world, mark)
    created = objectid_time(misc)
    assert created is not None
    period = period_of(created, "month", ZoneInfo("UTC")).key
    assert set(worker.store.comment_statuses(TRELLO_CLIENT)) - before == {
        make_reference("trello", misc, "consultation", period)}


def test_a_card_with_a_long_history_has_only_the_comments_of_its_period_asked(world, make_worker):
    sandbox = world.trello
    [misc] = [c["id"] for c in sandbox.cards.values() if c["name"] == "Misc"]
    now = sandbox.clock
    sandbox.clock = lambda: datetime(2025, 3, 4, 10, tzinfo=UTC).timestamp()  # a card open for a long time
    for n in range(1_100):
        sandbox.add_comment(misc, f"Update {n}: done ✅" if n % 2 else f"**Week {n}** – can u check? 🙏")
    sandbox.clock = now
    worker = make_worker(mode="review")
    client = worker.config.client(TRELLO_CLIENT)
    assert worker.scan(client) == "ok"
    sandbox.update_card(misc, name="Content strategy for the spring")  # now a consultation: a new comment
    created = objectid_time(misc)
    assert created is not None
    period = period_of(created, "month", ZoneInfo("UTC"))
    reference = make_reference("trello", misc, "consultation", period.key)
    # Already on the card: posted by a store since lost (it must not be queued again).
    sandbox.add_comment(misc, f"Happy to help with strategy 🙂 ref {reference}", member=ME)

    mark = len(sandbox.log)
    assert worker.scan(client) == "ok"

    asked = [e for e in sandbox.log[mark:] if e["path"] == f"/1/cards/{misc}/actions"]
    # One page, from two days before the period began: not the 1,100 older comments' two pages.
    assert [e["query"].get("since") for e in asked] == [f"{period.start - timedelta(days=2)}T00:00:00.000Z"]
    assert worker.store.comment_statuses(TRELLO_CLIENT)[reference] == "reconciled"
