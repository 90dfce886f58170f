"""The web app's factory: Starlette with the security guard in front, Jinja2 pages, htmx fragments, static files."""
from __future__ import annotations

import importlib
from importlib import resources
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from scheduler.config.retainer_words import retainer_words
from scheduler.web.context import WebContext
from scheduler.web.contract_form import LANGUAGES
from scheduler.web.inbox import FLAG_WORDS, VERDICT_WORDS
from scheduler.web.security import Guard, check_password, session_cookie

HOOKS_MODULE = "scheduler.web.hooks"          # the webhook routes, where that module exists
CLIENT_PAGE_MODULE = "scheduler.web.client_page"  # the client's read-only page /c/<token>, likewise


def templates() -> Environment:
    environment = Environment(loader=PackageLoader("scheduler.web", "templates"),
                              autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters["q"] = lambda text: quote(str(text), safe="")
    environment.filters["hours"] = _hours
    environment.filters["language_name"] = lambda code: LANGUAGES.get(code, code)
    environment.filters["retainer_words"] = retainer_words
    environment.globals.update(flag_words=FLAG_WORDS, verdict_words=VERDICT_WORDS)
    return environment


def render(request: Request, name: str, status: int = 200, **values) -> HTMLResponse:
    """A page or fragment; pages get the navigation's counts."""
    context: WebContext = request.app.state.context
    environment: Environment = request.app.state.templates
    html = environment.get_template(name).render(request=request, path=request.url.path, config=context.config,
                                                 **values)
    return HTMLResponse(html, status_code=status)


def back(request: Request, fragment: str, url: str = "/", **values) -> Response:
    """htmx swaps the fragment in; a browser without script goes back to the page."""
    if request.headers.get("hx-request"):
        return render(request, fragment, **values)
    return RedirectResponse(url, status_code=303)


def with_form(handler):
    """An endpoint that reads its form, then runs in a worker thread (it talks to the store and the services)."""
    async def endpoint(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(handler, request, form)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def create_app(context: WebContext) -> Starlette:
    """The whole app for one configuration and store."""
    from scheduler.web import pages_clients, pages_connect, pages_inbox, pages_reports

    routes: list[BaseRoute] = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_with_password, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/status", status_page, methods=["GET"]),
        *pages_inbox.routes, *pages_clients.routes, *pages_connect.routes, *pages_reports.routes,
        *_optional_routes(HOOKS_MODULE, context), *_optional_routes(CLIENT_PAGE_MODULE, context),
        Mount("/static", StaticFiles(directory=str(resources.files("scheduler.web") / "static")), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.context = context
    app.state.templates = templates()
    app.add_middleware(Guard, hosts=context.hosts, sessions=context.sessions)
    return app


def _optional_routes(module_name: str, context: WebContext) -> list[BaseRoute]:
    """Routes other parts of ScopeKeeper add (`routes(context)` in their module), when they are installed."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name != module_name:
            raise
        return []
    return list(module.routes(context))


def login_page(request: Request) -> Response:
    """`/login?token=...` spends a one-time login link and starts a session (the one GET that changes state)."""
    context: WebContext = request.app.state.context
    token = request.query_params.get("token")
    if token and not context.needs_password():
        if context.logins.spend(token):
            return _signed_in(request, context)
        return render(request, "login.html", 403, spent=True, password=False)
    return render(request, "login.html", password=context.needs_password(), spent=False)


async def login_with_password(request: Request) -> Response:
    context: WebContext = request.app.state.context
    form = await request.form()
    password = str(form.get("password") or "")
    if context.needs_password() and check_password(password, context.config.scopekeeper.web.password_hash):
        return _signed_in(request, context)
    return render(request, "login.html", 403, password=context.needs_password(), wrong=True, spent=False)


def _signed_in(request: Request, context: WebContext) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.headers.append("set-cookie", session_cookie(context.sessions.start(),
                                                         secure=request.url.scheme == "https"))
    return response


async def logout(request: Request) -> Response:
    context: WebContext = request.app.state.context
    from scheduler.web.security import cookie_of

    context.sessions.end(cookie_of(request.scope))
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", "sk_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    return response


def status_page(request: Request) -> Response:
    """What `scopekeeper status` shows: the worker, and per client the last scan and the outbox."""
    from scheduler.web.status import status_rows

    context: WebContext = request.app.state.context
    worker, rows = status_rows(context)
    return render(request, "status.html", worker=worker, rows=rows, problem=context.problem)


def _hours(value) -> str:
    if value is None:
        return "–"
    number = float(value)
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return f"{text} h"
