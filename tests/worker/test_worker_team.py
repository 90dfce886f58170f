"""`scopekeeper run --config FOLDER`: one worker for a team of VAs, each with her own token, state and clients."""
from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest

from integrations.reference import references_in
from scheduler.cli.team import cpus
from scheduler.store import open_store
from scheduler.store.scans import client_statuses
from tests.worker.support import TRELLO_CLIENT, Background, config_text, run, use_world_env, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", ["sqlite"])]  # real `scopekeeper run` processes


def _va(world, folder: Path, name: str, board: str, *, token_env: str | None = None) -> Path:
    """Her configuration in the team folder: her board, her state file, her token's variable."""
    text = config_text(f"sqlite:///{world.tmp / f'{name}.db'}", trello_boards=[board])
    text += f'\n[connections.trello]\ntoken_env = "{token_env or "TRELLO_TOKEN_" + name.upper()}"\n'
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _board_with_request(world, name: str) -> tuple[str, str]:
    """Another client's board (same contract) with one out-of-scope request; the board and the card."""
    board = world.trello.add_board(name, number_fields=["Hours"])
    card = world.trello.add_card(board, "Can u do our content strategy for Q1?? 🙏", desc="we need a plan")
    return board, card["id"]


def _comments(world, card_id: str) -> list[str]:
    return [a["data"]["text"] for a in world.trello.actions.values()
            if a["type"] == "commentCard" and a["data"]["card"]["id"] == card_id]


def _trello_posted_once(world) -> bool:
    counts = world.comment_counts()
    return all(counts[reference] == 1 for reference, (provider, _) in world.expected.items() if provider == "trello")


def test_one_worker_scans_each_va_with_her_own_token_and_a_refused_token_fails_only_her_scan(world, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    world.trello.tokens |= {"anna-token", "ben-token"}
    ben_board, ben_card = _board_with_request(world, "Ben's client")
    cleo_board, cleo_card = _board_with_request(world, "Cleo's client")
    _va(world, team, "anna", world.trello_board)
    _va(world, team, "ben", ben_board)
    _va(world, team, "cleo", cleo_board)

    done = run(world, team, timeout=120, TRELLO_TOKEN_ANNA="anna-token", TRELLO_TOKEN_BEN="ben-token",
               TRELLO_TOKEN_CLEO="a-revoked-token")

    assert done.code == 1, done.stderr[-3000:]  # Cleo's scan failed; the exit status says so
    assert done.events("team")[0]["message"].endswith("anna.toml, ben.toml, cleo.toml")
    assert _trello_posted_once(world)  # Anna's cards, with Anna's token
    [ben_comment] = _comments(world, ben_card)
    assert "consultation" in ben_comment.lower() and references_in(ben_comment)
    assert _comments(world, cleo_card) == []  # her token was refused: nothing read, nothing posted as another VA
    for name, outcome in (("anna", "ok"), ("ben", "ok"), ("cleo", "partial")):  # her board unread
        store = open_store(f"sqlite:///{world.tmp / f'{name}.db'}")
        try:
            assert client_statuses(store)[TRELLO_CLIENT].outcome == outcome, name
        finally:
            store.close()


def test_a_team_member_who_cannot_run_is_named_with_the_reason_and_the_others_still_run(world, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    world.trello.tokens |= {"anna-token", "ben-token"}
    ben_board, ben_card = _board_with_request(world, "Ben's client")
    _va(world, team, "anna", world.trello_board)
    _va(world, team, "ben", ben_board)
    _va(world, team, "dora", world.trello_board, token_env="TRELLO_TOKEN_ANNA")  # copied Anna's file
    (team / "eva.toml").write_text('[scopekeeper]\nmode = "loud"\n', encoding="utf-8")

    done = run(world, team, TRELLO_TOKEN_ANNA="anna-token", TRELLO_TOKEN_BEN="ben-token")

    assert done.code == 2
    assert ("anna.toml and dora.toml both read their Trello token from TRELLO_TOKEN_ANNA: in one worker each VA "
            "needs her own") in " ".join(done.stderr.split())
    assert "eva.toml" in done.stderr and "loud" in done.stderr
    assert world.comment_counts() and not any(world.comment_counts().values())  # Anna's (and Dora's) not run
    assert len(_comments(world, ben_card)) == 1


def test_a_large_team_is_shared_among_processes_that_all_stop_on_one_sigterm(world, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    cards = []
    for n in range(5):  # more VAs than one process scans at once
        token = f"va{n}-token"
        world.trello.tokens.add(token)
        board, card = _board_with_request(world, f"Client of VA {n}")
        _va(world, team, f"va{n}", board)
        cards.append(card)
    tokens = {f"TRELLO_TOKEN_VA{n}": f"va{n}-token" for n in range(5)}

    worker = Background(world, team, **tokens)
    wait_until(lambda: all(len(_comments(world, card)) == 1 for card in cards), timeout=120,
               what="a comment on every VA's card")
    children = _children(worker.process.pid)

    assert len(children) == (2 if cpus() >= 2 else 0)  # 5 VAs, 4 at once per process
    assert worker.signal(signal.SIGTERM, timeout=60) == 0
    assert not any(Path(f"/proc/{child}").exists() for child in children)
    assert all(len(_comments(world, card)) == 1 for card in cards)


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def test_a_teams_scans_wait_for_a_place_at_the_gate_so_that_a_process_holds_only_a_few_at_once(world, monkeypatch):
    from scheduler.config.models import load_config
    from scheduler.records.status import ScanOutcome
    from scheduler.worker.adapters import Adapters
    from scheduler.worker.job import Worker

    use_world_env(world, monkeypatch)
    config = load_config(world.config(mode="review"))
    store, adapters = open_store(config.scopekeeper.state_url), Adapters(config)
    gate = threading.BoundedSemaphore(1)
    worker = Worker(config, store, adapters, mode="review", stop=threading.Event(), show=lambda text: None, gate=gate)
    outcomes = {}
    try:
        gate.acquire()  # another VA's scan has the only place
        scan = threading.Thread(target=lambda: outcomes.update(first=worker.scan(config.clients[0])))
        scan.start()
        scan.join(1.5)
        assert scan.is_alive() and client_statuses(store) == {}  # waiting, nothing read
        gate.release()
        scan.join(60)
        assert outcomes == {"first": ScanOutcome.OK}
        assert gate.acquire(blocking=False)  # the place was given back
    finally:
        adapters.close()
        store.close()
