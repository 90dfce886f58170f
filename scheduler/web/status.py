"""The status page's rows: what `scopekeeper status` prints, per client."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from scheduler.logs import redact
from scheduler.store.outbox import Outbox
from scheduler.store.scans import client_statuses
from scheduler.store.schema import APPROVED, PENDING, PENDING_REVIEW, UNKNOWN
from scheduler.store.store import SCHEDULER_LOCK
from scheduler.web.context import WebContext

OUTCOME_WORDS = {"ok": "all fine", "partial": "partly done", "error": "failed", "stopped": "stopped early"}


@dataclass
class StatusRow:
    client: str
    last_scan: str
    outcome: str
    waiting: int
    approved: int
    unknown: int
    detail: str | None


def status_rows(context: WebContext) -> tuple[str | None, list[StatusRow]]:
    """Who runs the scheduler (None: nobody), and a row per client."""
    config = context.current()
    zone = ZoneInfo(config.scopekeeper.timezone)
    statuses = client_statuses(context.store)
    counts = Outbox(context.store).counts()
    rows = []
    for client in config.clients:
        row = statuses.get(client.name)
        rows.append(StatusRow(
            client.name, _when(row.last_scan_at, zone) if row else "not yet",
            OUTCOME_WORDS.get(row.outcome, row.outcome) if row else "–",
            counts.get((client.name, PENDING_REVIEW), 0), counts.get((client.name, APPROVED), 0),
            counts.get((client.name, UNKNOWN), 0) + counts.get((client.name, PENDING), 0),
            redact(row.detail) if row and row.detail else None))
    return context.store.lock(SCHEDULER_LOCK).holder(), rows


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %Y, %H:%M")
