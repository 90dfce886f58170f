"""What `scopekeeper review` and `scopekeeper status` show, and the VA's edit of a comment's wording."""
from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from scheduler.cli.titles import shown_title
from scheduler.config.models import AppConfig
from scheduler.store.outbox import Intent
from scheduler.store.schema import APPROVED, PENDING, PENDING_REVIEW, UNKNOWN, ClientStatusRow, FindingRow


def review_listing(queued: list[Intent], approved: int, findings: Mapping[tuple[str, str, str], FindingRow] | None = None,
                   *, width: int = 80, client: str | None = None) -> str:
    """The comments waiting for review: ID, client, card, why (verdict, flags, hours) and the full text,
    wrapped at `width` without breaking a word (a long link stays whole on its own line)."""
    findings = findings or {}
    scope = f" for {client}" if client else ""
    if not queued:
        lines = [f"No comments are waiting for your review{scope}."]
    else:
        lines = [f"{len(queued)} comment(s) waiting for your review{scope}:"]
        for intent in queued:
            lines += ["", *_wrap(f"#{intent.id}  {intent.client} - \"{shown_title(intent.card_title)}\"", width, "", "     ")]
            lines += _wrap(intent.card_url or f"{intent.provider} card {intent.card_id}", width, "     ", "     ")
            why = _why(intent, findings.get((intent.client, intent.provider, intent.card_id)))
            lines += _wrap(why, width, "     ", "     ")
            for paragraph in intent.text.splitlines():
                lines += _wrap(paragraph, width, "     | ", "     | ") if paragraph.strip() else ["     |"]
        first = queued[0].id
        lines += ["", *_wrap(f"Approve: scopekeeper review approve {first} [ID...] [--post]   "
                             f"Reject: scopekeeper review reject {first}   Edit: scopekeeper review edit {first}   "
                             "Undo a rejection: scopekeeper review undo ID", width, "", "")]
    if approved:
        lines += _wrap(f"{approved} approved comment(s) will be posted at the next scan "
                       "(or now: scopekeeper review approve --all --post).", width, "", "")
    return "\n".join(lines)


def _why(intent: Intent, finding: FindingRow | None) -> str:
    """What the comment answers, in the VA's words: verdict and service or category, flags, hours."""
    parts = [KINDS.get(intent.kind, intent.kind.replace("_", " "))]
    if finding is not None:
        subject = finding.category or finding.service
        parts[0] = VERDICTS.get(finding.verdict, finding.verdict.replace("_", " ")) + (f" ({subject})" if subject else "")
        if finding.flags:
            parts.append("flags: " + ", ".join(str(f).replace("_", " ") for f in finding.flags))
        if finding.hours is not None:
            extra = f", {float(finding.extra_hours):g} h extra" if finding.extra_hours else ""
            parts.append(f"{float(finding.hours):g} h{extra}")
    parts.append(f"period {intent.period_key}")
    if intent.edited:
        parts.append("edited by you")
    return " · ".join(parts)


KINDS = {"consultation": "out of scope: consultation offered", "referral": "out of scope: referred to a colleague",
         "decline": "out of scope: declined", "extra_hours": "extra hours", "discount": "discount request"}
VERDICTS = {"in_scope": "in scope", "out_of_scope": "out of scope", "needs_review": "needs your review"}


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, max(width, 40), initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def status_table(config: AppConfig, statuses: dict[str, ClientStatusRow], counts: dict[tuple[str, str], int],
                 worker: str | None, console: Console) -> None:
    """Per client: the last scan, its outcome, comments waiting for review or for posting, unknown outcomes."""
    zone = ZoneInfo(config.scopekeeper.timezone)
    console.print(f"Worker: {'running (' + worker + ')' if worker else 'not running'}", highlight=False)
    table = Table(expand=False)
    for column in ("Client", "Last scan", "Outcome", "Pending review", "Approved", "Unknown outcomes"):
        table.add_column(column, justify="left" if column in ("Client", "Last scan", "Outcome") else "right")
    notes = []
    for client in config.clients:
        row = statuses.get(client.name)
        waiting = [sum(counts.get((client.name, s), 0) for s in states)
                   for states in ((PENDING_REVIEW,), (APPROVED,), (UNKNOWN, PENDING))]
        table.add_row(client.name, _when(row.last_scan_at, zone) if row else "never", row.outcome if row else "-",
                      *map(str, waiting))
        if row and row.detail:
            notes.append(f"{client.name}: {row.detail}")
    console.print(table)
    for note in notes:
        console.print(note, highlight=False, markup=False)


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")
