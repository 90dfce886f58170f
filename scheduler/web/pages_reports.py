"""Reports: each week's scope reports, per client (hers and the client's version) and for the practice, to open,
download or send, rendered from the state store by the same code as `scopekeeper report`."""
from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from scheduler.config.models import AppConfig
from scheduler.config.secrets import MissingSecret
from scheduler.logs import redact
from scheduler.reports.documents import Documents, client_documents, file_stems, practice_documents
from scheduler.reports.mail import MailError, message, send, sender
from scheduler.reports.model import CLIENT, VA, client_report, practice_report
from scheduler.reports.weeks import ReportWeek, last_complete_week, parse_week, week_of
from scheduler.web.app import render, with_form
from scheduler.web.context import WebContext

WEEKS_SHOWN = 8
PRACTICE = "practice"
# A report is a finished document with its own styles and an embedded chart, and no script at all.
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'none'")
TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8"}
FORMATS = {"html": "html", "md": "markdown", "csv": "csv"}


def reports_page(request: Request) -> Response:
    context: WebContext = request.app.state.context
    config = context.current()
    now = datetime.now(ZoneInfo(config.scopekeeper.timezone))
    latest = last_complete_week(now, ZoneInfo(config.scopekeeper.timezone))
    week = _week(request.query_params.get("week"), latest)
    weeks = [week_of(latest.monday - timedelta(weeks=n)) for n in range(WEEKS_SHOWN)]
    can_mail = config.smtp is not None
    return render(request, "reports.html", week=week, weeks=weeks, clients=config.clients, can_mail=can_mail,
                  va_mail=bool(can_mail and config.scopekeeper.report.email_to), sent=request.query_params.get("sent"),
                  failed=request.query_params.get("failed"))


def open_report(request: Request) -> Response:
    """One report as a page (html), or as a file to save (download=1, any format)."""
    context: WebContext = request.app.state.context
    config = context.current()
    week = _week(request.path_params["week"], None)
    target, audience = request.query_params.get("client", PRACTICE), request.query_params.get("for", VA)
    fmt = request.query_params.get("format", "html")
    if week is None or fmt not in FORMATS or audience not in (VA, CLIENT):
        return render(request, "not_found.html", 404, what="There is no such report.")
    try:
        documents = _documents(context, config, week, target, audience, {FORMATS[fmt]})
    except (KeyError, ValueError) as err:
        return render(request, "not_found.html", 404, what=str(err.args[0]) if err.args else "No such report.")
    found = next(((n, c) for n, c in documents.files.items() if n.endswith(f".{fmt}")), None)
    if found is None:
        return render(request, "not_found.html", 404, what="This report has no such file.")
    name, content = found
    headers = {"content-security-policy": REPORT_CSP}
    if request.query_params.get("download") or fmt != "html":
        filename = f"{week.key}-{name.rsplit('/', 1)[-1]}"
        headers["content-disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=TYPES[fmt], headers=headers)


@with_form
def send_report(request: Request, form) -> Response:
    """Email a report: the client's version to the client's address, hers (or the practice's) to her own."""
    context: WebContext = request.app.state.context
    config = context.current()
    week = _week(request.path_params["week"], None)
    target, audience = str(form.get("client") or PRACTICE), str(form.get("for") or VA)
    back = f"/reports?week={week.key if week else ''}"
    if week is None or config.smtp is None:
        return RedirectResponse(back + "&failed=" + quote("Sending needs the [smtp] settings in your configuration."),
                                status_code=303)
    try:
        documents = _documents(context, config, week, target, audience, set(config.scopekeeper.report.formats))
        client = config.client(target) if target != PRACTICE else None
        to = client.email if audience == CLIENT and client else config.scopekeeper.report.email_to
        if not to:
            raise ValueError("no email address to send it to: add the client's email (or yours, "
                             "scopekeeper.report.email_to) to the configuration")
        name = config.signature(client) if audience == CLIENT and client else None
        send(config.smtp, [message(documents, sender(config.smtp.sender, name), to)])
    except (KeyError, ValueError, MailError, MissingSecret) as err:
        reason = redact(str(err.args[0]) if isinstance(err, KeyError) else str(err))
        return RedirectResponse(back + "&failed=" + quote(reason), status_code=303)
    return RedirectResponse(back + "&sent=" + quote(", ".join(to)), status_code=303)


def _documents(context: WebContext, config: AppConfig, week: ReportWeek, target: str, audience: str,
               formats: set[str]) -> Documents:
    now = datetime.now(ZoneInfo(config.scopekeeper.timezone))
    stems = file_stems(c.name for c in config.clients)
    if target == PRACTICE:
        reports = [client_report(config, c, context.store, week, now, audience=VA) for c in config.clients]
        return practice_documents(practice_report(config, week, reports), formats)
    client = config.client(target)
    report = client_report(config, client, context.store, week, now, audience=audience)
    return client_documents(report, formats, stems[client.name])


def _week(text: str | None, default: ReportWeek | None) -> ReportWeek | None:
    if not text:
        return default
    try:
        return parse_week(text)
    except ValueError:
        return default


routes = [
    Route("/reports", reports_page, methods=["GET"]),
    Route("/reports/{week}/open", open_report, methods=["GET"]),
    Route("/reports/{week}/send", send_report, methods=["POST"]),
]
