"""The weekly job: each client's report and the practice summary, once per ISO week, to files and email."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol
from zoneinfo import ZoneInfo

from scheduler.config.models import AppConfig
from scheduler.config.secrets import MissingSecret
from scheduler.reports.documents import Documents, client_documents, file_stems, practice_documents
from scheduler.reports.mail import MailError, message, send
from scheduler.reports.model import client_report, practice_report
from scheduler.reports.source import ReportSource
from scheduler.reports.weeks import last_complete_week

DEFAULT_DIR = Path("reports")  # in the working directory, beside the default scopekeeper.db
PRACTICE = "practice"
log = logging.getLogger("scopekeeper.reports")


class ReportStore(ReportSource, Protocol):
    """A report source that also records which reports were produced (scheduler.store.Store)."""

    def claim_report(self, week_key: str, target: str) -> bool:
        """True exactly once per (ISO week, target), whichever process asks first."""


@dataclass(frozen=True)
class Produced:
    """One report of the week: where its files are, and whether its email went out."""

    target: str
    files: tuple[Path, ...]
    emailed: bool
    error: str | None = None


def send_weekly_reports(config: AppConfig, store: ReportStore, now: datetime, *,
                        out_dir: Path = DEFAULT_DIR) -> list[Produced]:
    """Reports for the last ISO week that ended before `now` (VA's calendar), into out_dir/<week>/.

    Each report ("client:<name>" and "practice") is claimed in the store before it is written, so it is
    produced exactly once per week however often this runs (restarts, DST, two workers). A report whose
    email fails keeps its files and is not retried; the error is logged and returned.
    """
    week = last_complete_week(now, ZoneInfo(config.scopekeeper.timezone))
    formats = config.scopekeeper.report.formats
    practice = practice_report(config, week, [client_report(config, c, store, week, now) for c in config.clients])
    stems = file_stems(c.name for c in config.clients)
    targets: list[tuple[str, Callable[[], Documents]]] = [
        (f"client:{r.client}", lambda r=r: client_documents(r, formats, stems[r.client])) for r in practice.clients]
    targets.append((PRACTICE, lambda: practice_documents(practice, formats)))
    emailing = bool(config.scopekeeper.report.email_to)
    produced = []
    for target, render in targets:
        if not store.claim_report(week.key, target):
            continue
        documents = render()
        files = tuple(documents.write(out_dir / week.key))
        error = _email(config, documents) if emailing else None
        if error:
            log.error("weekly report %s %s: %s", week.key, target, error, extra={"event": "report_email_failed"})
        else:
            log.info("weekly report %s %s: %d file(s)%s", week.key, target, len(files), ", emailed" if emailing else "",
                     extra={"event": "report_produced"})
        produced.append(Produced(target, files, emailing and error is None, error))
    return produced


def _email(config: AppConfig, documents: Documents) -> str | None:
    """None once sent, else why not."""
    assert config.smtp is not None  # the configuration requires [smtp] with email_to
    try:
        send(config.smtp, [message(documents, config.smtp.sender, config.scopekeeper.report.email_to)])
    except (MailError, MissingSecret) as err:
        return str(err)
    return None
