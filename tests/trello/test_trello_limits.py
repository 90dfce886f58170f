"""The client-side limiter keeps Trello's budgets: 100 per 10 s per token, 300 per key, across adapters."""
from __future__ import annotations

import random
import threading
import time

import pytest
import responses

import integrations.trello.limits as trello_limits
from integrations.hostwindow import BUDGETS_DIR_ENV
from integrations.sandbox.server import LoopbackServer
from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox, synthetic_export
from integrations.trello.adapter import TrelloAdapter
from tests.fakes import FakeClock
from tests.trello.support import make_adapter


def _busiest_window(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 10.0) for start in times)


def test_one_token_never_exceeds_100_requests_per_10_seconds(sandbox, api, clock):
    board_id = sandbox.load_export(synthetic_export(3))
    adapter = make_adapter(clock)

    for _ in range(125):
        adapter.read_board(board_id)

    assert sandbox.rate_limited == 0
    assert _busiest_window([e["at"] for e in sandbox.log]) == 100
    assert clock.now - sandbox.log[0]["at"] >= 20.0  # 250 requests need three windows


def test_a_window_we_filled_ourselves_reopens_when_its_first_request_ages_out(sandbox, api, clock):
    # Trello's "remaining: 0" after our own 100th request adds no wait of its own: holding a whole
    # interval from then on would idle the gap between the first and the 100th request, every window.
    board_id = sandbox.load_export(synthetic_export(3))
    adapter = make_adapter(clock)
    clock.sleep(0.5)  # no two requests at one instant: the 100th goes out later than the first
    for _ in range(51):
        adapter.read_board(board_id)
        clock.sleep(0.01)

    times = [e["at"] for e in sandbox.log]
    assert sandbox.rate_limited == 0
    assert times[100] - times[0] == pytest.approx(trello_limits.WINDOW + trello_limits.MARGIN)  # of epoch seconds, approx would allow 30 min
    assert times[100] - times[99] < trello_limits.WINDOW  # the old hold: a whole interval after the 100th


def test_adapters_of_one_key_share_its_300_requests_per_10_seconds(clock):
    tokens = [f"token-{n}" for n in range(4)]
    sandbox = TrelloSandbox(tokens=tokens, clock=clock)
    adapters = [make_adapter(clock, token=t) for t in tokens]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        sandbox.install(mock)
        for _ in range(90):
            for adapter in adapters:
                adapter.board_activity()

    assert sandbox.rate_limited == 0
    assert _busiest_window([e["at"] for e in sandbox.log]) == 300


def test_the_shared_windows_are_keyed_by_digest_never_by_the_secret():
    make_adapter(FakeClock(), key="KEY-SECRET-31d0", token="TOKEN-SECRET-9ab2")

    assert trello_limits._windows
    assert not [k for k in trello_limits._windows if "SECRET" in repr(k)]



def test_what_other_processes_spent_of_the_key_is_learnt_from_its_counter(clock):
    # Another worker on the same key, seen only through Trello's counter: once the key is spent, this one waits
    # until its own first requests age out of the window, not a whole window from the moment it saw the zero.
    tokens = [f"token-{n}" for n in range(4)]
    sandbox = TrelloSandbox(tokens=tokens, clock=clock)
    adapter = make_adapter(clock, token=tokens[0])
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        sandbox.install(mock)
        for _ in range(10):
            adapter.board_activity()
        clock.sleep(9.0)
        for other, count in zip(tokens[1:], (97, 96, 96), strict=True):
            sandbox.spend_elsewhere(count, token=other)
        adapter.board_activity()  # the key's 300th request: "remaining 0"
        adapter.board_activity()

    times = [e["at"] for e in sandbox.log]
    assert sandbox.rate_limited == 0
    assert times[11] - times[0] == pytest.approx(trello_limits.WINDOW + trello_limits.MARGIN)  # not 19 s and more


FLEET = [f"token-{n}" for n in range(4)]


def _fleet_spends_320(sandbox: TrelloSandbox) -> None:
    """Four workers of one host, each its own "process" (a sleep of its own gives each its own windows in the
    limiter's registry, as separate processes have), 80 requests each at once: the last 20 need the key's next
    window. What they share is the host's budget file."""
    with LoopbackServer(sandbox.handle) as server:
        fleet = [TrelloAdapter(SANDBOX_KEY, t, base_url=server.url + "/1", sleep=lambda s: time.sleep(s),
                               rng=random.Random(n)) for n, t in enumerate(FLEET)]

        def spend(adapter: TrelloAdapter) -> None:
            for _ in range(80):
                adapter.board_activity()

        threads = [threading.Thread(target=spend, args=(adapter,)) for adapter in fleet]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)


def test_processes_of_one_host_take_the_keys_slots_from_one_file_and_meet_no_429(tmp_path, monkeypatch):
    # Four workers of a fleet share the key through the host's budget file.
    monkeypatch.setenv(BUDGETS_DIR_ENV, str(tmp_path))
    sandbox = TrelloSandbox(tokens=FLEET)  # Trello's budgets on the real clock: 300 per 10 s for the key
    _fleet_spends_320(sandbox)

    times = [e["at"] for e in sandbox.log]
    assert len(times) == 320 and sandbox.rate_limited == 0
    assert _busiest_window(times) <= 300
    assert times[-1] - times[0] < trello_limits.WINDOW + trello_limits.MARGIN + 2.0  # no 429, no whole-window hold
    files = [p.name for p in (tmp_path / "scopekeeper").iterdir()]
    assert len(files) == 1 and SANDBOX_KEY not in files[0]  # named by a digest: the key is a secret


def test_a_budget_folder_that_cannot_be_written_leaves_the_worker_pacing_itself(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(BUDGETS_DIR_ENV, str(blocker))  # its "scopekeeper" folder cannot be made
    sandbox = TrelloSandbox()
    with LoopbackServer(sandbox.handle) as server:
        adapter = TrelloAdapter(SANDBOX_KEY, SANDBOX_TOKEN, base_url=server.url + "/1", rng=random.Random(3))
        for _ in range(3):
            adapter.board_activity()

    assert [e["status"] for e in sandbox.log] == [200, 200, 200]
    assert "cannot be used" in caplog.text and str(blocker) in caplog.text
    assert SANDBOX_TOKEN not in caplog.text and SANDBOX_KEY not in caplog.text


def test_a_429_the_hosts_count_explains_costs_a_short_pause_not_a_whole_window(tmp_path, monkeypatch):
    # Four workers of one host fill the key's window; Trello saw the first burst arrive 0.6 s late (a slow
    # network), so the first request of the next window is refused. The host's file counts all 300 requests:
    # none were another program's, and no worker holds the key for a whole window on that account.
    monkeypatch.setenv(BUDGETS_DIR_ENV, str(tmp_path))
    late = {"first": 300}

    def trello_clock() -> float:
        late["first"] -= 1
        return time.monotonic() + (0.6 if late["first"] >= 0 else 0.0)

    sandbox = TrelloSandbox(tokens=FLEET, clock=trello_clock)
    _fleet_spends_320(sandbox)

    answered = [e["at"] for e in sandbox.log if e["status"] == 200]
    assert len(answered) == 320
    assert sandbox.rate_limited >= 1
    assert answered[-1] - answered[0] < trello_limits.WINDOW + trello_limits.MAX_MARGIN + 2.0  # not two windows
