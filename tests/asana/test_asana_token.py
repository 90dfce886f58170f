"""The token never shows: not in exception messages, chains or frames, not in logs at DEBUG, not in reprs."""
from __future__ import annotations

import logging
import socket
import traceback
from pathlib import Path

import asana
import pytest

from integrations.asana.adapter import AsanaAdapter
from integrations.errors import IntegrationError

CANARY = "1/1204cAnArY:7f3e9b2d5c1a4e8f"
REFUSED_CANARY = "2/9911cAnArY:a0b1c2d3e4f5a6b7"
TESTS = str(Path(__file__).resolve().parents[1])  # the tests, conftest and fakes included


def _leaks(err: BaseException, secret: str) -> list[str]:
    """Where `secret` shows in the error, its whole chain, or the locals of the frames outside the tests."""
    found = [part for part in (str(err), repr(err), "".join(traceback.format_exception(err))) if secret in part]
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        tb = err.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if not frame.f_code.co_filename.startswith(TESTS):
                found += [f"{frame.f_code.co_name}:{name}" for name, value in frame.f_locals.items()
                          if secret in repr(value)]
            tb = tb.tb_next
        err = err.__cause__ or err.__context__
    return found


def _closed_port_host() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/api/1.0"


def test_the_token_shows_nowhere_on_any_error_path(sandbox, connect, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    sandbox.tokens.add(CANARY)
    adapter = connect(CANARY, timeout=0.3, max_attempts=2)
    project = sandbox.generate_project(150)
    task = sandbox.project_tasks[project][0]
    post = "POST /tasks/{task_gid}/stories"
    paths = [
        ("refused token", lambda: connect(REFUSED_CANARY).read_board(project), None),
        ("not found", lambda: adapter.read_board("404"), None),
        ("rate limited", lambda: adapter.read_board(project), lambda: sandbox.fail_next(429, retry_after=1, times=2)),
        ("5xx", lambda: adapter.me(), lambda: sandbox.fail_next(503, times=2)),
        ("dropped", lambda: adapter.workspaces(), lambda: sandbox.drop_next(times=2)),
        ("timeout", lambda: adapter.find_comment(task, "SK-000000"), lambda: sandbox.stall_next(0.6, times=2)),
        ("offsets", lambda: adapter.read_board(project), lambda: sandbox.expire_next_offsets(2)),
        ("lost answer", lambda: adapter.post_comment(task, "x"), lambda: sandbox.drop_next(route=post, after_processing=True)),
        ("post 5xx", lambda: adapter.post_comment(task, "x"), lambda: sandbox.fail_next(500, route=post)),
        ("refused post", lambda: adapter.post_comment(task, " "), None),
        ("no server", lambda: connect(CANARY, host=_closed_port_host(), max_attempts=1).me(), None),
    ]
    for label, call, arrange in paths:
        if arrange:
            arrange()
        with pytest.raises(IntegrationError) as caught:
            call()
        for secret in (CANARY, REFUSED_CANARY):
            assert not _leaks(caught.value, secret), (label, _leaks(caught.value, secret))

    assert "urllib3" in caplog.text and "response body" in caplog.text  # DEBUG logging really was on
    captured = capfd.readouterr()
    for secret in (CANARY, REFUSED_CANARY):
        assert secret not in caplog.text and secret not in captured.out + captured.err
    assert CANARY not in repr(adapter) and CANARY not in repr(vars(adapter))


def test_the_sdk_leaves_the_application_logging_alone(monkeypatch):
    monkeypatch.setattr(asana.Configuration, "_default", None)  # as if no Configuration was made yet
    loggers = [logging.getLogger(name) for name in ("asana", "urllib3")]
    before = [(logger.level, list(logger.handlers)) for logger in loggers]

    AsanaAdapter("t", host="http://127.0.0.1:9/api/1.0").close()

    assert [(logger.level, list(logger.handlers)) for logger in loggers] == before
    assert asana.Configuration._default is not None  # the SDK did run its first-time setup


def test_an_empty_token_is_refused_before_any_request():
    with pytest.raises(ValueError, match="ASANA_TOKEN"):
        AsanaAdapter("")
