"""Asana's change check through the Events API: an unchanged project costs one request, a changed one stays
changed until it is read, ScopeKeeper's own comments do not count, an expired sync token counts as a change."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.errors import Retriable

EVENTS = ("GET", "/events")


@pytest.fixture
def project(sandbox) -> tuple[str, str]:
    """A project with one task, as a client set it up."""
    gid = sandbox.add_project("Atelier Lumière")
    task = sandbox.add_task(gid, "Newsletter de décembre — *2h*")
    return gid, task["gid"]


def _read(adapter, gid: str) -> None:
    adapter.read_modified(gid, datetime.now(UTC) - timedelta(minutes=5))


def _requests(sandbox) -> dict:
    return {key: count for key, count in sandbox.requests.items() if count}


def test_an_unchanged_project_costs_one_request_and_a_change_stays_until_read(sandbox, adapter, project):
    gid, _ = project
    assert adapter.changed_boards([gid], {}) == [gid]        # never asked in this process: a fresh token (412)
    _read(adapter, gid)
    sandbox.reset_counts()
    for _ in range(3):
        assert adapter.changed_boards([gid], {}) == []
    assert _requests(sandbox) == {EVENTS: 3}                 # one GET /events per check, nothing else

    sandbox.add_task(gid, "Stratégie de contenu pour 2027 ? 🙏 (pas urgent)")
    sandbox.reset_counts()
    assert adapter.changed_boards([gid], {}) == [gid]
    assert adapter.changed_boards([gid], {}) == [gid]        # not read yet: still changed
    assert _requests(sandbox) == {EVENTS: 2}
    _read(adapter, gid)
    assert adapter.changed_boards([gid], {}) == []


def test_our_own_comments_do_not_count_but_the_clients_do(sandbox, adapter, project):
    gid, task = project
    adapter.changed_boards([gid], {})
    _read(adapter, gid)
    adapter.post_comment(task, "Merci ! Cette demande sort du forfait.\n\nref SK-0a1b2c")
    assert adapter.changed_boards([gid], {}) == []
    sandbox.add_comment(task, "D'accord, mais pouvez-vous le faire **quand même** ? 😅", by_client=True)
    assert adapter.changed_boards([gid], {}) == [gid]


def test_an_expired_sync_token_counts_as_a_change_and_a_round_asks_once(sandbox, adapter, project):
    gid, _ = project
    adapter.changed_boards([gid], {})
    _read(adapter, gid)
    sandbox.expire_sync_tokens()
    assert adapter.changed_boards([gid], {}) == [gid]
    _read(adapter, gid)
    assert adapter.changed_boards([gid], {}) == []

    sandbox.add_task(gid, "Zaktualizuj baner na stronie, proszę 🙂")
    sandbox.reset_counts()
    scan_round = object()   # the poll and the scan it starts
    assert adapter.changed_boards([gid], {}, scan_round) == [gid]
    assert adapter.changed_boards([gid], {}, scan_round) == [gid]
    assert _requests(sandbox) == {EVENTS: 1}


def test_a_read_that_fails_leaves_the_change_for_the_next_check(sandbox, adapter, project):
    gid, _ = project
    adapter.changed_boards([gid], {})
    _read(adapter, gid)
    sandbox.add_task(gid, "¿Puedes preparar la factura de noviembre? 🧾")
    assert adapter.changed_boards([gid], {}) == [gid]
    sandbox.fail_next(503, times=5, route="GET /tasks")
    with pytest.raises(Retriable):
        _read(adapter, gid)
    assert adapter.changed_boards([gid], {}) == [gid]
    _read(adapter, gid)
    assert adapter.changed_boards([gid], {}) == []
