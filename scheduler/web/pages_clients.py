"""Clients: this period's hours per client, extra hours to bill, out-of-scope requests and recent findings; the
contract editor (and "add a client") saving to the configuration file."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from rules.findings import Finding, ScanResult
from scheduler.config.models import Client
from scheduler.store.client_pages import ClientPages
from scheduler.store.outbox import Outbox
from scheduler.store.schema import STATUSES
from scheduler.web.app import render, with_form
from scheduler.web.context import WebContext, card_fingerprints
from scheduler.web.contract_form import INCREMENTS, LANGUAGES, RESPONSES, ROLLOVERS, form_of, read_form, save
from scheduler.web.shown import RECENT

OUTCOME_WORDS = {"pending_review": "comment waiting for you", "approved": "comment approved, posting soon",
                 "rejected": "you chose not to answer", "pending": "comment being posted", "sent": "comment posted",
                 "unknown": "comment being confirmed", "reconciled": "comment posted"}


@dataclass
class ClientSummary:
    client: Client
    result: ScanResult | None
    out_of_scope: list[tuple[Finding, str]]
    recent: list[Finding]
    page_since: datetime | None = None   # when the client's current page link was made (None: no page)

    @property
    def share(self) -> float:
        """Used hours as a share of the plan, for the bar (capped: the words say how far over)."""
        if not self.result or self.result.hours.hours_available <= 0:
            return 0.0 if not self.result or not self.result.hours.used else 1.0
        return min(float(self.result.hours.used / self.result.hours.hours_available), 1.0)


def summaries(context: WebContext) -> list[ClientSummary]:
    config = context.current()
    outbox = Outbox(context.store)
    found = []
    fingerprints = card_fingerprints(context.store)
    pages = ClientPages(context.store).issued()
    for client in config.clients:
        cards, result = context.evaluation(client, fingerprints)
        findings = list(result.findings) if result else []
        out_of_scope = [f for f in findings if result and f.period.key == result.period.key
                        and f.verdict == "out_of_scope"]
        providers = {card.id: card.provider for card in cards}
        status = {intent.card_id: intent.status for intent in outbox.listed(
            STATUSES, client=client.name, cards=[(providers[f.card_id], f.card_id) for f in out_of_scope])}
        out = [(f, OUTCOME_WORDS.get(status.get(f.card_id, ""), "no comment yet")) for f in out_of_scope]
        recent = sorted(findings, key=lambda f: f.created_at, reverse=True)[:RECENT]
        found.append(ClientSummary(client, result, out, recent, pages.get(client.name)))
    return found


def clients_page(request: Request) -> Response:
    context: WebContext = request.app.state.context
    return render(request, "clients.html", summaries=summaries(context), saved=request.query_params.get("saved"),
                  page_off=request.query_params.get("page_off"), problem=context.problem)


def for_client(action):
    """A POST about one configured client, by the name in its path (404 for a name the configuration lacks)."""
    @with_form
    def endpoint(request: Request, posted) -> Response:
        context: WebContext = request.app.state.context
        name = request.path_params["client"]
        try:
            client = context.current().client(name)
        except KeyError:
            return render(request, "not_found.html", 404, what=f"There is no client named “{name}”.")
        return action(request, context, client)

    endpoint.__name__ = action.__name__
    return endpoint


@for_client
def issue_page(request: Request, context: WebContext, client: Client) -> Response:
    """A new link to the client's own page (any earlier link stops working); shown once, only its hash is kept."""
    token = ClientPages(context.store).issue(client.name)
    public = context.config.scopekeeper.web.public_url
    base = (public or str(request.base_url)).rstrip("/")
    return render(request, "client_link.html", client=client, link=f"{base}/c/{token}", public=bool(public))


@for_client
def revoke_page(request: Request, context: WebContext, client: Client) -> Response:
    """Turn the client's page off: its link then shows "not found", like any unknown link."""
    ClientPages(context.store).revoke(client.name)
    return RedirectResponse(f"/clients?page_off={client.name}", status_code=303)


def edit_page(request: Request) -> Response:
    context: WebContext = request.app.state.context
    name = request.path_params.get("client")
    client = None
    if name is not None:
        try:
            client = context.current().client(name)
        except KeyError:
            return render(request, "not_found.html", 404, what=f"There is no client named “{name}”.")
    return _editor(request, form_of(client), client.name if client else None)


@with_form
def save_contract(request: Request, posted) -> Response:
    context: WebContext = request.app.state.context
    original = request.path_params.get("client")
    submitted = read_form(posted)
    config, shown = save(context.config_path, original, submitted)
    if config is None:
        return _editor(request, shown, original, status=422)
    context.use(config)
    return RedirectResponse(f"/clients?saved={shown.values['name']}", status_code=303)


def _editor(request: Request, form, original: str | None, status: int = 200) -> Response:
    return render(request, "contract.html", status, form=form, original=original, languages=LANGUAGES,
                  responses=RESPONSES, rollovers=ROLLOVERS, increments=INCREMENTS,
                  weekdays=("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


routes = [
    Route("/clients", clients_page, methods=["GET"]),
    Route("/clients/new", edit_page, methods=["GET"]),
    Route("/clients/new", save_contract, methods=["POST"]),
    Route("/clients/{client:path}/contract", edit_page, methods=["GET"]),
    Route("/clients/{client:path}/contract", save_contract, methods=["POST"]),
    Route("/clients/{client:path}/page", issue_page, methods=["POST"]),
    Route("/clients/{client:path}/page/off", revoke_page, methods=["POST"]),
]
