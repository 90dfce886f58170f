"""One active scheduler per state store: SQLite refuses a second `run`, PostgreSQL keeps it on standby."""
from __future__ import annotations

import re
import signal
import threading
import time

import pytest
from sqlalchemy import text

from scheduler.store import open_store
from scheduler.store.store import SCHEDULER_LOCK
from tests.worker.support import Background, run, wait_until

pytestmark = pytest.mark.slow  # real `scopekeeper run` processes


def all_posted(world) -> bool:
    return world.comment_counts() == dict.fromkeys(world.expected, 1)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_second_run_on_one_sqlite_file_refuses_to_start_and_a_killed_one_blocks_nothing(world):
    config = world.config(mode="auto")
    first = Background(world, config)
    first.wait_for("scan_done")

    second = run(world, config)

    assert second.code == 1
    assert "another scopekeeper run is already using the state store" in second.stderr
    assert f"pid {first.process.pid}" in second.stderr
    assert first.signal(signal.SIGKILL) == -signal.SIGKILL
    world.add_card("A content strategy workshop", ("consultation",))
    assert run(world, config).code == 0  # the kernel dropped the dead holder's lock
    assert all_posted(world)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_standby_worker_takes_over_at_once_when_the_active_one_is_killed(world):
    config = world.config(mode="auto")
    active = Background(world, config)
    # Start-up under a loaded CI machine may take long; "at once" is the take-over below.
    wait_until(lambda: all_posted(world), timeout=90, what="the active worker's first scan")
    standby = Background(world, config)
    standby.wait_for("standby")

    world.add_card("A content strategy workshop", ("consultation",))
    assert active.signal(signal.SIGKILL) == -signal.SIGKILL
    standby.wait_for("took_over", timeout=10)
    wait_until(lambda: all_posted(world), timeout=60, what="the new card's comment")

    assert standby.signal(signal.SIGTERM) == 0
    assert all_posted(world)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_workers_started_together_on_one_postgresql_database_never_post_a_duplicate(world):
    world.trello.latency = world.asana.latency = 0.2  # scans long enough for the two to overlap
    config = world.config(mode="auto")
    first, second = Background(world, config, "--once"), Background(world, config, "--once")

    codes = first.process.wait(60), second.process.wait(60)

    assert codes == (0, 0)
    assert all_posted(world)
    waited = [w for w in (first, second) if any(e.get("event") == "standby" for e in w.logs)]
    assert len(waited) == 1


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_worker_whose_database_session_dies_stops_its_schedule_then_takes_the_lock_again(world):
    config = world.config(mode="auto")
    active = Background(world, config)
    active.wait_for("scan_done")
    store = open_store(world.state_url)
    holder = store.lock(SCHEDULER_LOCK).holder()
    with store.engine.begin() as connection:  # as a database restart or a network cut would
        connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                           {"pid": int(re.search(r"pid (\d+)", holder).group(1))})
    store.close()

    lost = active.wait_for("lock_lost", timeout=60)  # seen after 15 s on a machine shared with other jobs
    again = active.wait_for("active", after=active.logs.index(lost))

    assert again
    # Taken again, the schedule scans and posts anew: wait for that before stopping it (a SIGTERM sent at
    # once could stop the scan between two cards, and the test would blame the lock).
    wait_until(lambda: all_posted(world), timeout=60, what="the comments after the lock was taken again")
    assert active.signal(signal.SIGTERM) == 0


@pytest.mark.parametrize("url", ["memory", "store"])
def test_waiting_for_a_lock_ends_as_soon_as_the_worker_is_told_to_stop(state_url, url):
    # The outbox lock waits up to two minutes for another poster; a SIGTERM must not wait with it.
    store = open_store("sqlite://" if url == "memory" else state_url)
    try:
        holder, waiter, stop = store.lock("outbox:Bright Path"), store.lock("outbox:Bright Path"), threading.Event()
        assert holder.acquire()
        threading.Timer(0.3, stop.set).start()
        began = time.monotonic()
        assert not waiter.acquire(60, stop)
        assert time.monotonic() - began < 3
        holder.release()
        assert waiter.acquire(1, threading.Event())  # free again: taken at once
        waiter.release()
    finally:
        store.close()
