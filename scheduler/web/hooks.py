"""The webhook routes: HEAD/POST /hooks/trello and POST /hooks/asana/<nonce>, always served.

Their signature is their authentication (no session, any Origin): a missing or bad one is 401 and changes
nothing. A valid delivery is queued in the store and answered at once; the worker evaluates the queue.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from integrations.webhooks import asana_events, asana_valid, trello_events, trello_valid
from scheduler.config.secrets import get_secret
from scheduler.logs import register_secret
from scheduler.store.hooks import Hooks

log = logging.getLogger("scopekeeper.webhooks")
MAX_BODY = 1_000_000  # Trello's and Asana's deliveries are a few kilobytes


def routes(context) -> list[BaseRoute]:
    """The routes the web app mounts (scheduler.web.app looks for this function)."""
    return [Route("/hooks/trello", trello_check, methods=["HEAD", "GET"]),
            Route("/hooks/trello", trello_delivery, methods=["POST"]),
            Route("/hooks/asana/{nonce}", asana_delivery, methods=["POST"])]


async def trello_check(request: Request) -> Response:
    """Trello checks a new callback URL with a HEAD that must answer 200."""
    return Response(status_code=200)


async def trello_delivery(request: Request) -> Response:
    body = await _body(request)
    if body is None:
        return Response(status_code=413)
    return await run_in_threadpool(_trello, request.app.state.context, body,
                                   request.headers.get("x-trello-webhook"))


async def asana_delivery(request: Request) -> Response:
    body = await _body(request)
    if body is None:
        return Response(status_code=413)
    return await run_in_threadpool(_asana, request.app.state.context, request.path_params["nonce"], body,
                                   request.headers.get("x-hook-secret"), request.headers.get("x-hook-signature"))


def _trello(context, body: bytes, signature: str | None) -> Response:
    config = context.current()
    secret = get_secret(config.connections.trello.api_secret_env, required=False)
    register_secret(secret)
    hooks = Hooks(context.store)
    registered = [h for h in hooks.all() if h.provider == "trello"]
    # Signed over the callback URL as registered: the configured public one, or the demo's loopback one.
    urls = dict.fromkeys(h.callback_url for h in registered)
    url = next((u for u in urls if trello_valid(secret, body, u, signature)), None)
    if url is None:
        log.warning("a Trello webhook delivery without a valid signature was refused", extra={"event": "hook_refused"})
        return Response(status_code=401)
    boards = {h.board_id: h.own_actor for h in registered}
    member = next((actor for actor in boards.values() if actor), None)  # one token: one member
    events = [e for e in trello_events(body, own_member=member) if not e.own and e.board_id in boards]
    hooks.enqueue("trello", [(e.key, e.board_id) for e in events])
    return Response(status_code=200)


def _asana(context, nonce: str, body: bytes, handshake: str | None, signature: str | None) -> Response:
    hooks = Hooks(context.store)
    hook = hooks.by_nonce(nonce)
    if hook is None or hook.provider != "asana":
        return Response(status_code=401)
    if handshake:
        if hook.secret is None and hooks.handshake(nonce, handshake):
            return Response(status_code=200, headers={"X-Hook-Secret": handshake})
        return Response(status_code=401)
    if not asana_valid(hook.secret, body, signature):
        log.warning("an Asana webhook delivery without a valid signature was refused", extra={"event": "hook_refused"})
        return Response(status_code=401)
    events = asana_events(body, hook.board_id, hook.own_actor)
    if events is None:
        return Response(status_code=400)
    hooks.heard("asana", hook.board_id)  # a heartbeat too: the webhook works
    hooks.enqueue("asana", [(e.key, e.board_id) for e in events if not e.own])
    return Response(status_code=200)


async def _body(request: Request) -> bytes | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


@dataclass
class _Context:
    """What the routes need of the web app's context: the configuration in use and the store."""

    config: object
    store: object

    def current(self):
        return self.config


class HookServer:
    """The webhook routes alone on loopback (the benchmark and tests; the web app serves them for the VA)."""

    def __init__(self, config, store, *, port: int = 0) -> None:
        import uvicorn
        from starlette.applications import Starlette

        app = Starlette(routes=routes(None))
        app.state.context = _Context(config, store)
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                     access_log=False, lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, name="hooks", daemon=True)
        self.url = ""

    def start(self) -> HookServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the webhook server did not start")
            time.sleep(0.02)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def __enter__(self) -> HookServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
