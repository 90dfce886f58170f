"""Fault injection: the real `scopekeeper run` killed at each point of posting, or facing 429s and 5xx, posts
exactly one comment per finding on the Trello and Asana sandboxes, on SQLite and on PostgreSQL."""
from __future__ import annotations

import signal

import pytest

from scheduler.store import open_store
from scheduler.testing_hooks import CRASH_POINTS
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, run

pytestmark = pytest.mark.slow  # real `scopekeeper run` processes

DONE = {"sent", "reconciled"}


def statuses(world) -> dict[str, str]:
    store = open_store(world.state_url)
    try:
        return {**store.comment_statuses(TRELLO_CLIENT), **store.comment_statuses(ASANA_CLIENT)}
    finally:
        store.close()


def assert_exactly_once(world) -> dict[str, str]:
    counts = world.comment_counts()
    assert counts == dict.fromkeys(world.expected, 1), counts
    final = statuses(world)
    assert set(final) == set(world.expected) and set(final.values()) <= DONE, final
    return final


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_kill_at_any_point_of_posting_leaves_exactly_one_comment_per_finding(world, point):
    config = world.config(mode="auto")
    # The second time for the points reached per comment: the kill lands mid-batch, after a complete post.
    crash = point if point == "before_intent" else f"{point}:2"

    killed = run(world, config, SCOPEKEEPER_CRASH_AT=crash)
    assert killed.code == -signal.SIGKILL, killed.stderr
    posted_before = sum(world.comment_counts().values())
    restarted = run(world, config)

    assert restarted.code == 0, restarted.stderr
    final = assert_exactly_once(world)
    expected_before = {"before_intent": 0, "after_intent": 1, "after_post": 2, "after_sent": 2}[point]
    assert posted_before >= expected_before
    if point == "after_post":  # posted, then killed before marking it: found by its reference, not sent again
        assert "reconciled" in final.values()
        assert restarted.events("reconciled")
    if point == "after_intent":  # claimed, killed before the POST: the card is read, then it is posted
        assert restarted.events("not_posted_yet")


def test_a_signed_comment_is_still_found_by_its_reference_after_a_kill(world):
    config = world.config(mode="auto", signature="Anna")

    killed = run(world, config, SCOPEKEEPER_CRASH_AT="after_post:2")
    assert killed.code == -signal.SIGKILL, killed.stderr
    restarted = run(world, config)

    assert restarted.code == 0, restarted.stderr
    assert "reconciled" in assert_exactly_once(world).values()
    signed = [text for text in world.comment_texts() if "ref SK-" in text]
    assert len(signed) == len(world.expected)
    assert all(text.splitlines()[-1].startswith("— Anna · ref SK-") for text in signed), signed


def test_exactly_once_through_a_429_storm(world):
    world.trello.inject("rate_limit", count=1, method="POST")      # Trello refuses a comment: the adapter waits
    # More refusals in a row than Asana's adapter tries a request: the project's read fails this scan.
    world.asana.fail_next(429, times=6, retry_after=0.1)
    world.asana.fail_next(429, times=3, route="POST /tasks/{task_gid}/stories", retry_after=0.1)
    config = world.config(mode="auto")

    first = run(world, config)
    assert first.code == 1  # the Asana client's scan was partial
    [failed] = first.events("board_failed")
    assert failed["client"] == ASANA_CLIENT and "rate limit" in failed["message"]
    assert world.trello.rate_limited == 1
    second = run(world, config)

    assert second.code == 0, second.stderr
    # Every refusal, then one read, the time entries of the two tasks with tracked time, one look at each of the
    # three tasks' comments (a comment already there is not posted again) and three posts.
    assert world.asana.total_requests() == 6 + 3 + 1 + 2 + 3 + 3
    assert_exactly_once(world)


def test_exactly_once_through_5xx_bursts(world):
    world.trello.inject("server_error", count=2, method="GET", status=502)  # reads: retried
    world.trello.inject("server_error", count=1, method="POST", status=503)  # not stored, outcome unknown
    world.trello.inject("lost_answer", count=1, method="POST")                # stored, answer lost
    world.asana.fail_next(503, times=2, route="GET /projects/{project_gid}/tasks")
    world.asana.fail_next(500, route="POST /tasks/{task_gid}/stories")
    world.asana.drop_next(route="POST /tasks/{task_gid}/stories", after_processing=True)
    config = world.config(mode="auto")

    first = run(world, config)
    assert first.code == 0, first.stderr
    assert len(first.events("unknown_outcome")) == 4
    assert "unknown" in statuses(world).values()
    second = run(world, config)

    assert second.code == 0, second.stderr
    assert len(second.events("reconciled")) == 2       # the two that were stored
    assert len(second.events("not_posted_yet")) == 2   # the two that were not: posted now, once
    final = assert_exactly_once(world)
    assert list(final.values()).count("reconciled") == 2


def test_unreadable_answers_to_asana_posts_are_reconciled_not_posted_again(world):
    for garble in ("cut", "garbage", "html"):  # one per Asana comment, in turn: each is stored, its answer spoilt
        world.asana.garble_next(garble, route="POST /tasks/{task_gid}/stories")
    config = world.config(mode="auto")

    first = run(world, config)
    assert first.code == 0, first.stderr
    assert len(first.events("unknown_outcome")) == 3
    second = run(world, config)

    assert second.code == 0, second.stderr
    assert len(second.events("reconciled")) == 3
    final = assert_exactly_once(world)
    assert list(final.values()).count("reconciled") == 3


def test_a_card_with_a_broken_emoji_in_its_title_does_not_stop_its_clients_scan(world):
    # A client's phone cut 📰 in half: Trello serves the lone half as the JSON escape \ud83d.
    world.add_card("Content strategy for the spring \ud83d", ("consultation",))
    world.asana.add_task(world.asana_project, "Boletín de diciembre \udc4d gracias", notes="Zażółć \ud800")

    first = run(world, world.config(mode="auto"))

    assert first.code == 0, first.stderr
    assert not first.events("scan_failed") and not first.events("board_failed")
    assert_exactly_once(world)
