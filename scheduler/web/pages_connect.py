"""Connect: Trello (API key, then the authorize page returning here with the token, or the token pasted), Asana
(a personal access token pasted and checked at once), then boards or projects picked for a client.

Tokens go where secrets live (OS keyring, else the secrets file beside the configuration), never into the TOML,
and are never shown again: the page only says whether a connection works and as whom.
"""
from __future__ import annotations

import os
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from integrations.asana.adapter import DEFAULT_HOST, AsanaAdapter
from integrations.errors import IntegrationError
from integrations.trello.adapter import TrelloAdapter
from integrations.trello.http import API as TRELLO_API
from integrations.trello.http import KEY_PAGE
from scheduler.config.edit import ConfigEditError, add_board
from scheduler.config.secrets import get_secret, save_secret
from scheduler.logs import redact, register_secret
from scheduler.testing_hooks import ASANA_URL_ENV, TRELLO_URL_ENV
from scheduler.web.app import render, with_form
from scheduler.web.context import WebContext

ASANA_TOKEN_PAGE = "https://app.asana.com/0/my-apps"
CHECK_TIMEOUT = 15.0


def trello_api() -> str:
    return os.environ.get(TRELLO_URL_ENV) or TRELLO_API


def asana_api() -> str:
    return os.environ.get(ASANA_URL_ENV) or DEFAULT_HOST


def authorize_url(api_key: str, return_url: str) -> str:
    """Trello's authorize page, sending the token back to our page in the URL's fragment (never to a server)."""
    query = urlencode({"expiration": "30days", "name": "ScopeKeeper", "scope": "read,write",
                       "response_type": "token", "key": api_key, "callback_method": "fragment",
                       "return_url": return_url})
    return f"{trello_api().rstrip('/')}/authorize?{query}"


def connect_page(request: Request) -> Response:
    context: WebContext = request.app.state.context
    config = context.current()
    trello = config.connections.trello
    api_key = get_secret(trello.api_key_env, required=False)
    return render(request, "connect.html", key_page=KEY_PAGE, asana_token_page=ASANA_TOKEN_PAGE,
                  has_key=bool(api_key),
                  has_trello=bool(api_key and get_secret(trello.token_env, required=False)),
                  has_asana=bool(get_secret(config.connections.asana.token_env, required=False)),
                  connected=request.query_params.get("connected"), clients=[c.name for c in config.clients],
                  added=request.query_params.get("added"))


def trello_authorize(request: Request) -> Response:
    """To Trello's authorize page (a redirect, so that the API key is never written into a page of ours)."""
    context: WebContext = request.app.state.context
    api_key = get_secret(context.current().connections.trello.api_key_env, required=False)
    if not api_key:
        return RedirectResponse("/connect", status_code=303)
    return_url = f"{request.url.scheme}://{request.headers['host']}/connect/trello/return"
    return RedirectResponse(authorize_url(api_key, return_url), status_code=303,
                            headers={"cache-control": "no-store"})


def trello_return(request: Request) -> Response:
    """Where Trello's authorize page sends the VA back; its script hands the fragment's token to the server."""
    return render(request, "trello_return.html")


def _trello(context: WebContext, token: str | None = None) -> TrelloAdapter | None:
    trello = context.current().connections.trello
    key = get_secret(trello.api_key_env, required=False)
    token = token or get_secret(trello.token_env, required=False)
    if not key or not token:
        return None
    register_secret(key)
    register_secret(token)
    return TrelloAdapter(key, token, base_url=trello_api(), timeout=CHECK_TIMEOUT)


def _asana(context: WebContext) -> AsanaAdapter | None:
    token = get_secret(context.current().connections.asana.token_env, required=False)
    return _asana_with(context, token) if token else None


def _asana_with(context: WebContext, token: str) -> AsanaAdapter:
    register_secret(token)
    return AsanaAdapter(token, host=asana_api(), token_env=context.current().connections.asana.token_env,
                        timeout=CHECK_TIMEOUT, max_attempts=2)


@with_form
def save_trello_key(request: Request, form) -> Response:
    context: WebContext = request.app.state.context
    key = str(form.get("api_key") or "").strip()
    if not key.isalnum() or len(key) < 16:
        return _connect_error(request, "That does not look like a Trello API key: it is a long line of letters and "
                                       "digits, shown on the Power-Up's “API key” tab.")
    register_secret(key)
    save_secret(context.current().connections.trello.api_key_env, key)
    context.secrets_changed()
    return RedirectResponse("/connect?connected=trello-key", status_code=303)


@with_form
def save_trello_token(request: Request, form) -> Response:
    """The token from the authorize page (posted by the return page's script) or pasted by the VA."""
    context: WebContext = request.app.state.context
    token = str(form.get("token") or "").strip()
    if not token or len(token) > 512 or any(ch.isspace() for ch in token):
        return PlainTextResponse("That is not a Trello token. Try connecting again.", status_code=400)
    register_secret(token)
    plain = not form.get("pasted")
    adapter = _trello(context, token)
    if adapter is None:
        return _connect_error(request, "Save your Trello API key first (step 1), then connect.", plain=plain)
    try:
        member = adapter.me()
    except IntegrationError as err:
        return _connect_error(request, f"Trello did not accept this token: {redact(str(err))}", plain=plain)
    finally:
        adapter.close()
    save_secret(context.current().connections.trello.token_env, token)
    context.secrets_changed()
    if not plain:
        return RedirectResponse("/connect?connected=trello", status_code=303)
    return PlainTextResponse(f"Connected to Trello as {member.get('fullName') or member.get('username')}.")


@with_form
def save_asana_token(request: Request, form) -> Response:
    context: WebContext = request.app.state.context
    token = str(form.get("token") or "").strip()
    if not token or any(ch.isspace() for ch in token):
        return _connect_error(request, "Paste your Asana personal access token first.")
    register_secret(token)
    adapter = _asana_with(context, token)
    try:
        adapter.me()
    except IntegrationError as err:
        return _connect_error(request, f"Asana did not accept this token: {redact(str(err))}")
    finally:
        adapter.close()
    save_secret(context.current().connections.asana.token_env, token)
    context.secrets_changed()
    return RedirectResponse("/connect?connected=asana", status_code=303)


def connection_status(request: Request) -> Response:
    """Who each connection works as (asked of the services when the page opens; nothing is changed)."""
    context: WebContext = request.app.state.context
    provider = request.url.path.split("/")[2]
    adapter = _trello(context) if provider == "trello" else _asana(context)
    if adapter is None:
        return render(request, "connection.html", provider=provider, who=None, error=None, boards=[])
    try:
        if isinstance(adapter, TrelloAdapter):
            member = adapter.me()
            who = member.get("fullName") or member.get("username")
            boards = [(b["id"], b.get("name") or b["id"]) for b in adapter.open_boards()]
        else:
            user = adapter.me()
            who = user.get("name") or user.get("email")
            boards = [(p["gid"], f"{p.get('name') or p['gid']} ({w.get('name', '')})") for w in adapter.workspaces()
                      for p in adapter.projects(w["gid"])]
        error = None
    except IntegrationError as err:
        who, boards, error = None, [], redact(str(err))
    finally:
        adapter.close()
    return render(request, "connection.html", provider=provider, who=who, error=error, boards=boards,
                  clients=[c.name for c in context.current().clients])


@with_form
def add_boards(request: Request, form) -> Response:
    """Add the ticked boards or projects to the chosen client in the configuration file."""
    context: WebContext = request.app.state.context
    provider = str(form.get("provider") or "")
    client = str(form.get("client") or "")
    chosen = [str(b) for b in form.getlist("board")]
    if provider not in ("trello", "asana") or not chosen:
        return _connect_error(request, "Tick at least one board, and choose the client it belongs to.")
    try:
        added = sum(add_board(context.config_path, client, provider, board) for board in chosen)
    except ConfigEditError as err:
        return _connect_error(request, str(err))
    context.current()
    context.follow_boards()  # with a public address, the new boards' changes arrive by webhook from now on
    return RedirectResponse(f"/connect?added={added}", status_code=303)


def _connect_error(request: Request, message: str, *, plain: bool = False) -> Response:
    """The problem in words: as text for the return page's script, else as a page."""
    if plain:
        return PlainTextResponse(message, status_code=400)
    return render(request, "connect_error.html", 400, message=message)


routes = [
    Route("/connect", connect_page, methods=["GET"]),
    Route("/connect/trello/authorize", trello_authorize, methods=["GET"]),
    Route("/connect/trello/return", trello_return, methods=["GET"]),
    Route("/connect/trello/key", save_trello_key, methods=["POST"]),
    Route("/connect/trello/token", save_trello_token, methods=["POST"]),
    Route("/connect/asana/token", save_asana_token, methods=["POST"]),
    Route("/connect/trello/status", connection_status, methods=["GET"], name="trello_status"),
    Route("/connect/asana/status", connection_status, methods=["GET"], name="asana_status"),
    Route("/connect/boards", add_boards, methods=["POST"]),
]
