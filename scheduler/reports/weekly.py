"""The weekly job: each client's report and the practice summary, once per ISO week, to files and email."""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from scheduler.config.models import AppConfig
from scheduler.config.secrets import MissingSecret
from scheduler.reports.documents import Documents, client_documents, digest_documents, file_stems, practice_documents
from scheduler.reports.invoices import due_invoices
from scheduler.reports.invoicing import billable_csv
from scheduler.reports.mail import MailError, message, send, sender
from scheduler.reports.model import CLIENT, client_report, practice_report
from scheduler.reports.source import ReportSource
from scheduler.reports.weeks import last_complete_week

INVOICES_DIR = "invoices"
DEFAULT_DIR = Path("reports")  # in the working directory
PRACTICE = "practice"
log = logging.getLogger("scopekeeper.reports")


class ReportStore(ReportSource, Protocol):
    """A report source that also records which reports were produced (scheduler.store.Store)."""

    def claim_report(self, week_key: str, target: str) -> bool:
        """True exactly once per (ISO week, target), whichever process asks first."""
        ...


@dataclass(frozen=True)
class Produced:
    """One report of the week: where its files are, and whether its email went out."""

    target: str
    files: tuple[Path, ...]
    emailed: bool
    error: str | None = None


def send_weekly_reports(config: AppConfig, store: ReportStore, now: datetime, *,
                        out_dir: Path = DEFAULT_DIR) -> list[Produced]:
    """Reports for the last ISO week that ended before `now` (VA's calendar), into out_dir/<week>/, and the
    invoice CSV of every client's contract period that has ended since (out_dir/<week>/invoices/, attached to
    the VA's digest).

    Each report ("client:<name>", "practice", and "for-client:<name>" for clients with send_report) is
    claimed in the store before it is written, so it is produced exactly once per week however often this
    runs (restarts, DST, two workers). The VA gets one email, the digest (practice summary, then every
    client's section), sent with the practice report; a client with send_report gets their own report.
    An email that fails keeps its files and is not retried; the error is logged and returned.
    """
    week = last_complete_week(now, ZoneInfo(config.scopekeeper.timezone))
    formats = config.scopekeeper.report.formats
    practice = practice_report(config, week, [client_report(config, c, store, week, now) for c in config.clients])
    stems = file_stems(c.name for c in config.clients)
    written: list[tuple[str, tuple[Path, ...]]] = []
    invoices = _invoices(config, store, now, out_dir / week.key / INVOICES_DIR, stems)
    for report in practice.clients:
        target = f"client:{report.client}"
        if store.claim_report(week.key, target):
            written.append((target, _write(client_documents(report, formats, stems[report.client]), out_dir, week.key)))
    digest_error: str | None = None
    emailing = bool(config.scopekeeper.report.email_to)
    if store.claim_report(week.key, PRACTICE):
        documents = practice_documents(practice, formats)
        written.append((PRACTICE, _write(documents, out_dir, week.key)))
        if emailing:
            digest = digest_documents(practice, documents)
            digest = replace(digest, attachments={**digest.attachments, **invoices})
            digest_error = _email(config, digest, config.scopekeeper.report.email_to)
    else:
        emailing = False  # the digest went out with the practice report, when that was produced
    produced = [_logged(week.key, target, files, emailing, digest_error) for target, files in written]
    for client in config.clients:
        if client.send_report and store.claim_report(week.key, f"for-client:{client.name}"):
            report = client_report(config, client, store, week, now, audience=CLIENT)
            documents = client_documents(report, formats, stems[client.name])
            files = _write(documents, out_dir, week.key)
            error = _email(config, documents, client.email, sender_name=config.signature(client))
            produced.append(_logged(week.key, f"for-client:{client.name}", files, True, error))
    return produced


def _invoices(config: AppConfig, store: ReportStore, now: datetime, folder: Path,
              stems: Mapping[str, str]) -> dict[str, bytes]:
    """The invoice CSV of each contract period that ended (a monthly client's month, a weekly client's week),
    claimed once per period; periods without billed hours are claimed but get no file."""
    files = {}
    for invoice in due_invoices(config, store, store.claim_report, now):
        if not invoice.billable:
            continue
        name = f"invoice-{stems[invoice.client]}-{invoice.period.key}.csv"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(files.setdefault(name, billable_csv([invoice], config.scopekeeper.language)))
        log.info("invoice %s %s: %d card(s), %s %s", invoice.period.key, invoice.client, len(invoice.billable),
                 invoice.total, invoice.currency, extra={"event": "invoice_produced"})
    return files


def _write(documents: Documents, out_dir: Path, week_key: str) -> tuple[Path, ...]:
    return tuple(documents.write(out_dir / week_key))


def _logged(week_key: str, target: str, files: tuple[Path, ...], emailing: bool, error: str | None) -> Produced:
    if error:
        log.error("weekly report %s %s: %s", week_key, target, error, extra={"event": "report_email_failed"})
    else:
        log.info("weekly report %s %s: %d file(s)%s", week_key, target, len(files), ", emailed" if emailing else "",
                 extra={"event": "report_produced"})
    return Produced(target, files, emailing and error is None, error)


def _email(config: AppConfig, documents: Documents, to: Sequence[str], sender_name: str | None = None) -> str | None:
    """None once sent, else why not."""
    assert config.smtp is not None  # the configuration requires [smtp] with email_to and send_report
    try:
        send(config.smtp, [message(documents, sender(config.smtp.sender, sender_name), to)])
    except (MailError, MissingSecret) as err:
        return str(err)
    return None
