"""The client's read-only page /c/<token>: this period's hours and requests, in the client's language.

The token is the only key: it opens this one client's page and nothing else (no session, no form, no other path).
An unknown, revoked or malformed token gets the same 404.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from scheduler.config.models import AppConfig, Client
from scheduler.reports.i18n import Texts, texts
from scheduler.reports.model import CLIENT, CardLine, ClientReport, client_report
from scheduler.reports.source import ReportSource
from scheduler.reports.weeks import week_of
from scheduler.store.client_pages import ClientPages
from scheduler.web.client_words import NOT_FOUND, ClientWords
from scheduler.web.context import WebContext

# The token is in the address: never sent on to the card links, never cached, never indexed.
PRIVATE_HEADERS = {"referrer-policy": "no-referrer", "cache-control": "no-store", "x-robots-tag": "noindex, nofollow"}


@dataclass(frozen=True, slots=True)
class RequestLine:
    """One of the period's requests as the client sees it: its card, when it came, what became of it."""

    title: str
    url: str
    created: str
    outcome: str
    detail: str
    outside: bool
    link: str | None = None


def routes(context: WebContext) -> list[BaseRoute]:
    return [Route("/c/{token:path}", client_page, methods=["GET"])]


async def client_page(request: Request) -> Response:
    return await run_in_threadpool(_page, request, request.path_params["token"])


def _page(request: Request, token: str) -> Response:
    context: WebContext = request.app.state.context
    name = ClientPages(context.store).client_of(token)
    config = context.current()
    client = next((c for c in config.clients if c.name == name), None) if name else None
    if client is None:  # unknown, revoked, malformed, or its client left the configuration: one answer
        return _answer(request, "client_page_gone.html", 404, lines=NOT_FOUND)
    return _answer(request, "client_page.html", 200, **view(config, client, context.store, datetime.now(UTC)))


def view(config: AppConfig, client: Client, source: ReportSource, now: datetime) -> dict:
    """Everything the page shows, worded for the client."""
    tz = ZoneInfo(client.timezone)
    report = client_report(config, client, source, week_of(now.astimezone(tz).date()), now, audience=CLIENT)
    t = texts(client.language, client.address)
    words = ClientWords(t, client.address)
    available = report.contracted if report.available is None else report.available
    over = max(report.used - available, Decimal(0))
    figures = [(t("contracted"), t.hours(report.contracted))]
    if report.carried_in:
        figures.append((t("carried_in"), t.signed(report.carried_in, "hours")))
        figures.append((t("available"), t.hours(available)))
    if report.owed:
        figures.append((t("owed_next"), t.hours(report.owed)))
    if client.contract.grace_hours:
        figures.append((words("grace"), t.hours(Decimal(str(client.contract.grace_hours)))))
    if report.extra:
        figures.append((t("extra"), t.hours(report.extra)))
        figures.append((t("extra_amount"), t.money(report.extra_amount, report.currency)))
    return {
        "t": t, "w": words, "client": client, "report": report,
        "period": t.plain_period(report.period, report.period_kind),
        "headline": words.headline_parts(report.used, available, report.remaining,
                                         report.period.end + timedelta(days=1)),
        "over": words("over", hours=t.hours(over)) if over else None,
        "share": min(float(report.used / available), 1.0) if available > 0 else 1.0,
        "figures": figures,
        "requests": _requests(report, words),
        "updated": words("updated", moment=t.moment(report.as_of)),
        "footer": " · ".join(p for p in (t("prepared_by", name=report.va_name) if report.va_name else "",
                                         report.va_contact or "") if p),
    }


def _requests(report: ClientReport, words: ClientWords) -> list[RequestLine]:
    """The period's work in the plan and its requests outside it, newest first."""
    t = words.t
    lines: list[tuple[date, RequestLine]] = []
    for line in report.work:
        detail = t.hours(line.hours) if line.hours is not None else t("no_hours")
        if line.extra_hours:
            detail += f" ({words('extra', hours=t.hours(line.extra_hours))})"
        lines.append((line.created, _line(line, t, words("in_plan"), f"{line.label} · {detail}", False)))
    for line in report.requests:
        if line.response == "consultation" and report.consultation_url:
            lines.append((line.created, _line(line, t, words("outside"), f"{line.label} · {t('client_consultation')}",
                                              True, report.consultation_url)))
        else:
            said = t(f"client_{line.response}", referral=line.referral)
            lines.append((line.created, _line(line, t, words("outside"), f"{line.label} · {said}", True)))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0], reverse=True)]


def _line(line: CardLine, t: Texts, outcome: str, detail: str, outside: bool, link: str | None = None) -> RequestLine:
    return RequestLine(line.title, line.url, t.day(line.created), outcome, detail, outside, link)


def _answer(request: Request, name: str, status: int, **values) -> Response:
    environment = request.app.state.templates
    html = environment.get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers=PRIVATE_HEADERS)
