"""`scopekeeper demo`: the whole product on sample boards, with local sandboxes instead of accounts."""
from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import click
import tomlkit
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from integrations.sandbox.asana import SANDBOX_TOKEN as ASANA_TOKEN
from integrations.sandbox.asana import AsanaSandbox
from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_SECRET, TrelloSandbox
from integrations.sandbox.trello import SANDBOX_TOKEN as TRELLO_TOKEN
from scheduler import logs
from scheduler.cli.review import review_listing
from scheduler.config.models import AppConfig, parse_config
from scheduler.demo.data import sample_boards, weeks_to_last_week
from scheduler.records.status import Mode, ScanOutcome
from scheduler.store import open_store
from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW
from scheduler.testing_hooks import ASANA_URL_ENV, TEST_HOOK, TRELLO_URL_ENV
from scheduler.worker.adapters import Adapters
from scheduler.worker.execute import Executor
from scheduler.worker.hooks import process_events
from scheduler.worker.job import Worker


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the demo's configuration, state and reports (default: a new temporary folder).")
@click.option("--quiet", is_flag=True, help="Print only the summary, not the review queue.")
@click.option("--summary-json", type=click.Path(dir_okay=False), hidden=True,
              help=TEST_HOOK + "also write the outcome as JSON, with what the sandbox cards carry.")
@click.option("--web", "with_web", is_flag=True,
              help="Leave the comments for you to review in the web app, and keep it running until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="The web app's port (default 8421).")
@click.option("--no-browser", is_flag=True, help="With --web: only print the sign-in link.")
def demo(out_dir: str | None, quiet: bool, summary_json: str | None, with_web: bool, port: int | None,
         no_browser: bool) -> None:
    """Run ScopeKeeper end to end on four sample clients, without any account.

    \b
    Starts local sandboxes of the Trello and Asana APIs with sample boards in English, French,
    Spanish and Polish; writes a demo configuration; scans every client in review mode; shows the
    review queue, approves it and posts the comments to the sandboxes; renders the weekly reports.
    Nothing leaves this machine and nothing keeps running afterwards.

    \b
    With --web the comments stay in the web app's inbox for you to approve, edit or reject, and the
    sandboxes and the web app keep running until Ctrl-C.

    \b
    Examples:
      scopekeeper demo
      scopekeeper demo --web
    """
    began = time.monotonic()
    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="scopekeeper-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    console = Console(highlight=False)
    logs.configure(default_level="WARNING")
    now = datetime.now(UTC)
    with ExitStack() as stack, Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                        console=console, transient=True) as progress:
        step = progress.add_task("Starting the Trello and Asana sandboxes", total=None)
        config = _write_config(folder)
        trello, asana = TrelloSandbox(), AsanaSandbox()
        weeks = weeks_to_last_week(now, ZoneInfo(config.scopekeeper.timezone))
        for board in sample_boards(weeks):
            (trello if "cards" in board else asana).load_export(board)
        trello_url = stack.enter_context(trello.serve()).url + "/1"
        asana_url = stack.enter_context(asana.serve()).host
        stack.enter_context(_environment({
            "TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": TRELLO_TOKEN, "ASANA_TOKEN": ASANA_TOKEN,
            "TRELLO_API_SECRET": SANDBOX_SECRET,
            TRELLO_URL_ENV: trello_url, ASANA_URL_ENV: asana_url}))
        store = open_store(config.scopekeeper.state_url)
        stack.callback(store.close)
        adapters = Adapters(config)
        stack.callback(adapters.close)

        progress.update(step, description="Scanning the four clients' boards (review mode)",
                        total=len(config.clients), completed=0)
        worker = Worker(config, store, adapters, mode=Mode.REVIEW, stop=threading.Event(), show=lambda _: None)
        outcomes = {}
        for client in config.clients:
            outcomes[client.name] = worker.scan(client)
            progress.advance(step)

        outbox = Outbox(store)
        queued = outbox.listed((PENDING_REVIEW,))
        if with_web:
            progress.stop()
            _serve_web(folder / "scopekeeper.toml", worker, port, not no_browser, console,
                       try_it=_try_it(trello, trello_url))
            return
        if not quiet:
            progress.stop()
            console.print(review_listing(queued, 0), markup=False)
            console.print()
            progress.start()
        progress.update(step, description="Approving the queue and posting the comments", total=len(queued),
                        completed=0)
        for intent in queued:
            outbox.approve(intent.id)
        posting = Executor(store, adapters, threading.Event()).post(ids=[i.id for i in queued])
        progress.update(step, completed=len(queued))

        progress.update(step, description="Rendering the weekly reports", total=None)
        from scheduler.reports.weekly import send_weekly_reports  # the last step alone needs the reports

        produced = send_weekly_reports(config, store, now, out_dir=folder / "reports")
        on_cards = [{"card": i.card_id, "reference": i.reference,
                     "found": sum(i.reference in text for text in _texts(trello, asana, i.provider, i.card_id))}
                    for i in queued]
        on_boards = sum(c["found"] for c in on_cards)

    practice = next((p for r in produced if r.target == "practice" for p in r.files if p.suffix == ".html"), None)
    console.print(f"[bold]ScopeKeeper demo[/] — 4 clients, sample boards moved to last week ({weeks:+d} weeks)")
    for name, outcome in outcomes.items():
        console.print(f"  scanned {name}: {outcome}")
    console.print(f"  {len(queued)} comment(s) queued for review, approved, {posting.posted} posted "
                  f"({on_boards} now on the sandbox cards)")
    for problem in posting.problems:
        console.print(f"  [yellow]warning:[/] {problem}")
    console.print(f"  {sum(len(r.files) for r in produced)} report file(s) in {folder / 'reports'}")
    if practice:
        console.print(f"  Open the practice summary: [bold]{practice}[/]")
    console.print(f"  Demo configuration: {folder / 'scopekeeper.toml'}  (finished in {time.monotonic() - began:.1f} s)")
    if summary_json:
        Path(summary_json).write_text(json.dumps({
            "folder": str(folder), "outcomes": outcomes, "queued": len(queued), "posted": posting.posted,
            "comments": on_cards, "reports": [str(p) for r in produced for p in r.files],
            "sandboxes": [trello_url, asana_url], "seconds": round(time.monotonic() - began, 2)}, indent=2),
            encoding="utf-8")
    if posting.problems or any(o is not ScanOutcome.OK for o in outcomes.values()):
        raise click.exceptions.Exit(1)


def _serve_web(config_path: Path, worker: Worker, port: int | None, browser: bool, console: Console, *,
               try_it: str) -> None:
    """The web app on the demo's data, until Ctrl-C (the sandboxes stay up meanwhile).

    The sandboxes' webhooks call the web app's own loopback address, and the events they deliver are evaluated
    every second: a card added to a sample board gets its comment in the inbox within seconds, as with
    public_url on a real installation.
    """
    import webbrowser

    from scheduler.web.server import WebError, serving

    try:
        with serving(config_path, worker.config, worker.store, port=port, adapters=worker.adapters) as server:
            server.context.hooks_url = server.url
            server.context.follow_boards()
            url = server.login_url()
            console.print(f"ScopeKeeper's web app: {server.url}/  Sign in with this one-time link: {url}",
                          soft_wrap=True)
            console.print("The sample comments wait in its inbox. Press Ctrl-C to stop the demo.")
            console.print("Try it live: add a card to a sample Trello board (as a client would) and its comment "
                          "appears in the inbox within seconds:", soft_wrap=True)
            console.print(f"  {try_it}", soft_wrap=True, markup=False)
            if browser:
                webbrowser.open(url)
            stop = threading.Event()
            try:
                while not stop.wait(1):
                    process_events(worker)
            except KeyboardInterrupt:
                console.print("Demo stopped.")
    except WebError as err:
        console.print(f"[red]error:[/] {err}")
        raise click.exceptions.Exit(1) from None


def _try_it(trello: TrelloSandbox, api_url: str) -> str:
    """A command that creates a card on the first sample Trello board, through the sandbox's API."""
    board = next(iter(trello.boards.values()))
    query = urlencode({"key": SANDBOX_KEY, "token": TRELLO_TOKEN, "idList": board["lists"][0]["id"],
                       "name": "Could you also set up an online course for our spring launch? 🙏"})
    return f'curl -X POST "{api_url}/cards?{query}"'


def _texts(trello: TrelloSandbox, asana: AsanaSandbox, provider: str, card_id: str) -> list[str]:
    """The comment texts on a sandbox card or task."""
    if provider == "trello":
        return [c["data"]["text"] for c in trello.comments_on(card_id)]
    return [s["text"] for s in asana.comments(card_id)]


def _write_config(folder: Path) -> AppConfig:
    """The bundled demo configuration, with its state file in `folder`."""
    template = (resources.files("scheduler.demo") / "config.toml").read_text(encoding="utf-8")
    document = tomlkit.parse(template)
    document["scopekeeper"]["state_url"] = f"sqlite:///{folder / 'scopekeeper.db'}"
    text = tomlkit.dumps(document)
    path = folder / "scopekeeper.toml"
    path.write_text(text, encoding="utf-8")
    return parse_config(text, path)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the demo's adapters, and put the old values back afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


commands = [demo]
