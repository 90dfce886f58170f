"""State storage that cannot be written: a read-only folder or file, a full disk. One sentence naming the
path and what to do; no traceback, no driver's text."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.worker.support import REPO, World, command, run

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def _without_root_powers() -> list[str]:
    """A command prefix under which file permissions hold: root ignores them unless it gives up DAC override."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: read-only files cannot be simulated")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _run(world: World, config: Path, prefix: list[str] = (), **options) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *command("run", "--config", str(config), "--once")], cwd=REPO,
                          env=world.env(SCOPEKEEPER_LOG_FORMAT="human"), capture_output=True, text=True,
                          timeout=90, **options)


def _database(world: World) -> Path:
    return Path(world.state_url.removeprefix("sqlite:///"))


def _assert_one_clear_sentence(output: str, where: Path, what: str) -> None:
    assert f"ScopeKeeper cannot write its state at {where}: {what}" in output, output
    assert "Traceback" not in output and "sqlalche.me" not in output and "OperationalError" not in output


@pytest.fixture
def restore_permissions(world):
    yield
    folder = _database(world).parent
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_state_folder_is_one_sentence_and_exit_1(world, restore_permissions):
    config = world.config(mode="review")
    assert run(world, config).code == 0  # the store exists, with its locks folder
    database = _database(world)
    locks = database.with_name(database.name + ".locks")
    for lock in locks.iterdir():
        lock.chmod(0o444)
    for path in (locks, database.parent):
        path.chmod(0o555)
    database.chmod(0o444)

    result = _run(world, config, _without_root_powers())

    assert result.returncode == 1
    _assert_one_clear_sentence(result.stderr, locks, "it is read-only for this user; make it writable")
    assert "error: " in result.stderr and result.stderr.count("cannot write its state") == 1


def test_a_read_only_database_file_fails_each_scan_in_one_sentence(world, restore_permissions):
    config = world.config(mode="review")
    assert run(world, config).code == 0
    world.add_card("Content strategy for the spring, please!!", ("consultation",))  # something to write
    _database(world).chmod(0o444)

    result = _run(world, config, _without_root_powers())

    assert result.returncode == 1
    _assert_one_clear_sentence(result.stderr, _database(world), "it is read-only for this user")
    failed = [line for line in result.stderr.splitlines() if "event=scan_failed" in line]
    assert len(failed) == 2 and all("cannot write its state at" in line for line in failed)  # each client's scan


def test_a_new_state_store_in_a_read_only_folder_is_refused_at_start(world, restore_permissions):
    config = world.config(mode="review")
    _database(world).parent.chmod(0o555)

    result = _run(world, config, _without_root_powers())

    assert result.returncode == 1 and result.stderr.startswith("error: ScopeKeeper cannot write")
    _assert_one_clear_sentence(result.stderr, _database(world), "it is read-only for this user")


def test_a_full_disk_or_quota_is_one_sentence(world):
    config = world.config(mode="review")
    assert run(world, config).code == 0
    for number in range(400):  # enough new cards that the database must grow
        world.trello.add_card(world.trello_board, f"Newsletter n°{number} 📰", desc="Détails à venir. " * 40)
    size = _database(world).stat().st_size

    def at_most_this_size() -> None:  # a file may not grow past its current size: writes fail as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    result = _run(world, config, preexec_fn=at_most_this_size)

    assert result.returncode == 1
    _assert_one_clear_sentence(result.stderr, _database(world), "the disk is full (or over its quota); free some")
