"""Modes and robustness of `scopekeeper run`: dry runs write nothing, the write budget holds, one client's
trouble never stops the others, and SIGTERM stops between cards."""
from __future__ import annotations

import signal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from scheduler.cli.main import cli
from scheduler.store import open_store
from scheduler.store.outbox import Outbox
from scheduler.store.schema import Base
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, Background, run

pytestmark = pytest.mark.slow  # real `scopekeeper run` processes


def state_dump(world) -> list:
    """Every row of every table, and for SQLite the files beside the database."""
    store = open_store(world.state_url, read_only=True)
    try:
        with store.session() as session:
            rows = [[tuple(row) for row in session.execute(select(table))] for table in Base.metadata.sorted_tables]
    finally:
        store.close()
    return [*rows, sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in world.tmp.rglob("*"))]


def posts(world) -> int:
    return (sum(1 for e in world.trello.log if e["method"] == "POST")
            + sum(n for (method, _), n in world.asana.requests.items() if method == "POST"))


def test_a_dry_run_prints_the_plan_and_writes_nothing_anywhere(world, backend):
    config = world.config(mode="review")
    files = sorted(p.name for p in world.tmp.iterdir())

    first = run(world, config, "--mode", "dry-run")

    assert first.code == 0, first.stderr
    for reference in world.expected:
        assert f"ref {reference}" in first.stdout
    assert "5 new comment(s) this scan would queue for review" in first.stdout
    assert posts(world) == 0
    assert sorted(p.name for p in world.tmp.iterdir()) == files  # no state file, no lock files

    assert run(world, config).code == 0  # a review run queues them
    store = open_store(world.state_url)
    outbox = Outbox(store)
    outbox.approve(outbox.listed(("pending_review",))[0].id)
    store.close()
    before = state_dump(world)
    again = run(world, config, "--mode", "dry-run")

    assert again.code == 0, again.stderr
    assert "1 approved comment(s) are waiting to be posted" in again.stdout
    assert "nothing new to comment on" in again.stdout
    assert state_dump(world) == before and posts(world) == 0


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_write_budget_leaves_the_rest_for_the_next_runs(world):
    config = world.config(mode="auto", budget=2)
    totals, warned = [], []

    for _ in range(3):
        result = run(world, config)
        assert result.code == 0, result.stderr
        totals.append(sum(world.comment_counts().values()))
        warned.append({e["client"]: e["message"] for e in result.events("budget_reached")})

    assert totals == [4, 7, 8]  # two per client and scan: Bright Path has 5 findings, Sunrise Studio 3
    assert [sorted(w) for w in warned] == [[TRELLO_CLIENT, ASANA_CLIENT], [TRELLO_CLIENT], []]
    assert "3 approved comment(s) wait" in warned[0][TRELLO_CLIENT]
    assert "raise scopekeeper.max_comments_per_run" in warned[0][TRELLO_CLIENT]
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_one_clients_trouble_never_stops_the_others_nor_later_runs(world, monkeypatch):
    broken = world.add_card("Broken card")
    world.trello.cards[broken["id"]]["name"] = 12345  # malformed: a title that is not text
    deleted = "0123456789abcdef01234567"
    config = world.config(mode="auto", trello_boards=[world.trello_board, deleted])

    first = run(world, config, ASANA_TOKEN="revoked-asana-token")

    assert first.code == 1
    trello = {ref for ref, (provider, _) in world.expected.items() if provider == "trello"}
    assert {ref for ref, n in world.comment_counts().items() if n} == trello
    failures = {(e["client"], e["board"]): e["message"] for e in first.events("board_failed")}
    assert "not found" in failures[(TRELLO_CLIENT, f"trello:{deleted}")]
    assert "refused the personal access token" in failures[(ASANA_CLIENT, f"asana:{world.asana_project}")]
    [skipped] = first.events("card_skipped")
    assert skipped["client"] == TRELLO_CLIENT and "12345" in skipped["message"]
    assert "revoked-asana-token" not in first.stderr

    second = run(world, config)

    assert second.code == 1  # the deleted board is still configured
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
    for name, value in world.env().items():
        monkeypatch.setenv(name, value)
    status = CliRunner().invoke(cli, ["status", "--config", str(config)])
    assert status.exit_code == 0, status.output
    assert f"{TRELLO_CLIENT}: trello board {deleted} was not found" in status.output
    assert "partial" in status.output and "never" not in status.output


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sigterm_stops_a_scan_between_cards_and_the_next_run_finishes(world):
    world.trello.latency = 0.3
    config = world.config(mode="auto")
    worker = Background(world, config)
    worker.wait_for("posted", client=TRELLO_CLIENT)

    assert worker.signal(signal.SIGTERM) == 0

    outcomes = {e["client"]: e["message"] for e in worker.logs if e.get("event") == "scan_done"}
    assert outcomes[TRELLO_CLIENT].startswith("scan stopped")
    store = open_store(world.state_url)
    statuses = store.comment_statuses(TRELLO_CLIENT)
    store.close()
    assert "pending" not in statuses.values() and "approved" in statuses.values()  # stopped between cards
    assert run(world, config).code == 0
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)

