"""The client-side limiter keeps Trello's budgets: 100 per 10 s per token, 300 per key, across adapters."""
from __future__ import annotations

import pytest
import responses

import integrations.trello.limits as trello_limits
from integrations.sandbox.trello import TrelloSandbox, synthetic_export
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
    assert times[100] == pytest.approx(times[0] + trello_limits.WINDOW + trello_limits.MARGIN)
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
