"""Serving the web app: uvicorn in a background thread, and the one-time login link it prints."""
from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from scheduler.config.models import AppConfig
from scheduler.errors import ScopeKeeperError
from scheduler.store import Store
from scheduler.web.app import create_app
from scheduler.web.context import WebContext
from scheduler.worker.adapters import Adapters

log = logging.getLogger("scopekeeper.web")


class WebError(ScopeKeeperError):
    """The web app cannot start; the message says why and what to do."""


def check_startable(config: AppConfig) -> None:
    """Beyond loopback the app needs a password: refuse to expose it without one."""
    web = config.scopekeeper.web
    from scheduler.web.security import is_loopback

    if not is_loopback(web.bind) and not web.password_hash:
        raise WebError(f"[scopekeeper.web] bind = {web.bind!r} makes the web app reachable from other machines, "
                       "so it needs a password: run `scopekeeper web --set-password` first, or bind to 127.0.0.1")


class WebServer:
    """`with WebServer(context) as server:` serves until the block ends; `server.url` is its address."""

    def __init__(self, context: WebContext, *, port: int | None = None) -> None:
        self.context = context
        web = context.config.scopekeeper.web
        self._config = uvicorn.Config(create_app(context), host=web.bind, port=web.port if port is None else port,
                                      log_level="warning", log_config=None, access_log=False, lifespan="off",
                                      server_header=False, date_header=False)
        self._server = uvicorn.Server(self._config)
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        host = self.context.bind
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "localhost") else (f"[{host}]" if ":" in host else host)
        return f"http://{shown}:{self.context.listen_port}"

    def login_url(self) -> str:
        """A fresh one-time login link (beyond loopback: the login page, where the password is asked)."""
        if self.context.needs_password():
            return f"{self.url}/login"
        return f"{self.url}/login?token={self.context.logins.new()}"

    def start(self) -> WebServer:
        # The socket is bound here, not in uvicorn's thread: a port in use is a clear error for the caller,
        # not a traceback from a thread that exits the process.
        family = socket.AF_INET6 if ":" in self._config.host else socket.AF_INET
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listening.bind((self._config.host, self._config.port))
        except OSError as err:
            listening.close()
            raise WebError(f"the web app could not listen on {self._config.host}:{self._config.port}: "
                           f"{err.strerror or err} (is another ScopeKeeper using that port? set "
                           "[scopekeeper.web] port)") from None
        listening.listen(128)
        self.context.port = listening.getsockname()[1]
        self._socket = listening
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [listening]}, name="web",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise WebError(f"the web app did not start on {self._config.host}:{self.context.port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def serving(config_path: str | Path, config: AppConfig, store: Store, *, port: int | None = None,
            adapters: Adapters | None = None) -> Iterator[WebServer]:
    """The web app running beside the caller's work (WebError when it cannot start)."""
    check_startable(config)
    server = WebServer(web_context(config_path, config, store, adapters), port=port).start()
    try:
        yield server
    finally:
        server.stop()


def web_context(config_path: str | Path, config: AppConfig, store: Store, adapters: Adapters | None = None) -> WebContext:
    return WebContext(Path(config_path), config, store, adapters or Adapters(config))
