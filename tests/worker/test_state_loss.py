"""Losing the state store must not post anything twice: comments already on the cards are recognised by their
`ref SK-...`; an emptied database file is refused; the default store does not depend on the working directory.
Every test counts the comments on the sandbox cards."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scheduler.store import open_store
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, World, command, postgres_schema, run

_FRESH_SCHEMAS: list = []  # generators of postgres_schema(): advanced once more, they drop their schema


def _lose_state(world: World, tmp_path: Path, name: str = "lost") -> Path:
    """The store is gone (a deleted file, a lost volume, a fresh database): a config pointing at a new, empty one."""
    if world.state_url.startswith("sqlite:///"):
        database = Path(world.state_url.removeprefix("sqlite:///"))
        database.unlink()
        shutil.rmtree(database.with_name(database.name + ".locks"), ignore_errors=True)
    else:
        fresh = postgres_schema()
        world.state_url = next(fresh)
        _FRESH_SCHEMAS.append(fresh)  # dropped at the end of the test
    return world.config(mode="auto", name=f"{name}.toml")


@pytest.fixture(autouse=True)
def _drop_fresh_schemas():
    yield
    while _FRESH_SCHEMAS:
        next(_FRESH_SCHEMAS.pop(), None)


def _statuses(world: World) -> dict[str, str]:
    store = open_store(world.state_url)
    try:
        return {**store.comment_statuses(TRELLO_CLIENT), **store.comment_statuses(ASANA_CLIENT)}
    finally:
        store.close()


def _posts(world: World) -> int:
    trello = sum(1 for entry in world.trello.log if entry["method"] == "POST")
    return trello + sum(n for (method, _), n in world.asana.requests.items() if method == "POST")


def test_after_losing_the_state_store_nothing_is_posted_again(world, tmp_path):
    assert run(world, world.config(mode="auto")).code == 0
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
    posts = _posts(world)

    config = _lose_state(world, tmp_path)
    again = run(world, config)

    assert again.code == 0, again.stderr
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)  # 8 comments, not 16
    assert _posts(world) == posts
    found = again.events("found_on_card")
    assert sorted(e["client"] for e in found) == sorted([ASANA_CLIENT, TRELLO_CLIENT])
    assert _statuses(world) == dict.fromkeys(world.expected, "reconciled")
    # A new request of a client, after the loss, is posted as usual.
    world.add_card("Content strategy for the summer launch?? 🙏", ("consultation",))
    assert run(world, config).code == 0
    assert world.comment_counts() == dict.fromkeys(world.expected, 1) and _posts(world) == posts + 1


def test_in_review_mode_a_lost_store_queues_nothing_that_is_on_the_cards(world, tmp_path):
    assert run(world, world.config(mode="auto")).code == 0
    config = _lose_state(world, tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace('mode = "auto"', 'mode = "review"'), encoding="utf-8")

    assert run(world, config).code == 0

    assert _statuses(world) == dict.fromkeys(world.expected, "reconciled")  # nothing waits for review
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_emptied_database_file_is_refused_with_what_to_do(world, tmp_path):
    config = world.config(mode="auto")
    assert run(world, config).code == 0
    database = Path(world.state_url.removeprefix("sqlite:///"))
    database.write_bytes(b"")  # a disk that filled up mid-copy, a botched restore

    refused = run(world, config)

    assert refused.code == 1
    assert f"the state store {database} is an empty file (0 bytes)" in refused.stderr
    assert "restore it from your backup, or delete it" in refused.stderr and "Traceback" not in refused.stderr
    assert database.stat().st_size == 0  # left as it was, for the VA to restore
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
    database.unlink()  # as the message says: deleted, a new store starts and posts nothing twice
    assert run(world, config).code == 0
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_default_state_store_is_the_same_from_any_working_directory(world, tmp_path):
    text = re.sub(r'(?m)^state_url = .*\n', "", world.config(mode="auto").read_text(encoding="utf-8"))
    config = tmp_path / "default.toml"
    config.write_text(text, encoding="utf-8")
    data_home = tmp_path / "data-home"
    env = world.env(XDG_DATA_HOME=str(data_home))
    runs = []
    for folder in ("one", "two"):  # e.g. a terminal in ~/Documents, then a systemd unit in /
        (tmp_path / folder).mkdir()
        runs.append(subprocess.run(command("run", "--config", str(config), "--once"), cwd=tmp_path / folder,
                                   env=env, capture_output=True, text=True, timeout=90))

    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert (data_home / "scopekeeper" / "scopekeeper.db").is_file()
    assert not list(tmp_path.glob("*/scopekeeper.db"))
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
    assert '"found_on_card"' not in runs[1].stderr  # the same store: it knew them


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_old_default_in_the_working_directory_is_still_used_with_a_warning(world, tmp_path):
    config = world.config(mode="auto")
    assert run(world, config).code == 0
    folder = tmp_path / "where-it-always-ran"
    folder.mkdir()
    Path(world.state_url.removeprefix("sqlite:///")).rename(folder / "scopekeeper.db")
    config.write_text(re.sub(r'(?m)^state_url = .*\n', "", config.read_text(encoding="utf-8")), encoding="utf-8")

    kept = subprocess.run(command("run", "--config", str(config), "--once"), cwd=folder,
                          env=world.env(XDG_DATA_HOME=str(tmp_path / "data-home")), capture_output=True, text=True,
                          timeout=90)

    assert kept.returncode == 0, kept.stderr
    assert "the old default" in kept.stderr and str(tmp_path / "data-home" / "scopekeeper") in kept.stderr
    assert '"found_on_card"' not in kept.stderr and world.comment_counts() == dict.fromkeys(world.expected, 1)


def test_a_card_whose_comments_cannot_be_read_keeps_its_new_comments_for_the_next_scan(world):
    # Asana tasks come without their comments: each task about to get one is asked first; here Asana fails.
    world.asana.fail_next(503, times=3 * 5, route="GET /tasks/{task_gid}/stories")
    config = world.config(mode="auto")

    first = run(world, config)

    assert first.code == 1  # partial: the Asana client's comments wait
    counts = world.comment_counts()
    assert {ref: n for ref, n in counts.items() if world.expected[ref][0] == "asana"} == dict.fromkeys(
        [ref for ref, (provider, _) in world.expected.items() if provider == "asana"], 0)
    assert sum(counts.values()) == 5  # the Trello ones went out
    second = run(world, config)
    assert second.code == 0, second.stderr
    assert world.comment_counts() == dict.fromkeys(world.expected, 1)
