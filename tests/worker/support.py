"""Worker test helpers: both sandboxes on loopback with cards of known findings, a config for them, PostgreSQL
schemas, and the real `scopekeeper run` as a subprocess."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from integrations.hostwindow import BUDGETS_DIR_ENV
from integrations.reference import make_reference, references_in
from integrations.sandbox.asana import SANDBOX_TOKEN as ASANA_TOKEN
from integrations.sandbox.asana import AsanaSandbox
from integrations.sandbox.trello import SANDBOX_KEY, TrelloSandbox
from integrations.sandbox.trello import SANDBOX_TOKEN as TRELLO_TOKEN
from rules.periods import period_of
from scheduler.testing_hooks import ASANA_URL_ENV, TRELLO_URL_ENV

REPO = Path(__file__).resolve().parents[2]
POSTGRES_ENV = "SCOPEKEEPER_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
TRELLO_CLIENT, ASANA_CLIENT = "Bright Path", "Sunrise Studio"

SETTINGS = """\
[scopekeeper]
state_url = "{state_url}"
timezone = "Europe/Warsaw"
mode = "{mode}"
scan_every = "{every}"
max_comments_per_run = {budget}
"""
CLIENT = """
[[clients]]
name = "{name}"
language = "en"
timezone = "{zone}"
boards = [{boards}]

[clients.contract]
hours = {hours}
period = "month"
overage_rate = {rate}
currency = "{currency}"
consultation_url = "https://calendly.com/example/consultation"

[[clients.contract.services]]
name = "Newsletter"
keywords = ["newsletter"]

[[clients.contract.services]]
name = "Social media"
keywords = ["instagram"]

[[clients.contract.out_of_scope]]
name = "Content strategy"
keywords = ["strategy"]
response = "consultation"
"""
REFERRAL = """
[[clients.contract.out_of_scope]]
name = "Bookkeeping"
keywords = ["invoice"]
response = "referral"
referral = "Maria Lopez, bookkeeping VA"
"""


def config_text(state_url: str, *, mode: str = "auto", budget: int = 30, every: str = "1m",
                trello_boards: Sequence[str] = (), asana_boards: Sequence[str] = (), signature: str | None = None) -> str:
    """The worker tests' configuration: Bright Path on Trello (3 h a month, $45/h), Sunrise Studio on Asana
    (2 h, 30 EUR/h). Both write English: each worker process then loads one language's lemmas (Spanish
    would add 0.6 s to every one of the suite's many processes)."""
    return (SETTINGS.format(state_url=state_url, mode=mode, budget=budget, every=every)
            + (f'signature = "{signature}"\n' if signature else "")
            + CLIENT.format(name=TRELLO_CLIENT, zone="UTC", boards=_boards("trello", trello_boards), hours=3, rate=45,
                            currency="USD") + REFERRAL
            + CLIENT.format(name=ASANA_CLIENT, zone="Europe/Madrid", boards=_boards("asana", asana_boards), hours=2,
                            rate=30, currency="EUR"))


# (title, comment kinds the rules give it): 3 contracted hours, so the second [2h] card goes 1 h over.
TRELLO_CARDS = (
    ("Content strategy for 2027", ("consultation",)),
    ("Send the invoices to our customers", ("referral",)),
    ("Newsletter for December [2h]", ()),
    ("Instagram posts for the launch [2h]", ("extra_hours",)),
    ("Newsletter: could you do it cheaper this time? [1h]", ("extra_hours", "discount")),
    ("Misc", ()),
)
# (name, minutes tracked, kinds): 2 contracted hours.
ASANA_TASKS = (
    ("Content strategy for 2027", None, ("consultation",)),
    ("December newsletter", 180, ("extra_hours",)),
    ("Instagram posts for the spring", 60, ("extra_hours",)),
)


@dataclass
class World:
    """The sandboxes, their servers, the seeded cards and the comments they should end up with."""

    trello: TrelloSandbox
    asana: AsanaSandbox
    trello_url: str
    asana_url: str
    state_url: str
    tmp: Path
    trello_board: str = ""
    asana_project: str = ""
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)  # reference -> (provider, card id)

    def config(self, *, mode: str = "auto", budget: int = 30, trello_boards: list[str] | None = None,
               asana_boards: list[str] | None = None, name: str = "scopekeeper.toml",
               signature: str | None = None) -> Path:
        """Write a configuration for this world; returns its path."""
        path = self.tmp / name
        path.write_text(config_text(
            self.state_url, mode=mode, budget=budget,
            trello_boards=[self.trello_board] if trello_boards is None else trello_boards,
            asana_boards=[self.asana_project] if asana_boards is None else asana_boards, signature=signature),
            encoding="utf-8")
        return path

    def add_card(self, title: str, kinds: tuple[str, ...] = ()) -> dict:
        """A client's new Trello card, and the comments it should get."""
        card = self.trello.add_card(self.trello_board, title, desc=f"Details: {title.lower()}")
        _expect(self, "trello", card["id"], kinds, datetime.now(UTC), "UTC")
        return card

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a worker process pointed at the sandboxes, logging JSON lines."""
        # The test run's budget folder stays (conftest): a worker never shares a budget file with the user's own.
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCOPEKEEPER_") or k == BUDGETS_DIR_ENV}
        env.update({"TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": TRELLO_TOKEN, "ASANA_TOKEN": ASANA_TOKEN,
                    TRELLO_URL_ENV: self.trello_url, ASANA_URL_ENV: self.asana_url,
                    "SCOPEKEEPER_LOG_FORMAT": "json", "NO_COLOR": "1",
                    "PYTHONFAULTHANDLER": "1"}, **extra)  # a hung worker can be made to show its threads
        return env

    def comment_texts(self) -> list[str]:
        """Every comment on every card of both sandboxes."""
        texts = [a["data"]["text"] for a in self.trello.actions.values() if a["type"] == "commentCard"]
        return texts + [s["text"] for gid in self.asana.tasks for s in self.asana.comments(gid)]

    def comment_counts(self) -> dict[str, int]:
        """How many comments carry each expected reference."""
        counts = dict.fromkeys(self.expected, 0)
        for body in self.comment_texts():
            for reference in references_in(body):
                if reference in counts:
                    counts[reference] += 1
        return counts


def _boards(provider: str, ids: Sequence[str]) -> str:
    return ", ".join(f'{{ provider = "{provider}", id = "{board}" }}' for board in ids)


def seed(world: World) -> None:
    """The cards of TRELLO_CARDS and ASANA_TASKS, and the references of the comments they should get."""
    world.trello_board = world.trello.add_board("Bright Path", number_fields=["Hours"])
    for title, kinds in TRELLO_CARDS:
        world.add_card(title, kinds)
    world.asana_project = world.asana.add_project("Sunrise Studio")
    for name, minutes, kinds in ASANA_TASKS:
        task = world.asana.add_task(world.asana_project, name, notes=f"Details: {name.lower()}",
                                    actual_time_minutes=minutes)
        _expect(world, "asana", task["gid"], kinds, datetime.fromisoformat(task["created_at"]), "Europe/Madrid")


def _expect(world: World, provider: str, card_id: str, kinds, created: datetime, zone: str) -> None:
    period = period_of(created, "month", ZoneInfo(zone)).key
    for kind in kinds:
        world.expected[make_reference(provider, card_id, kind, period)] = (provider, card_id)


def postgres_schema():
    """A state_url on its own new PostgreSQL schema; skipped locally without a server, an error on CI."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set on CI: .ci/services should have started PostgreSQL")
        pytest.skip(f"{POSTGRES_ENV} is not set (as root: `bash .ci/services /tmp/sk.env && . /tmp/sk.env` starts PostgreSQL)")
    schema = f"sk_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _parsed(line: str) -> dict:
    try:
        return json.loads(line)
    except ValueError:
        return {"message": line.rstrip("\n"), "level": "RAW"}


@dataclass
class Run:
    """A finished worker process: exit status, stdout, and its JSON log lines."""

    code: int
    stdout: str
    stderr: str

    @property
    def logs(self) -> list[dict]:
        return [_parsed(line) for line in self.stderr.splitlines()]

    def events(self, name: str) -> list[dict]:
        return [entry for entry in self.logs if entry.get("event") == name]


def command(*args: str) -> list[str]:
    """`scopekeeper ARGS` as a subprocess command line, run from this checkout."""
    return [sys.executable, "-c", "from scheduler.cli.main import main; main()", *args]


def start(world: World, config: Path, *args: str, **env: str) -> subprocess.Popen:
    """`scopekeeper run --config CONFIG ARGS` in the background."""
    return subprocess.Popen(command("run", "--config", str(config), *args), cwd=REPO, env=world.env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(world: World, config: Path, *args: str, timeout: float = 90, **env: str) -> Run:
    """`scopekeeper run --config CONFIG --once ARGS` to its end."""
    process = start(world, config, "--once", *args, **env)
    stdout, stderr = process.communicate(timeout=timeout)
    return Run(process.returncode, stdout, stderr)


class Background:
    """A `scopekeeper run` left running; its JSON log lines are collected as they come."""

    def __init__(self, world: World, config: Path, *args: str, **env: str) -> None:
        self.process = start(world, config, *args, **env)
        self.logs: list[dict] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self._changed:
                self.logs.append(_parsed(line))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, event: str, *, after: int = 0, timeout: float = 30, **fields: str) -> dict:
        """The first log entry of `event` with these fields (past the first `after` entries), waiting for it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [e for e in self.logs[after:]
                         if e.get("event") == event and all(e.get(k) == v for k, v in fields.items())]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"no {event!r} in the worker's log: {self.logs}")
                self._changed.wait(min(left, 0.5))

    def signal(self, number: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send a signal and wait for the process to end; its exit status."""
        self.process.send_signal(number)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            # The test fails with what the process was doing (faulthandler prints every thread on SIGABRT)
            # and leaves nothing behind.
            self.process.send_signal(signal.SIGABRT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self._reader.join(5)
            tail = "\n".join(str(entry) for entry in self.logs[-80:])
            raise AssertionError(
                f"still running {timeout:g} s after signal {number}; its last log lines:\n{tail}") from None
        self._reader.join(5)
        return code


def wait_until(condition, timeout: float = 30, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def use_world_env(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's environment pointed at the world's sandboxes (secrets and API URLs), as a worker's is."""
    for name, value in world.env().items():
        if name in ("TRELLO_API_KEY", "TRELLO_TOKEN", "ASANA_TOKEN") or name.startswith("SCOPEKEEPER_"):
            monkeypatch.setenv(name, value)
