"""Asana time tracking entries: read per project in pages of 100, by task, with Asana's real JSON shape."""
from __future__ import annotations

import math
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from integrations.asana.mapper import time_entries, with_time_entries
from rules_support import at, rules
from asana_support import adapter, connect, fake_time, sandbox, server  # noqa: F401 (fixtures)


def _project(sandbox):
    project = sandbox.add_project("Estudio Sol – redes")
    tasks = [
        sandbox.add_task(project, "Publicaciones de Instagram de diciembre 🎄",
                         created_at=datetime(2026, 11, 26, 10, tzinfo=timezone.utc)),
        sandbox.add_task(project, "Boletín navideño: borrador + envío",
                         created_at=datetime(2026, 11, 27, 10, tzinfo=timezone.utc)),
        sandbox.add_task(project, "Ogłoszenie o wyprzedaży – poprawki",
                         created_at=datetime(2026, 11, 28, 10, tzinfo=timezone.utc)),
    ]
    return project, tasks


def test_entries_are_read_for_the_whole_project_in_pages_and_assigned_by_entered_on(adapter, sandbox):
    project, tasks = _project(sandbox)
    sandbox.add_time_entry(tasks[0]["gid"], 90, "2026-11-29", by="Ana García")
    sandbox.add_time_entry(tasks[0]["gid"], 45, "2026-12-01", by="Ana García")   # across the month boundary
    sandbox.add_time_entry(tasks[1]["gid"], 120, "2026-11-30")
    other = sandbox.add_project("Another client")
    stranger = sandbox.add_task(other, "Not this client's task")
    sandbox.add_time_entry(stranger["gid"], 600, "2026-11-30")
    sandbox.reset_counts()
    entries = adapter.read_time_entries(project)
    assert sandbox.total_requests() == 1 and adapter.requests_made == 1
    assert set(entries) == {tasks[0]["gid"], tasks[1]["gid"]}
    assert [(e.minutes, e.entered_on, e.author, e.source) for e in entries[tasks[0]["gid"]]] == [
        (90, date(2026, 11, 29), "Ana García", "asana"), (45, date(2026, 12, 1), "Ana García", "asana")]
    recent = adapter.read_time_entries(project, since=date(2026, 12, 1))
    assert {g: [e.minutes for e in es] for g, es in recent.items()} == {tasks[0]["gid"]: [45]}
    query = sandbox.log[-1][2]
    assert query["attributable_to"] == project and query["entered_on_start_date"] == "2026-12-01"

    # Through the rules: the entries count in the month of their day, not the task's creation month.
    cards = with_time_entries(adapter.read_board(project).cards, entries)
    card = next(c for c in cards if c.id == tasks[0]["gid"])
    r = rules("es", tz="Europe/Madrid", hours=2, services=[{"name": "Redes", "keywords": ["instagram"]},
                                                            {"name": "Boletín", "keywords": ["boletín"]}])
    finding = next(f for f in r.evaluate(cards, at("2026-12-05T12:00:00Z")).findings if f.card_id == card.id)
    assert [(p.period.key, p.hours) for p in finding.periods] == [("2026-11", Decimal("1.5")),
                                                                 ("2026-12", Decimal("0.75"))]
    assert "2.25 h from Asana time tracking entries (2)" in finding.evidence


@pytest.mark.parametrize("n", [0, 100, 250])
def test_one_request_per_hundred_entries(adapter, sandbox, n):
    project, tasks = _project(sandbox)
    for i in range(n):
        sandbox.add_time_entry(tasks[i % 3]["gid"], 15, f"2026-11-{1 + i % 28:02d}")
    sandbox.reset_counts()
    entries = adapter.read_time_entries(project)
    assert sandbox.total_requests() == max(1, math.ceil(n / 100))
    assert sum(len(e) for e in entries.values()) == n


def test_the_sandbox_answers_like_asana(adapter, sandbox):
    project, tasks = _project(sandbox)
    entry = sandbox.add_time_entry(tasks[2]["gid"], 30, "2026-11-30", by="Kasia Nowak")
    assert set(entry) >= {"gid", "resource_type", "duration_minutes", "entered_on", "attributable_to", "created_by",
                          "task", "created_at", "approval_status", "billable_status"}
    assert entry["resource_type"] == "time_tracking_entry" and entry["attributable_to"]["gid"] == project
    assert sandbox.tasks[tasks[2]["gid"]]["actual_time_minutes"] == 30  # Asana keeps the total on the task
    from integrations.errors import IntegrationError
    with pytest.raises(IntegrationError, match="400|Must specify"):
        adapter._http.list_all("GET /time_tracking_entries", adapter._time.get_time_tracking_entries,
                               params={"opt_fields": "duration_minutes"})


def test_malformed_entries_are_skipped_with_a_warning_naming_them():
    found, warnings = time_entries([
        {"gid": "1", "duration_minutes": 30, "entered_on": "2026-11-30", "task": {"gid": "t1"},
         "created_by": {"name": "Ana"}},
        {"gid": "2", "duration_minutes": "treinta", "entered_on": "2026-11-30", "task": {"gid": "t1"}},
        {"gid": "3", "duration_minutes": 15, "entered_on": "30/11/2026", "task": {"gid": "t2"}},
        {"gid": "4", "duration_minutes": 15, "entered_on": "2026-11-30"},
        "nonsense",
    ])
    assert {task: [e.id for e in es] for task, es in found.items()} == {"t1": ["1"]}
    assert len(warnings) == 4 and "'duration_minutes'" in warnings[0] and "30/11/2026" in warnings[1]
    assert "names no task" in warnings[2] and "expected an object" in warnings[3]
