"""The worker's commands: `scopekeeper run`, `review` and `status` (added to the CLI by scheduler.cli.main)."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import threading
from contextlib import ExitStack

import click
from rich.console import Console

from scheduler import logs
from scheduler.cli.common import DEFAULT_CONFIG, fail, load, say
from scheduler.cli.review import review_listing, status_table
from scheduler.config.models import AppConfig
from scheduler.config.secrets import get_secret
from scheduler.notify.channels import register_url_secrets
from scheduler.notify.notifier import Notifier
from scheduler.records.status import Mode
from scheduler.store import Store, StoreError, open_store
from scheduler.store.outbox import Outbox
from scheduler.store.scans import client_statuses, latest_findings
from scheduler.store.schema import APPROVED, PENDING_REVIEW
from scheduler.store.store import SCHEDULER_LOCK
from scheduler.worker.adapters import Adapters
from scheduler.worker.execute import Executor, Posting
from scheduler.worker.job import Worker
from scheduler.worker.review import editable_text, edited_text
from scheduler.worker.schedule import AlreadyRunning
from scheduler.worker.schedule import run as run_worker

MODES = tuple(mode.value for mode in Mode)
log = logging.getLogger("scopekeeper.run")


def _config_option(command):
    option = click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCOPEKEEPER_CONFIG",
                          help="Configuration file (or $SCOPEKEEPER_CONFIG; default scopekeeper.toml).")
    return option(command)


@click.command()
@click.option("--config", "config_path", type=click.Path(), envvar="SCOPEKEEPER_CONFIG",
              help="Configuration file (or $SCOPEKEEPER_CONFIG; default scopekeeper.toml), or a team folder: every "
                   "*.toml in it is one VA's configuration, all scanned by this one process.")
@click.option("--once", is_flag=True, help="Scan every client once and exit (status 1 if a scan failed).")
@click.option("--mode", type=click.Choice(MODES), help="Override scopekeeper.mode for this run.")
@click.option("--log-format", type=click.Choice(logs.FORMATS), envvar=logs.FORMAT_ENV,
              help=f"human (default) or json, one object per line (or ${logs.FORMAT_ENV}).")
@click.option("--log-level", envvar=logs.LEVEL_ENV, type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"],
              case_sensitive=False), help=f"INFO by default (or ${logs.LEVEL_ENV}).")
def run(config_path: str | None, once: bool, mode: str | None, log_format: str | None, log_level: str | None) -> None:
    """Scan every client on schedule and act on the findings.

    \b
    Modes (scopekeeper.mode, or --mode):
      review   queue comments for your approval (scopekeeper review); the default
      auto     post comments directly, at most max_comments_per_run per client scan
      dry-run  print what would be queued or posted; write nothing anywhere
    Each client is scanned every scan_every; the weekly report goes out on [scopekeeper.report]'s
    day and time. With PostgreSQL, a second `run` on the same database waits on standby and takes
    over if the first stops; with SQLite, only one may run per state file. SIGTERM or Ctrl-C stop
    it cleanly between cards.

    \b
    Examples:
      scopekeeper run --once --mode dry-run     # preview one scan of every client
      scopekeeper run --log-format json         # run for good, logs as JSON lines
      scopekeeper run --config team/            # one worker for every VA's file in team/
    """
    logs.configure(log_format, log_level)
    if config_path and os.path.isdir(config_path):
        from scheduler.cli.team import run_folder  # a team's modules only when a team runs

        sys.exit(run_folder(config_path, mode, once))
    config = _load(config_path)
    mode = Mode(mode or config.scopekeeper.mode)
    stop, halt = threading.Event(), threading.Event()
    stop_on_signals(stop, halt)
    store = _open(config, read_only=mode is Mode.DRY_RUN)
    adapters = Adapters(config)
    worker = build_worker(config, config_path or DEFAULT_CONFIG, store, adapters, mode, halt, click.echo)
    log.info("scopekeeper run: %d client(s), mode %s, %s", len(config.clients), mode,
             "one scan each" if once else f"every {config.scopekeeper.scan_every}", extra={"event": "start"})
    try:
        with ExitStack() as beside:
            if config.scopekeeper.web.enabled and not once and mode != "dry-run":
                _serve_web_beside(beside, config_path or DEFAULT_CONFIG, config, store, adapters)
            code = run_worker(worker, config, stop, once=once)
    except (AlreadyRunning, StoreError) as err:
        raise _fail(str(err), 1) from None
    finally:
        adapters.close()
        store.close()
    log.info("scopekeeper run stopped", extra={"event": "stop"})
    sys.exit(code)


def build_worker(config: AppConfig, config_path: str, store: Store, adapters: Adapters, mode: Mode, halt: threading.Event,
                 show, gate: threading.Semaphore | None = None) -> Worker:
    """The worker of one configuration: `show` prints what a dry run would do; `gate` is a team's."""
    notifier = None if mode is Mode.DRY_RUN else Notifier(config, store)
    return Worker(config, store, adapters, mode=mode, stop=halt, show=show, notifier=notifier, config_path=config_path,
                  gate=gate)


def _client_option(command):
    return click.option("--client", "client_name", help="Only this client's comments.")(command)


@click.group(invoke_without_command=True)
@_config_option
@_client_option
@click.pass_context
def review(ctx: click.Context, config_path: str | None, client_name: str | None) -> None:
    """List the comments waiting for your approval, with card links, why, and text.

    \b
    Examples, with the IDs it shows:
      scopekeeper review --client "Estudio Sol"
      scopekeeper review approve 12 13        # posted at the next scan
      scopekeeper review approve 12 --post    # posted now
      scopekeeper review approve --all --client "Estudio Sol" --post
      scopekeeper review reject 14
      scopekeeper review undo 14              # a rejected comment waits for review again
      scopekeeper review edit 12              # your editor, or type the text in the terminal
    """
    ctx.obj = (config_path, client_name)
    if ctx.invoked_subcommand is None:
        config, client = _scope(ctx, config_path, client_name)
        store = _open(config)
        outbox = Outbox(store)
        queued = outbox.listed((PENDING_REVIEW,), client=client)
        findings = latest_findings(store, ((i.client, i.provider, i.card_id) for i in queued))
        click.echo(review_listing(queued, len(outbox.listed((APPROVED,), client=client)), findings,
                                  width=shutil.get_terminal_size((80, 24)).columns, client=client))


@review.command()
@_config_option
@_client_option
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Approve every comment waiting for review (of --client only).")
@click.option("--post", is_flag=True, help="Post the approved comments now instead of at the next scan.")
@click.pass_context
def approve(ctx: click.Context, config_path: str | None, client_name: str | None, ids: tuple[int, ...], every: bool,
            post: bool) -> None:
    """Approve comments by ID: they are posted at the next scan, or now with --post.

    --all --post also posts the comments approved earlier and not posted yet (an interrupted --post):
    running it again finishes the job, and never posts a comment twice.

    \b
    Examples:
      scopekeeper review approve 12 13
      scopekeeper review approve --all --post
      scopekeeper review approve --all --client "Bright Path Coaching"
    """
    config, client = _scope(ctx, config_path, client_name)
    store = _open(config)
    outbox = Outbox(store)
    if every and ids:
        raise _fail("give IDs or --all, not both")
    if not every and not ids:
        raise _fail("give the IDs to approve (see `scopekeeper review`), or --all")
    if post:
        logs.configure(default_level="WARNING")
    adapters = Adapters(config) if post else None
    try:
        if adapters is not None:
            # An interrupted --post may have left a comment sent without its answer: settled by reading its card
            # (found there: recorded as posted; not found: approved again, and posted below).
            for problem in Executor(store, adapters, threading.Event()).reconcile(client):
                _say("warning:", "yellow", problem)
        waiting = [i.id for i in outbox.listed((APPROVED,), client=client)] if post and every else []
        if every:
            ids = tuple(i.id for i in outbox.listed((PENDING_REVIEW,), client=client))
            if not ids and not waiting:
                click.echo("No comments are waiting for your review" + (f" for {client}." if client else "."))
                return
        failed = _each(outbox, ids, lambda i: outbox.approve(i) or getattr(outbox.get(i), "status", None) == APPROVED,
                       "approved", client)
        approved = [i for i in ids if i not in failed] + waiting  # --all --post also posts what an earlier run approved
        if adapters is not None and approved:
            _posted(Executor(store, adapters, threading.Event()).post(ids=approved))
    finally:
        if adapters is not None:
            adapters.close()
    if failed:
        raise click.exceptions.Exit(1)


def _posted(result: Posting) -> None:
    """Say what a posting round did; exit 1 when comments are left waiting."""
    click.echo(f"posted {result.posted}" + (f"; {result.unknown} outcome(s) unknown, checked at the next scan"
                                            if result.unknown else ""))
    for problem in result.problems:
        _say("warning:", "yellow", problem)
    if result.waiting:
        raise click.exceptions.Exit(1)


def _decision(name: str, summary: str, example: str, change: str, done: str) -> click.Command:
    """A `review` subcommand that applies one outbox decision to comments by ID (of --client only)."""

    @click.pass_context
    def command(ctx: click.Context, config_path: str | None, client_name: str | None, ids: tuple[int, ...]) -> None:
        config, client = _scope(ctx, config_path, client_name)
        outbox = Outbox(_open(config))
        if _each(outbox, ids, getattr(outbox, change), done, client):
            raise click.exceptions.Exit(1)

    command.__doc__ = f"{summary}\n\n    \b\n    Example:\n      {example}\n    "
    for option in (click.argument("ids", nargs=-1, type=int, required=True), _client_option, _config_option):
        command = option(command)
    return review.command(name)(command)


reject = _decision("reject", "Reject comments by ID: they are not posted (undo with `scopekeeper review undo ID`).",
                   "scopekeeper review reject 14", "reject", "rejected (undo: scopekeeper review undo ID)")
undo = _decision("undo", "Undo a rejection: the comment waits for your review again.", "scopekeeper review undo 14",
                 "restore", "waits for your review again")


@review.command()
@_config_option
@_client_option
@click.argument("intent_id", metavar="ID", type=int)
@click.option("--text", help="The new text (instead of opening an editor); the reference line is kept.")
@click.pass_context
def edit(ctx: click.Context, config_path: str | None, client_name: str | None, intent_id: int,
         text: str | None) -> None:
    """Change a comment's text before it is posted (its reference line is kept).

    Opens $VISUAL or $EDITOR; without one, nano when installed, else you type the text in the terminal.

    \b
    Examples:
      scopekeeper review edit 12
      scopekeeper review edit 12 --text "Happy to help! That is a consultation: ..."
    """
    config, client = _scope(ctx, config_path, client_name)
    outbox = Outbox(_open(config))
    intent = outbox.get(intent_id)
    if intent is None or intent.status not in (PENDING_REVIEW, APPROVED) or (client and intent.client != client):
        reason = ("does not exist" if intent is None else f"is for {intent.client}, not {client}"
                  if client and intent.client != client else f"is {intent.status}: only comments waiting for "
                  "review or for posting can be edited")
        raise _fail(f"#{intent_id} {reason}", 1)
    new = edited_text(intent, text if text is not None else _edited(editable_text(intent)))
    if new is None:
        click.echo(f"#{intent_id}: no change")
    elif outbox.reword(intent_id, new):
        click.echo(f"#{intent_id}: text updated")
    else:
        raise _fail(f"#{intent_id} changed state meanwhile; not edited", 1)


def _edited(current: str) -> str | None:
    """The VA's new text: her editor, nano, or typed in the terminal when no editor is set or installed."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or shutil.which("nano")
    if editor:
        return click.edit(current, editor=editor, extension=".txt")
    click.echo("No text editor is set (EDITOR). The current text:\n")
    click.echo(current)
    click.echo("Type the new text; finish with a line holding only a dot (.), or press Ctrl-D to keep it as is:")
    lines = []
    for line in sys.stdin:
        if line.rstrip("\n") == ".":
            break
        lines.append(line)
    return "".join(lines) or None


def _scope(ctx: click.Context, config_path: str | None, client_name: str | None) -> tuple[AppConfig, str | None]:
    """The configuration and the client the command is limited to (--client here or on `review`)."""
    parent_config, parent_client = ctx.obj if isinstance(ctx.obj, tuple) else (None, None)
    config = _load(config_path or parent_config)
    name = client_name or parent_client
    try:
        return config, config.client(name).name if name else None
    except KeyError as err:
        raise _fail(str(err.args[0])) from None


@click.command()
@_config_option
def status(config_path: str | None) -> None:
    """Per client: the last scan, its outcome, comments waiting for review, and unknown outcomes.

    \b
    Example:
      scopekeeper status --config scopekeeper.toml
    """
    config = _load(config_path)
    store = _open(config)
    console = Console() if sys.stdout.isatty() else Console(width=120)
    status_table(config, client_statuses(store), Outbox(store).counts(), store.lock(SCHEDULER_LOCK).holder(), console)


def _serve_web_beside(stack: ExitStack, config_path: str, config: AppConfig, store: Store, adapters: Adapters) -> None:
    """The web app next to the scheduler; when it cannot start (its port is taken, by a standby worker's
    active twin for one) the scheduler runs on without it, and the log says why."""
    from scheduler.web.server import WebError

    try:
        from scheduler.cli.web import serving_app  # the web app's modules only when it is served

        stack.enter_context(serving_app(config_path, config, store, adapters=adapters))
    except WebError as err:
        log.warning("the web app is not available: %s; the schedule runs on without it", err,
                    extra={"event": "web_unavailable"})


def _each(outbox: Outbox, ids, change, done: str, client: str | None = None) -> list[int]:
    """Apply `change` to each ID, saying what happened; the IDs it failed for (or that belong to another
    client than `client`: those are left alone)."""
    failed = []
    for intent_id in ids:
        intent = outbox.get(intent_id) if client else None
        if intent is not None and intent.client != client:
            _say("error:", "red", f"#{intent_id} is for {intent.client}, not {client}: left alone")
        elif change(intent_id):
            click.echo(f"#{intent_id} {done}")
            continue
        else:
            intent = outbox.get(intent_id)
            _say("error:", "red", f"#{intent_id} " + ("does not exist" if intent is None else f"is {intent.status}"))
        failed.append(intent_id)
    return failed


def _open(config: AppConfig, *, read_only: bool = False) -> Store:
    try:
        return open_store(config.scopekeeper.state_url, read_only=read_only)
    except StoreError as err:
        raise _fail(str(err), 1) from None


def _register_secrets(config: AppConfig) -> None:
    """Every secret the configuration names, so that no log line or stored error can carry it."""
    names = [config.connections.trello.api_key_env, config.connections.trello.token_env,
             config.connections.asana.token_env]
    if config.smtp and config.smtp.password_env:
        names.append(config.smtp.password_env)
    logs.register_secrets(get_secret(name, required=False) for name in names)
    register_url_secrets(config.notify.urls)


def stop_on_signals(*events: threading.Event) -> None:
    def stopping(name: str) -> None:
        log.info("%s received: stopping after the current card", name, extra={"event": "signal"})
        for event in events:
            event.set()

    def handle(signum, frame) -> None:
        # The handler runs in the main thread between two of its steps, maybe inside stop.wait() holding the
        # event's lock (or a log handler's): setting the event there would wait on that lock for ever.
        threading.Thread(target=stopping, args=(signal.Signals(signum).name,), name="stop-signal", daemon=True).start()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def _load(path: str | None) -> AppConfig:
    config = load(path or DEFAULT_CONFIG)
    _register_secrets(config)
    return config


def _fail(message: str, code: int = 2) -> click.exceptions.Exit:
    return fail(logs.redact(message), code)


def _say(prefix: str, colour: str, message: str) -> None:
    say(prefix, colour, logs.redact(message))


commands = [run, review, status]
# For the other command modules that load the configuration (secrets registered) and open the store alike.
load_registered, open_checked = _load, _open
