"""`scopekeeper run --config FOLDER`: one worker for every VA whose configuration is in the folder."""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from scheduler.cli.common import EXIT_FAILED, EXIT_USAGE, fail, say
from scheduler.cli.worker import build_worker, load_registered, stop_on_signals
from scheduler.config.models import AppConfig
from scheduler.config.team import team_conflicts, team_files
from scheduler.logs import redact
from scheduler.records.status import Mode
from scheduler.store import StoreError, open_store
from scheduler.worker.adapters import Adapters
from scheduler.worker.heap import freeze_start_up
from scheduler.worker.schedule import MAX_THREADS, AlreadyRunning
from scheduler.worker.schedule import run as run_worker

# VAs scanned at once per process by --once: three tokens at full speed already fill Trello's budget per API
# key, and while some VAs' answers are evaluated and stored the others' requests keep the budget busy. Fewer
# at once, each VA's scan ends sooner and the process holds fewer scans in memory.
AT_ONCE = 4

_STOPPING = {signal.SIGTERM, signal.SIGINT}
log = logging.getLogger("scopekeeper.run")
Member = tuple[Path, AppConfig]


def run_folder(folder: str, mode: str | None, once: bool) -> int:
    """The exit status of the team's run: the worst of its VAs' (2 when a configuration could not run).

    On Linux the VAs are shared among up to one process per core, forked once everything is imported: one
    process's evaluation would hold the others' requests back (Python runs one thread at a time).
    """
    members, skipped = load_team(Path(folder))
    log.info("scopekeeper run: a team of %d VA(s) in one worker: %s", len(members),
             ", ".join(path.name for path, _ in members), extra={"event": "team"})
    if not once and any(config.scopekeeper.web.enabled for _, config in members):
        log.info("a team worker serves no web app: each VA runs `scopekeeper web --config <her file>`",
                 extra={"event": "web_unavailable"})
    processes = min(cpus(), -(-len(members) // AT_ONCE)) if sys.platform == "linux" else 1
    shares = [members[n::processes] for n in range(processes)]
    code = _in_processes(shares, mode, once) if processes > 1 else run_share(members, mode, once)
    return max(code, EXIT_USAGE if skipped else 0)


def cpus() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load_team(folder: Path) -> tuple[list[Member], bool]:
    """The folder's VAs that can run (each checked alone, then against the others), and whether any cannot:
    the reasons are printed, naming the file; the others run."""
    paths = team_files(folder)
    if not paths:
        raise fail(f"{folder}: no configuration (*.toml) in this folder")
    configs: dict[Path, AppConfig] = {}
    for path in paths:
        try:
            configs[path] = load_registered(str(path))
        except click.exceptions.Exit:  # its problems are printed
            continue
    conflicts = team_conflicts(configs)
    for path, why in conflicts.items():
        say("config error:", "red", f"{path}: not run: {why}")
    members = [(path, config) for path, config in configs.items() if path not in conflicts]
    if not members:
        raise click.exceptions.Exit(EXIT_USAGE)
    return members, len(members) < len(paths)


def run_share(members: list[Member], mode: str | None, once: bool) -> int:
    """These VAs' workers in this process: with --once AT_ONCE at a time, in file order; else all, each on her
    own schedule. The worst exit status; a VA's failure never stops the others."""
    stop, halts = threading.Event(), [threading.Event() for _ in members]
    stop_on_signals(stop, *halts)
    if sys.platform == "linux":  # a forked process starts with them held (below)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)

    # Running for good, every VA's schedule starts with a scan of each client: at most as many client scans at
    # once as --once has, whatever the schedules.
    gate = threading.BoundedSemaphore(AT_ONCE * MAX_THREADS)

    def go(member: Member, halt: threading.Event) -> int:
        path, config = member
        return _guarded(path, config, halt, mode, once, stop, gate)

    if once:
        with ThreadPoolExecutor(min(AT_ONCE, len(members)), thread_name_prefix="va") as pool:
            return max(pool.map(go, members, halts))
    codes: list[int] = []
    threads = [threading.Thread(target=lambda m=member, h=halt: codes.append(go(m, h)), name=f"va-{member[0].stem}")
               for member, halt in zip(members, halts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # each ends once `stop` is set (a signal)
    return max(codes, default=0)


def _guarded(path: Path, config: AppConfig, halt: threading.Event, mode: str | None, once: bool,
             stop: threading.Event, gate: threading.Semaphore) -> int:
    try:
        return _run_member(path, config, halt, Mode(mode or config.scopekeeper.mode), once, stop, gate)
    except (AlreadyRunning, StoreError) as err:
        log.error("%s: %s", path.name, redact(str(err)), extra={"event": "team_member_failed"})
    except Exception:  # her scans' own errors are handled inside: this is the unforeseen
        log.exception("%s: the worker stopped on an unexpected error", path.name, extra={"event": "team_member_failed"})
    return EXIT_FAILED


def _run_member(path: Path, config: AppConfig, halt: threading.Event, mode: Mode, once: bool,
                stop: threading.Event, gate: threading.Semaphore) -> int:
    """One VA's worker, as `run --config FILE` runs it (without the web app)."""
    store = open_store(config.scopekeeper.state_url, read_only=mode is Mode.DRY_RUN)
    adapters = Adapters(config)
    try:
        worker = build_worker(config, str(path), store, adapters, mode, halt,
                              lambda text: click.echo("\n".join(f"[{path.stem}] {line}" for line in text.splitlines())),
                              gate)
        return run_worker(worker, config, stop, once=once)
    finally:
        adapters.close()
        store.close()


def _in_processes(shares: list[list[Member]], mode: str | None, once: bool) -> int:
    """Each share in a forked process; a signal to this one is passed on to them. The worst exit status."""
    freeze_start_up()  # before forking: the processes share start-up's pages, and no collection walks them
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_child, args=(share, mode, once), name=f"scopekeeper-team-{n + 1}")
                for n, share in enumerate(shares)]

    def pass_on(signum, frame) -> None:
        for child in children:
            if child.pid is not None and child.exitcode is None:
                os.kill(child.pid, signum)

    # Held while forking: a stop arriving meanwhile reaches every process once each has its handler.
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        for child in children:
            child.start()
        for signum in _STOPPING:
            signal.signal(signum, pass_on)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    for child in children:
        child.join()
    return max(EXIT_FAILED if child.exitcode is None or child.exitcode < 0 else child.exitcode for child in children)


def _child(share: list[Member], mode: str | None, once: bool) -> None:
    sys.exit(run_share(share, mode, once))
