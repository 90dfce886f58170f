"""`scopekeeper web` (the web app alone) and `scopekeeper open` (a fresh login link to a running one)."""
from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import tomlkit
from tomlkit.exceptions import ParseError

from scheduler import logs
from scheduler.cli.common import DEFAULT_CONFIG, fail, load
from scheduler.config.models import AppConfig
from scheduler.store import Store, StoreError, open_store

# The web app's modules (Starlette, uvicorn, Jinja2) load only when a command serves it: other commands start fast.


def _config_option(command):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCOPEKEEPER_CONFIG",
                        default=DEFAULT_CONFIG, show_default=True,
                        help="Configuration file (or $SCOPEKEEPER_CONFIG).")(command)


@click.command()
@_config_option
@click.option("--port", type=click.IntRange(0, 65535), help="Listen on this port instead of [scopekeeper.web] port.")
@click.option("--no-browser", is_flag=True, help="Do not open the browser; only print the sign-in link.")
@click.option("--set-password", is_flag=True,
              help="Set the password asked when the app listens beyond this machine (stored only as a hash).")
def web(config_path: str, port: int | None, no_browser: bool, set_password: bool) -> None:
    """Serve the web app alone (inbox, clients, connect, reports), over the same state as `scopekeeper run`.

    \b
    Examples:
      scopekeeper web --config scopekeeper.toml
      scopekeeper web --set-password          # before binding beyond 127.0.0.1
    """
    if set_password:
        _set_password(Path(config_path))
        return
    logs.configure(default_level="WARNING")
    config = load(config_path)
    store = _open(config)
    try:
        with serving(config_path, config, store, port=port, browser=not no_browser):
            _wait_for_ctrl_c()
    finally:
        store.close()


@click.command("open")
@_config_option
@click.option("--no-browser", is_flag=True, help="Only print the link.")
def open_command(config_path: str, no_browser: bool) -> None:
    """Print a fresh one-time sign-in link to the running web app (and open the browser).

    \b
    Example:
      scopekeeper open --config scopekeeper.toml
    """
    from scheduler.web.context import logins_path
    from scheduler.web.security import LoginTokens, is_loopback

    config = load(config_path)
    web_settings = config.scopekeeper.web
    if not is_loopback(web_settings.bind):
        url = f"http://{web_settings.bind}:{web_settings.port}/login"
        click.echo(f"Open {url} and sign in with your ScopeKeeper password.")
    else:
        token = LoginTokens(logins_path(Path(config_path))).new()
        url = f"http://127.0.0.1:{web_settings.port}/login?token={token}"
        click.echo(f"Sign in to ScopeKeeper (this link works once, for 15 minutes): {url}")
    if not no_browser:
        _browse(url)


@contextmanager
def serving_app(config_path: str | Path, config: AppConfig, store: Store, *, port: int | None = None,
                browser: bool = False, adapters=None) -> Iterator:
    """The web app beside the caller's work, printing the sign-in link; WebError when it cannot start."""
    from scheduler.web.server import serving as server_beside

    with server_beside(config_path, config, store, port=port, adapters=adapters) as server:
        announce(server, browser)
        yield server.context


@contextmanager
def serving(config_path: str | Path, config: AppConfig, store: Store, *, port: int | None = None,
            browser: bool = False, adapters=None) -> Iterator:
    """The web app running beside the caller's work; prints the sign-in link; exit 1 when it cannot start."""
    from scheduler.web.server import WebError

    try:
        with serving_app(config_path, config, store, port=port, browser=browser, adapters=adapters) as context:
            yield context
    except WebError as err:
        raise fail(str(err), 1) from None


def announce(server, browser: bool) -> None:
    """The one line with the sign-in link (and the browser opened on it); the log says where, without the link."""
    logging.getLogger("scopekeeper.web").info("web app serving on %s/", server.url, extra={"event": "web_started"})
    url = server.login_url()
    click.echo(f"ScopeKeeper's web app: {server.url}/  Sign in with this one-time link: {url}")
    if browser:
        _browse(url)


def _wait_for_ctrl_c() -> None:
    stop = threading.Event()
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        click.echo("stopped")


def _browse(url: str) -> None:
    try:
        webbrowser.open(url)
    except Exception:  # no browser on a server: the printed link is enough
        pass


def _set_password(path: Path) -> None:
    from scheduler.web.security import hash_password

    password = click.prompt("New web app password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise fail("use at least 10 characters")
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, ParseError) as err:
        raise fail(f"{path}: cannot read: {err}") from None
    settings = document.setdefault("scopekeeper", tomlkit.table())
    web_table = settings.setdefault("web", tomlkit.table())
    web_table["password_hash"] = hash_password(password)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    click.echo(f"Password set (only its hash is in {path}).")


@click.command("client-page")
@_config_option
@click.option("--client", "client_name", required=True, help="The client whose own page to make or turn off.")
@click.option("--off", is_flag=True, help="Turn the client's page off: its link then shows \"not found\".")
def client_page(config_path: str, client_name: str, off: bool) -> None:
    """Print a new link to a client's own read-only page (replacing any earlier link), or turn the page off.

    \b
    Examples:
      scopekeeper client-page --client "Bright Path Coaching"
      scopekeeper client-page --client "Bright Path Coaching" --off
    """
    from scheduler.store.client_pages import ClientPages

    config = load(config_path)
    try:
        client = config.client(client_name)
    except KeyError as err:
        raise fail(str(err.args[0])) from None
    store = _open(config)
    try:
        pages = ClientPages(store)
        if off:
            said = "is now off: its link shows \"not found\"" if pages.revoke(client.name) else "was not on"
            click.echo(f"{client.name}'s page {said}.")
            return
        token = pages.issue(client.name)
    finally:
        store.close()
    web = config.scopekeeper.web
    host = "127.0.0.1" if web.bind in ("0.0.0.0", "::", "localhost") else web.bind
    base = (web.public_url or f"http://{host}:{web.port}").rstrip("/")
    click.echo(f"{client.name}'s page (any earlier link stops working): {base}/c/{token}")
    if not web.public_url:
        click.echo("This link opens on this computer only; for the client to open it, set [scopekeeper.web] "
                   "public_url to the web app's public address and make a new link.")


def _open(config: AppConfig) -> Store:
    try:
        return open_store(config.scopekeeper.state_url)
    except StoreError as err:
        raise fail(str(err), 1) from None


commands = [web, open_command, client_page]
