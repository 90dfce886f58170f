"""Asana time tracking entries: read per task with tracked time, in pages of 100, with Asana's real JSON shape."""
from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from integrations.asana.mapper import time_entries, with_time_entries
from tests.rules.support import at, rules


def _project(sandbox):
    project = sandbox.add_project("Estudio Sol – redes")
    tasks = [
        sandbox.add_task(project, "Publicaciones de Instagram de diciembre 🎄",
                         created_at=datetime(2026, 11, 26, 10, tzinfo=UTC)),
        sandbox.add_task(project, "Boletín navideño: borrador + envío",
                         created_at=datetime(2026, 11, 27, 10, tzinfo=UTC)),
        sandbox.add_task(project, "Ogłoszenie o wyprzedaży – poprawki",
                         created_at=datetime(2026, 11, 28, 10, tzinfo=UTC)),
    ]
    return project, tasks


def test_entries_are_read_for_tasks_with_tracked_time_and_counted_by_entered_on(adapter, sandbox):
    project, tasks = _project(sandbox)
    sandbox.add_time_entry(tasks[0]["gid"], 90, "2026-11-29", by="Ana García")
    sandbox.add_time_entry(tasks[0]["gid"], 45, "2026-12-01", by="Ana García")   # across the month boundary
    sandbox.add_time_entry(tasks[1]["gid"], 120, "2026-11-30")
    cards = adapter.read_board(project).cards
    tracked = [c.id for c in cards if c.time_tracked_minutes]
    assert sorted(tracked) == sorted([tasks[0]["gid"], tasks[1]["gid"]])  # Asana keeps the total on the task
    sandbox.reset_counts()
    entries = adapter.read_time_entries(tracked)
    assert sandbox.total_requests() == 2 and sandbox.requests[("GET", "/tasks/{task_gid}/time_tracking_entries")] == 2
    assert [(e.minutes, e.entered_on, e.author, e.source) for e in entries[tasks[0]["gid"]]] == [
        (90, date(2026, 11, 29), "Ana García", "asana"), (45, date(2026, 12, 1), "Ana García", "asana")]
    assert sandbox.log[-1][2]["opt_fields"] == "duration_minutes,entered_on,created_by.name"

    # Through the rules: the entries count in the month of their day, not the task's creation month, and
    # come before actual_time_minutes.
    cards = with_time_entries(cards, entries)
    card = next(c for c in cards if c.id == tasks[0]["gid"])
    r = rules("es", tz="Europe/Madrid", hours=2, services=[{"name": "Redes", "keywords": ["instagram"]},
                                                            {"name": "Boletín", "keywords": ["boletín"]}])
    finding = next(f for f in r.evaluate(cards, at("2026-12-05T12:00:00Z")).findings if f.card_id == card.id)
    assert [(p.period.key, p.hours) for p in finding.periods] == [("2026-11", Decimal("1.5")),
                                                                 ("2026-12", Decimal("0.75"))]
    assert "2.25 h from Asana time tracking entries (2)" in finding.evidence


@pytest.mark.parametrize("n", [0, 100, 450])
def test_one_request_per_hundred_entries(adapter, sandbox, n):
    _, tasks = _project(sandbox)
    for i in range(n):
        sandbox.add_time_entry(tasks[i % 3]["gid"], 15, f"2026-11-{1 + i % 28:02d}")
    sandbox.reset_counts()
    entries = adapter.read_time_entries([t["gid"] for t in tasks])
    per_task = [math.ceil(n / 3) if i < n % 3 or n % 3 == 0 else n // 3 for i in range(3)]
    assert sandbox.total_requests() == sum(max(1, math.ceil(k / 100)) for k in per_task)
    assert sum(len(e) for e in entries.values()) == n == sum(per_task)


def test_the_sandbox_answers_like_asana(adapter, sandbox):
    project, tasks = _project(sandbox)
    entry = sandbox.add_time_entry(tasks[2]["gid"], 30, "2026-11-30", by="Kasia Nowak")
    assert set(entry) >= {"gid", "resource_type", "duration_minutes", "entered_on", "attributable_to", "created_by",
                          "task", "created_at", "approval_status", "billable_status"}
    assert entry["resource_type"] == "time_tracking_entry" and entry["attributable_to"]["gid"] == project
    assert sandbox.tasks[tasks[2]["gid"]]["actual_time_minutes"] == 30  # Asana keeps the total on the task
    from integrations.errors import IntegrationError
    with pytest.raises(IntegrationError, match=r"404|task"):
        adapter.read_time_entries(["999999"])


def test_malformed_entries_are_skipped_with_a_warning_naming_them():
    found, warnings = time_entries([
        {"gid": "1", "duration_minutes": 30, "entered_on": "2026-11-30", "created_by": {"name": "Ana"}},
        {"gid": "2", "duration_minutes": "treinta", "entered_on": "2026-11-30"},
        {"gid": "3", "duration_minutes": 15, "entered_on": "30/11/2026"},
        "nonsense",
    ], "t1")
    assert [e.id for e in found] == ["1"] and found[0].author == "Ana"
    assert len(warnings) == 3 and "'duration_minutes'" in warnings[0] and "30/11/2026" in warnings[1]
    assert "expected an object" in warnings[2] and all(w.startswith("task t1:") for w in warnings)
