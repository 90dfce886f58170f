"""`scopekeeper report`: the weekly scope reports on demand (added to the CLI by scheduler.cli.main)."""
from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from integrations.errors import ExportError
from rules.comments import money
from rules.periods import period_of_key
from scheduler.cli import common
from scheduler.config.models import AppConfig, Client
from scheduler.config.secrets import MissingSecret
from scheduler.reports.documents import Documents, client_documents, digest_documents, file_stems, practice_documents
from scheduler.reports.invoices import period_invoice
from scheduler.reports.invoicing import billable_csv
from scheduler.reports.mail import MailError, message, send, sender
from scheduler.reports.model import CLIENT, VA, ClientReport, client_report, practice_report
from scheduler.reports.source import ExportSource, ReportSource
from scheduler.reports.weekly import DEFAULT_DIR
from scheduler.reports.weeks import ReportWeek, last_complete_week, parse_week

_FORMATS = {"html": "html", "md": "markdown", "markdown": "markdown", "csv": "csv"}


@click.command()
@click.option("--client", "client_name", metavar="NAME", help="One client, by name as in the configuration.")
@click.option("--all", "all_clients", is_flag=True, help="Every client, and the practice summary.")
@click.option("--week", "week_text", metavar="YYYY-Www",
              help="ISO week, e.g. 2026-W47 (default: the last week that has ended, in your timezone).")
@click.option("--period", "period_text", metavar="YYYY-MM|YYYY-Www",
              help="Invoice CSV of one contract period instead: a month (2026-11) for monthly clients, an ISO week "
                   "(2026-W47) for weekly ones.")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(_FORMATS)),
              help="Repeatable (default: scopekeeper.report.formats).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DIR,
              show_default=True, help="Folder for the reports; each week gets its own subfolder.")
@click.option("--send", "send_mail", is_flag=True,
              help="Also email them: to scopekeeper.report.email_to (--all: one digest), or with --for-client to "
                   "each client's email.")
@click.option("--for-client", is_flag=True,
              help="Client-safe version, in the client's language: contract figures and requests only.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCOPEKEEPER_CONFIG",
              default=None, help="Configuration file (or $SCOPEKEEPER_CONFIG; default scopekeeper.toml).")
@click.option("--from-export", "exports", multiple=True, type=click.Path(dir_okay=False),
              help="Read cards from a Trello or Asana export instead of the state store (repeatable).")
@click.option("--now", "now_text", metavar="ISO8601", help="Fix the clock (default: the current time).")
def report(client_name: str | None, all_clients: bool, week_text: str | None, period_text: str | None,
           formats: tuple[str, ...], out_dir: Path, send_mail: bool, for_client: bool, config_path: str | None,
           exports: tuple[str, ...], now_text: str | None) -> None:
    """Write scope reports (hours, burn-up chart, extra hours to bill, out-of-scope requests, red flags).

    \b
    Examples:
      scopekeeper report --all --week 2026-W47 --send
      scopekeeper report --client "Estudio Sol" --for-client --format html
      scopekeeper report --client "Estudio Sol" --from-export board.json --format md --format csv
      scopekeeper report --all --period 2026-11
    """
    if bool(client_name) == all_clients:
        raise common.fail("give --client NAME for one client, or --all")
    config = common.load(config_path or common.DEFAULT_CONFIG)
    try:
        clients = list(config.clients) if all_clients else [config.client(client_name or "")]
    except KeyError as err:
        raise common.fail(str(err.args[0])) from None
    now = common.parse_now(now_text, config.scopekeeper.timezone)
    if period_text:
        if week_text or for_client or send_mail or formats:
            raise common.fail("--period writes the invoice CSV of one contract period; it does not combine with "
                              "--week, --for-client, --send or --format")
        with ExitStack() as stack:
            _invoices(config, clients, _source(config, exports, None if all_clients else clients[0], stack),
                      period_text, now, out_dir)
        return
    try:
        week = parse_week(week_text) if week_text else last_complete_week(now, ZoneInfo(config.scopekeeper.timezone))
    except ValueError as err:
        raise common.fail(f"--week {err}") from None
    if send_mail:
        _check_recipients(config, clients, for_client)
    chosen = {_FORMATS[f] for f in formats} or set(config.scopekeeper.report.formats)
    with ExitStack() as stack:
        source = _source(config, exports, None if all_clients else clients[0], stack)
        reports, documents = _documents(config, clients, source, week, now, chosen, CLIENT if for_client else VA,
                                        practice=all_clients and not for_client)
    for document in documents:
        for path in document.write(out_dir / week.key):
            click.echo(str(path))
    if not send_mail:
        return
    if for_client:  # each client gets their own report, from the VA's name
        _send(config, [(d, c.email, config.signature(c)) for d, c in zip(documents, clients, strict=True)])
    elif all_clients:  # the VA gets one digest: the practice summary, then each client's section
        practice = practice_report(config, week, reports)
        digest = digest_documents(practice, documents[-1])
        _send(config, [(digest, config.scopekeeper.report.email_to, None)])
    else:
        _send(config, [(d, config.scopekeeper.report.email_to, None) for d in documents])


def _invoices(config: AppConfig, clients: list[Client], source: ReportSource, period_text: str, now: datetime,
              out_dir: Path) -> None:
    """Each client's invoice CSV for the period, and with several clients one CSV of them all."""
    try:
        period = period_of_key(period_text.strip())
    except ValueError as err:
        raise common.fail(f"--period {err}") from None
    kind = "week" if "-W" in period.key else "month"
    chosen = [c for c in clients if c.contract.period == kind]
    for client in clients:
        if client.contract.period != kind:
            message = (f"{client.name} is billed by {client.contract.period}; give --period as "
                       + ("2026-W47 (an ISO week)" if kind == "month" else "2026-11 (a month)"))
            if len(clients) == 1:
                raise common.fail(message)
            common.say("skipped:", "yellow", message)
    invoices = [period_invoice(c, source, period, now) for c in chosen]
    stems = file_stems(c.name for c in config.clients)
    folder = out_dir / period.key
    folder.mkdir(parents=True, exist_ok=True)
    for invoice in invoices:
        if not invoice.complete:
            common.say("warning:", "yellow", f"{period.key} has not ended yet for {invoice.client}: this invoice "
                       "holds the extra hours so far")
        path = folder / f"{stems[invoice.client]}-invoice.csv"
        path.write_bytes(billable_csv([invoice], invoice.language))
        click.echo(f"{path}  ({len(invoice.billable)} card(s), {money(invoice.total, invoice.currency, 'en')})")
    if len(invoices) > 1:
        path = folder / "invoices.csv"
        path.write_bytes(billable_csv(invoices, config.scopekeeper.language))
        click.echo(str(path))


def _check_recipients(config: AppConfig, clients: list[Client], for_client: bool) -> None:
    """Before anything is rendered: --send needs [smtp] and someone to send to."""
    if for_client:
        missing = [c.name for c in clients if not c.email]
        if config.smtp is None or missing:
            raise common.fail("--for-client --send needs an [smtp] table and each client's email = [\"...\"] "
                              "in the configuration" + (f"; no email for: {', '.join(missing)}" if missing else ""))
    elif not (config.smtp and config.scopekeeper.report.email_to):
        raise common.fail("--send needs scopekeeper.report.email_to and an [smtp] table in the configuration")


def _source(config: AppConfig, exports: tuple[str, ...], client: Client | None, stack: ExitStack) -> ReportSource:
    """Export files when given, else the worker's state store (read only)."""
    if exports:
        try:
            source = ExportSource.read(config, exports, client)
        except ExportError as err:
            raise common.fail(str(err)) from None
        for warning in source.warnings:
            common.say("warning:", "yellow", warning)
        return source
    from scheduler.store import StoreError, open_store  # here: reports from exports need no database
    try:
        store = open_store(config.scopekeeper.state_url, read_only=True)
    except StoreError as err:
        raise common.fail(str(err), common.EXIT_FAILED) from None
    stack.callback(store.close)
    return store


def _documents(config: AppConfig, clients: list[Client], source: ReportSource, week: ReportWeek, now: datetime,
               formats: set[str], audience: str, *, practice: bool) -> tuple[list[ClientReport], list[Documents]]:
    """Each client's report, and the practice summary when asked; warns about clients without cards."""
    stems = file_stems(c.name for c in config.clients)
    reports = []
    for client in clients:
        if not source.has_cards(client.name):
            common.say("warning:", "yellow", f"no cards known for {client.name}: the worker has not scanned its boards "
                     "yet (scopekeeper run), or give --from-export")
        try:
            reports.append(client_report(config, client, source, week, now, audience=audience))
        except ValueError as err:  # a week that has not started
            raise common.fail(str(err)) from None
    documents = [client_documents(r, formats, stems[r.client]) for r in reports]
    if practice:
        documents.append(practice_documents(practice_report(config, week, reports), formats))
    return reports, documents


def _send(config: AppConfig, mails: list[tuple[Documents, list[str], str | None]]) -> None:
    """All the emails (documents, recipients, the sender's name) over one SMTP connection."""
    assert config.smtp is not None  # checked before anything was rendered
    smtp = config.smtp
    try:
        send(smtp, [message(d, sender(smtp.sender, name), to) for d, to, name in mails])
    except MissingSecret as err:
        raise common.fail(str(err)) from None
    except MailError as err:
        raise common.fail(str(err), common.EXIT_FAILED) from None
    recipients = sorted({address for _, to, _ in mails for address in to})
    click.echo(f"sent {len(mails)} email(s) to {', '.join(recipients)}")


commands = [report]
