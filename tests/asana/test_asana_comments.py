"""Comment stories: the POST policy (no blind resend), reconciliation by reference, write concurrency."""
from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime

import pytest

from integrations.asana.adapter import AsanaAdapter
from integrations.errors import Fatal, NotFound, Retriable, UnknownOutcome
from integrations.reference import make_reference, with_reference
from integrations.sandbox.asana import GARBLES

POST = "POST /tasks/{task_gid}/stories"
POSTS = ("POST", "/tasks/{task_gid}/stories")
READS = ("GET", "/tasks/{task_gid}/stories")


@pytest.fixture
def task(sandbox) -> str:
    return sandbox.add_task(sandbox.add_project("Client"), "Newsletter for December")["gid"]


def _comment(task: str) -> tuple[str, str]:
    reference = make_reference("asana", task, "extra_hours", "2026-11")
    return reference, with_reference("Son 2 horas más, a 30 EUR la hora.", reference)


def test_a_comment_is_one_post_and_carries_its_reference(sandbox, adapter, task):
    reference, text = _comment(task)

    story = adapter.post_comment(task, text)

    [stored] = sandbox.comments(task)
    assert (stored["gid"], stored["text"]) == (story, text) and text.endswith(f"ref {reference}")
    assert sandbox.requests == {POSTS: 1}


def test_a_lost_answer_after_storing_is_reconciled_without_a_second_story(sandbox, adapter, task):
    reference, text = _comment(task)
    sandbox.drop_next(route=POST, after_processing=True)

    with pytest.raises(UnknownOutcome, match="do not post it again blindly"):
        adapter.post_comment(task, text)
    found = adapter.find_comment(task, reference)

    [stored] = sandbox.comments(task)
    assert found is not None and (found.id, found.text, found.author) == (stored["gid"], text, "Sandbox VA")
    assert sandbox.requests == {POSTS: 1, READS: 1}


@pytest.mark.parametrize("garble", GARBLES)
def test_an_unreadable_answer_to_a_post_is_an_unknown_outcome_never_a_resend(sandbox, adapter, clock, task, garble):
    reference, text = _comment(task)
    sandbox.garble_next(garble, route=POST)

    with pytest.raises(UnknownOutcome, match="do not post it again blindly"):
        adapter.post_comment(task, text)

    assert len(sandbox.comments(task)) == 1 and sandbox.requests == {POSTS: 1} and clock.sleeps == []
    assert adapter.find_comment(task, reference) is not None  # stored: reconciliation finds it


@pytest.mark.parametrize("garble", GARBLES)
def test_an_unreadable_answer_to_a_read_is_asked_again(sandbox, adapter, clock, garble):
    sandbox.garble_next(garble, route="GET /projects/{project_gid}/tasks")

    assert len(adapter.read_board(sandbox.generate_project(3)).cards) == 3
    assert sandbox.total_requests() == 2 and clock.sleeps == [1.0]


def test_a_read_timeout_after_sending_is_an_unknown_outcome(sandbox, connect, task):
    _, text = _comment(task)
    sandbox.stall_next(1.5, route=POST, after_processing=True)

    with pytest.raises(UnknownOutcome, match=r"no answer within 0\.3 s"):
        connect(timeout=0.3).post_comment(task, text)

    assert len(sandbox.comments(task)) == 1 and sandbox.requests == {POSTS: 1}


def test_a_5xx_on_a_post_is_never_resent(sandbox, adapter, clock, task):
    reference, text = _comment(task)
    sandbox.fail_next(502, route=POST)

    with pytest.raises(UnknownOutcome) as caught:
        adapter.post_comment(task, text)

    assert caught.value.status == 502 and clock.sleeps == []
    assert sandbox.requests == {POSTS: 1}
    assert adapter.find_comment(task, reference) is None  # here it was not stored: the caller may post it


def test_a_429_on_a_post_is_resent_after_retry_after(sandbox, adapter, clock, task):
    _, text = _comment(task)
    sandbox.fail_next(429, retry_after=3, route=POST)

    adapter.post_comment(task, text)

    assert clock.sleeps == [3.0] and len(sandbox.comments(task)) == 1 and sandbox.requests == {POSTS: 2}


def test_a_post_that_cannot_connect_is_retried_then_retriable(clock):
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = AsanaAdapter("t", host=f"http://127.0.0.1:{port}/api/1.0", sleep=clock.sleep,
                           clock=clock, timeout=1.0)

    with pytest.raises(Retriable, match="cannot connect"):
        adapter.post_comment("1", "text")

    assert adapter.requests_made == 5 and clock.sleeps == [1.0, 2.0, 4.0, 8.0]
    adapter.close()


def test_refused_posts_are_final(sandbox, adapter, task):
    with pytest.raises(NotFound):
        adapter.post_comment("404404", "text")
    with pytest.raises(Fatal, match="text: Missing input"):
        adapter.post_comment(task, "   ")
    assert sandbox.requests == {POSTS: 2}


def test_find_comment_reads_every_page_and_only_comment_stories(sandbox, adapter, task):
    reference, text = _comment(task)
    other, _ = _comment("another task")
    sandbox.update_task(task, name=f"Mentions ref {reference} in a system story")
    for i in range(140):
        sandbox.add_comment(task, with_reference(f"comment {i}", other) if i % 2 else f"comment {i}")
    assert adapter.find_comment(task, reference) is None  # only a system story mentions it

    sandbox.add_comment(task, text)
    found = adapter.find_comment(task, reference)

    assert found is not None and found.text == text
    assert sandbox.requests == {READS: 4}  # 142 then 143 stories: two pages each time


def test_writes_and_reads_respect_their_concurrency_limits(sandbox, connect, task):
    adapter = connect(max_concurrent_writes=3, max_concurrent_reads=4)
    project = sandbox.generate_project(3)
    sandbox.latency = 0.1
    jobs = [lambda i=i: adapter.post_comment(task, f"comment {i}") for i in range(9)]
    jobs += [lambda: adapter.read_board(project) for _ in range(12)]
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sandbox.peak_in_flight == {"POST": 3, "GET": 4}
    assert len(sandbox.comments(task)) == 9


def test_comments_since_a_moment_leave_out_the_older_stories(sandbox, adapter, task):
    now = sandbox.clock
    sandbox.clock = lambda: datetime(2026, 10, 30, 23, 59, tzinfo=UTC)
    sandbox.add_comment(task, "Octubre: ¿puedes revisar el boletín? 🙏")
    sandbox.clock = lambda: datetime(2026, 11, 2, 9, 15, tzinfo=UTC)
    sandbox.add_comment(task, "Listo ✅ ref SK-0123456789")
    sandbox.clock = now

    recent = adapter.comments(task, since=datetime(2026, 10, 31, tzinfo=UTC))

    assert [c.text for c in recent] == ["Listo ✅ ref SK-0123456789"]
    assert len(adapter.comments(task)) == 2
