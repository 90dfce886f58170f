"""Failure paths of the live reads: expired offsets, 401, 404, 429 with Retry-After, 5xx, lost connections."""
from __future__ import annotations

import pytest

from integrations.errors import AuthError, Fatal, NotFound, RateLimited, Retriable

PAGES = "GET /projects/{project_gid}/tasks"
PROJECT_TASKS = ("GET", "/projects/{project_gid}/tasks")


def test_an_expired_offset_restarts_the_listing_once(sandbox, adapter):
    project = sandbox.generate_project(250)
    sandbox.expire_next_offsets(1)

    snapshot = adapter.read_board(project)

    assert [c.id for c in snapshot.cards] == sandbox.project_tasks[project]  # no duplicates from the first try
    # page 1, page 2 refused, then pages 1, 2, 3 again
    assert sandbox.requests == {PROJECT_TASKS: 5}
    assert ["offset" in q for _, _, q in sandbox.log] == [False, True, False, True, True]


def test_an_offset_expiring_again_after_the_restart_is_fatal(sandbox, adapter):
    project = sandbox.generate_project(250)
    sandbox.expire_next_offsets(2)

    with pytest.raises(Fatal, match="pagination offset") as caught:
        adapter.read_board(project)

    assert caught.value.status == 400 and sandbox.requests == {PROJECT_TASKS: 4}


def test_a_refused_token_says_how_to_make_a_new_one(sandbox, connect):
    with pytest.raises(AuthError) as caught:
        connect("expired-token-4411").read_board(sandbox.generate_project(3))

    message = str(caught.value)
    assert caught.value.status == 401
    assert "My Settings > Apps > Developer apps" in message and "https://app.asana.com/0/my-apps" in message
    assert "ASANA_TOKEN" in message and "expired-token-4411" not in message
    assert sandbox.total_requests() == 1  # a refused token is never retried


def test_an_unknown_project_is_not_found_at_once(sandbox, adapter):
    with pytest.raises(NotFound, match="Not a recognized ID: 999"):
        adapter.read_board("999")
    assert sandbox.total_requests() == 1


def test_429_waits_as_long_as_retry_after_says(sandbox, adapter, clock):
    project = sandbox.generate_project(250)
    sandbox.fail_next(429, retry_after=7, route=PAGES)

    assert len(adapter.read_board(project).cards) == 250
    assert clock.sleeps == [7.0]
    assert sandbox.requests == {PROJECT_TASKS: 4}


def test_a_retry_after_longer_than_max_wait_is_left_to_the_scheduler(sandbox, adapter, clock):
    sandbox.fail_next(429, retry_after=600)

    with pytest.raises(RateLimited) as caught:
        adapter.read_board(sandbox.generate_project(3))

    assert caught.value.retry_after == 600 and clock.sleeps == [] and sandbox.total_requests() == 1


def test_429_again_and_again_ends_in_rate_limited(sandbox, connect, clock):
    sandbox.fail_next(429, retry_after=2, times=10)

    with pytest.raises(RateLimited):
        connect(max_attempts=4).read_board(sandbox.generate_project(3))

    assert clock.sleeps == [2.0, 2.0, 2.0] and sandbox.total_requests() == 4


def test_the_request_budget_per_minute_is_kept(sandbox, connect, clock):
    project = sandbox.generate_project(250)

    connect(requests_per_minute=2).read_board(project)

    assert clock.sleeps == [60.0] and sandbox.total_requests() == 3


def test_a_burst_of_5xx_is_ridden_out_with_backoff(sandbox, adapter, clock):
    sandbox.fail_next(503, times=3, route=PAGES)

    assert len(adapter.read_board(sandbox.generate_project(150)).cards) == 150
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert sandbox.requests == {PROJECT_TASKS: 5}


def test_a_5xx_burst_longer_than_the_attempts_is_retriable(sandbox, adapter, clock):
    sandbox.fail_next(500, times=10)

    with pytest.raises(Retriable, match="gave up after 5 attempts") as caught:
        adapter.read_board(sandbox.generate_project(3))

    assert caught.value.status == 500
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0] and sandbox.total_requests() == 5


def test_dropped_connections_on_a_read_are_retried(sandbox, adapter):
    sandbox.drop_next(times=2)

    assert len(adapter.read_board(sandbox.generate_project(3)).cards) == 3
    assert sandbox.total_requests() == 3


def test_a_read_timeout_is_retried(sandbox, connect):
    sandbox.stall_next(1.5)

    assert len(connect(timeout=0.3).read_board(sandbox.generate_project(3)).cards) == 3
    assert sandbox.total_requests() == 2
