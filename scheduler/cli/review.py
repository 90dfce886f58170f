"""What `scopekeeper review` and `scopekeeper status` show, and the VA's edit of a comment's wording."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table


from scheduler.config.models import AppConfig
from scheduler.store.outbox import Intent
from scheduler.store.schema import APPROVED, PENDING, PENDING_REVIEW, UNKNOWN, ClientStatusRow


def review_listing(queued: list[Intent], approved: int) -> str:
    """The comments waiting for review, each with its ID, client, card link and full text."""
    if not queued:
        lines = ["No comments are waiting for your review."]
    else:
        lines = [f"{len(queued)} comment(s) waiting for your review:"]
        for intent in queued:
            what = f"({intent.kind}, {intent.period_key})" + ("  [edited]" if intent.edited else "")
            lines += ["", f"#{intent.id}  {intent.client} - \"{intent.card_title}\" {what}",
                      f"     {intent.card_url or intent.provider + ' card ' + intent.card_id}",
                      *(f"     | {line}".rstrip() for line in intent.text.splitlines())]
        first = queued[0].id
        lines += ["", f"Approve: scopekeeper review approve {first} [ID...] [--post]    "
                      f"Reject: scopekeeper review reject {first}    Edit: scopekeeper review edit {first}"]
    if approved:
        lines += [f"{approved} approved comment(s) will be posted at the next scan "
                  "(or now: scopekeeper review approve ID... --post)."]
    return "\n".join(lines)


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
