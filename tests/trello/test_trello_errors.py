"""Failures become the project's errors: a clear 401, bounded retries, 429 storms ridden out, no secret leaked."""
from __future__ import annotations

import itertools
import logging
import re
import socket
import traceback

import pytest
import responses

from integrations.errors import AuthError, Fatal, RateLimited, Retriable, ServiceError, UnknownOutcome
from integrations.sandbox.trello import TrelloSandbox, synthetic_export
from integrations.trello.retry import ATTEMPTS, RATE_LIMITED
from tests.fakes import FakeClock
from tests.trello.support import make_adapter

AUTHORIZE = ("https://trello.com/1/authorize?expiration=never&name=ScopeKeeper&scope=read,write"
             "&response_type=token&key=<your API key>")


@pytest.fixture
def board_id(sandbox) -> str:
    return sandbox.load_export(synthetic_export(5))


def test_401_says_how_to_make_a_new_token(sandbox, api, clock, board_id):
    stale = make_adapter(clock, token="an-expired-token")

    with pytest.raises(AuthError) as raised:
        stale.read_board(board_id)

    message = str(raised.value)
    assert "invalid token" in message and AUTHORIZE in message and "TRELLO_TOKEN" in message
    assert raised.value.status == 401
    assert stale.requests_made == 1  # a refused token is not retried


def test_a_burst_of_5xx_on_reads_is_retried_with_growing_pauses(sandbox, adapter, clock, board_id):
    sandbox.inject("server_error", count=3)

    snapshot = adapter.read_board(board_id)

    assert len(snapshot.cards) == 5
    assert adapter.requests_made == 2 + 3
    assert len(clock.sleeps) == 3 and clock.sleeps == sorted(clock.sleeps) and max(clock.sleeps) < 10


def test_lasting_5xx_gives_up_after_bounded_attempts(sandbox, adapter, board_id):
    sandbox.inject("server_error", count=100, status=500)

    with pytest.raises(Retriable) as raised:
        adapter.read_board(board_id)

    assert raised.value.status == 500
    assert adapter.requests_made == ATTEMPTS


def test_lost_and_refused_reads_are_retried(sandbox, adapter, board_id):
    sandbox.inject("timeout")
    sandbox.inject("refused")
    sandbox.inject("lost_answer")

    assert len(adapter.read_board(board_id).cards) == 5
    assert adapter.requests_made == 2 + 3


def test_a_429_storm_is_waited_out_and_the_scan_completes(sandbox, adapter, clock, board_id):
    sandbox.inject("rate_limit", count=3)

    snapshot = adapter.read_board(board_id)
    activity = adapter.board_activity()

    assert len(snapshot.cards) == 5 and board_id in activity
    assert sandbox.rate_limited == 3
    log = sandbox.log
    for refused, following in itertools.pairwise(log):
        if refused["status"] == 429:
            assert following["at"] - refused["at"] >= 10.0  # the token's window had ended
    assert adapter.requests_made == 3 + 3


def test_a_long_storm_ends_in_rate_limited_far_from_the_penalty(sandbox, adapter, clock, board_id):
    sandbox.inject("rate_limit", count=1000)

    with pytest.raises(RateLimited) as raised:
        adapter.read_board(board_id)

    assert raised.value.retry_after >= 10.0
    assert sandbox.rate_limited == RATE_LIMITED
    times = [e["at"] for e in sandbox.log]
    assert max(sum(1 for t in times if start <= t < start + 10.0) for start in times) == 1


def test_the_services_remaining_counter_is_followed(sandbox, adapter, clock, board_id):
    sandbox.spend_elsewhere(99)  # another program used the token: one request left in this window

    adapter.read_board(board_id)

    assert sandbox.rate_limited == 0
    first, second = sandbox.log
    assert second["at"] - first["at"] >= 10.0


def test_a_malformed_id_is_fatal_at_once(adapter):
    with pytest.raises(Fatal, match="invalid id"):
        adapter.read_board("not-a-board")
    assert adapter.requests_made == 1


def test_an_answer_that_is_not_json_is_retried_for_reads_and_unknown_for_posts(clock):
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, re.compile(r"https://api\.trello\.com/1/members/me/boards.*"),
                 body="<html>proxy error</html>", status=200)
        mock.add(responses.POST, re.compile(r"https://api\.trello\.com/1/cards/.*"), body="<html>", status=200)
        portal = make_adapter(clock)

        with pytest.raises(Retriable, match="not JSON"):
            portal.board_activity()
        with pytest.raises(UnknownOutcome, match="not JSON"):
            portal.post_comment("6ae8b3803b8c3305a86a49e9", "Hello")

    assert portal.requests_made == ATTEMPTS + 1


def test_the_key_and_token_appear_in_no_error_and_no_log(caplog):
    key, token = "CANARY-KEY-7f3e9a1c", "CANARY-TOKEN-c41d88e2"
    clock = FakeClock()
    sandbox = TrelloSandbox(api_key=key, tokens=[token], clock=clock)
    board = sandbox.load_export(synthetic_export(3))
    card = next(iter(sandbox.cards))
    errors: list[BaseException] = []

    def attempt(call) -> None:
        try:
            call()
        except ServiceError as err:
            errors.append(err)

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")  # whatever another library set it to
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        sandbox.install(mock)
        good = make_adapter(clock, key=key, token=token)
        attempt(lambda: make_adapter(clock, key=key, token=token + "-revoked").read_board(board))
        attempt(lambda: make_adapter(clock, key=key + "-other", token=token).read_board(board))
        attempt(lambda: good.read_board("5f0c1a2b3c4d5e6f7a8b9c0d"))
        attempt(lambda: good.read_board("bad id"))
        for kind, count in (("server_error", ATTEMPTS), ("timeout", ATTEMPTS), ("refused", ATTEMPTS),
                            ("rate_limit", RATE_LIMITED)):
            sandbox.inject(kind, count=count)
            attempt(lambda: good.read_board(board))
        for kind in ("lost_answer", "timeout", "server_error"):
            sandbox.inject(kind, method="POST")
            attempt(lambda: good.post_comment(card, "Hello"))
        sandbox.delete_card(card)
        attempt(lambda: good.post_comment(card, "Hello"))
    with sandbox.serve() as server:  # real sockets: urllib3 logs every URL at DEBUG
        live = make_adapter(clock, key=key, token=token, base_url=server.url + "/1")
        sandbox.inject("lost_answer", method="POST")
        attempt(lambda: live.post_comment(next(iter(sandbox.cards)), "Hello"))
        live.board_activity()
    attempt(lambda: make_adapter(clock, key=key, token=token, base_url=f"http://127.0.0.1:{_closed_port()}/1")
            .board_activity())

    kinds = {type(e).__name__ for e in errors}
    assert kinds == {"AuthError", "NotFound", "Fatal", "Retriable", "RateLimited", "UnknownOutcome"}
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(good), repr(live)]
    texts += ["".join(traceback.format_exception(e)) for e in errors]
    assert any("urllib3" in r.name for r in caplog.records)  # the DEBUG capture did see the HTTP layer
    for secret in (key, token):
        assert not [t for t in texts if secret in t]
        assert secret not in caplog.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
