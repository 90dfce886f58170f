"""Live reads through the real SDK against the loopback sandbox: identity with the export, request costs."""
from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest

from integrations.asana.mapper import TASK_FIELDS
from integrations.exports import read_export
from integrations.models import BoardSnapshot, Card, DueChange, merge_incremental

PROJECT_TASKS = ("GET", "/projects/{project_gid}/tasks")
MODIFIED_TASKS = ("GET", "/tasks")
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class SandboxClock:
    """The sandbox's notion of now, moved by the test."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sandbox_clock(sandbox) -> SandboxClock:
    sandbox.clock = SandboxClock()
    return sandbox.clock


def test_live_read_of_the_fixture_project_equals_the_export(shared_dir, sandbox, adapter):
    path = shared_dir / "fixtures" / "es_asana_export.json"
    project = sandbox.load_export(json.loads(path.read_text(encoding="utf-8")))

    live = adapter.read_board(project)
    exported = read_export(path)

    assert len(live.cards) == 9 and live.cards == exported.cards
    assert (live.provider, live.id, live.warnings) == (exported.provider, exported.id, exported.warnings)
    assert {c.time_tracked_minutes for c in live.cards} == {None, 60.0, 90.0, 120.0}
    assert sandbox.requests == {PROJECT_TASKS: 1}


@pytest.mark.parametrize("n", [0, 100, 101, 1001])
def test_a_full_read_costs_one_request_per_page_of_100(sandbox, adapter, n):
    project = sandbox.generate_project(n)

    snapshot = adapter.read_board(project)

    expected = max(1, math.ceil(n / 100))
    assert [c.id for c in snapshot.cards] == sandbox.project_tasks[project]
    assert sandbox.requests == {PROJECT_TASKS: expected}
    assert adapter.requests_made == expected
    sent = [query for _, _, query in sandbox.log]
    assert all(q["limit"] == "100" and q["opt_fields"] == ",".join(TASK_FIELDS) for q in sent)
    assert ["offset" in q for q in sent] == [False] + [True] * (expected - 1)


def test_synthetic_tasks_carry_what_the_rules_use(sandbox, adapter):
    snapshot = adapter.read_board(sandbox.generate_project(60, seed=3))

    assert not snapshot.warnings
    assert {c.list for c in snapshot.cards} == {"To do", "Doing", "Done"}
    assert any(c.due for c in snapshot.cards) and any(c.labels == ("Newsletter",) for c in snapshot.cards)
    assert any(isinstance(c.custom_fields.get("Hours"), float) for c in snapshot.cards)


@pytest.mark.parametrize("k, expected", [(0, 1), (5, 1), (150, 2)])
def test_an_incremental_read_costs_ceil_k_over_100_and_at_least_the_one_listing(
        sandbox, sandbox_clock, adapter, k, expected):
    project = sandbox.generate_project(300)
    since = sandbox_clock.now
    sandbox_clock.now += timedelta(minutes=30)
    changed = sandbox.project_tasks[project][10:10 + k]
    for gid in changed:
        sandbox.update_task(gid, due_on="2026-12-01")

    cards = adapter.read_modified(project, since)

    assert sorted(c.id for c in cards) == sorted(changed)
    assert all(c.due == datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC) for c in cards)
    assert sandbox.requests == {MODIFIED_TASKS: expected}
    assert sandbox.log[0][2]["modified_since"] == "2026-11-20T12:00:00.000Z"
    assert sandbox.log[0][2]["project"] == project


def test_read_modified_refuses_a_naive_datetime_before_any_request(sandbox, adapter):
    with pytest.raises(ValueError, match="timezone-aware"):
        adapter.read_modified(sandbox.generate_project(1), datetime(2026, 11, 20, 12, 0))
    assert sandbox.total_requests() == 0


def test_rescheduling_is_what_scopekeeper_saw_between_scans(sandbox, sandbox_clock, adapter):
    project = sandbox.generate_project(120)
    moved, first_due, untouched = sandbox.project_tasks[project][:3]
    sandbox.update_task(moved, due_on="2026-11-25", modified_at=T0 - timedelta(days=2))
    sandbox.update_task(first_due, due_on=None, modified_at=T0 - timedelta(days=2))
    snapshot = adapter.read_board(project)
    assert all(not c.due_changes for c in snapshot.cards)  # history before the first scan is unknown

    for due in ("2026-11-27", "2026-11-30"):
        since = sandbox_clock.now
        sandbox_clock.now += timedelta(hours=1)
        sandbox.update_task(moved, due_on=due)
        sandbox.update_task(first_due, due_on=due)
        sandbox.update_task(untouched, name="Renamed, same due date")
        snapshot = merge_incremental(snapshot, adapter.read_modified(project, since), observed_at=sandbox_clock.now)

    cards = {c.id: c for c in snapshot.cards}
    assert cards[moved].due_changes == (
        DueChange(at=T0 + timedelta(hours=1), old=_day(25), new=_day(27)),
        DueChange(at=T0 + timedelta(hours=2), old=_day(27), new=_day(30)),
    )
    # Its first due date (set between scans) was planning; the move after it counts.
    assert cards[first_due].due_changes == (DueChange(at=T0 + timedelta(hours=2), old=_day(27), new=_day(30)),)
    assert cards[untouched].title == "Renamed, same due date" and cards[untouched].due_changes == ()
    assert len(snapshot.cards) == 120 and sandbox.requests[MODIFIED_TASKS] == 2


def _day(day: int) -> datetime:
    """A date-only due date as the mapper reads it: the end of that day, UTC."""
    return datetime(2026, 11, day, 23, 59, 59, tzinfo=UTC)


def _card(gid: str, due: datetime | None, **fields) -> Card:
    return Card(id=gid, title=f"task {gid}", created_at=T0, provider="asana", board_id="p", due=due, **fields)


def test_merge_incremental_replaces_adds_and_keeps_order():
    earlier = DueChange(at=T0, old=T0, new=T0 + timedelta(days=1))
    previous = BoardSnapshot("asana", "p", "", (_card("1", T0, due_changes=(earlier,)), _card("2", None),
                                                _card("3", T0)), warnings=("w",))
    later = T0 + timedelta(days=3)

    merged = merge_incremental(previous, [_card("3", None), _card("4", T0), _card("1", T0 + timedelta(days=2))], later)

    assert [c.id for c in merged.cards] == ["1", "2", "3", "4"]
    assert merged.cards[0].due_changes == (earlier, DueChange(at=later, old=T0, new=T0 + timedelta(days=2)))
    assert merged.cards[1] is previous.cards[1]
    assert merged.cards[2].due_changes == (DueChange(at=later, old=T0, new=None),)  # due date removed
    assert merged.cards[3].due_changes == ()  # a new task has no history
    assert merged.warnings == ("w",) and previous.cards[2].due == T0  # the previous snapshot is untouched
