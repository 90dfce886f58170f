"""One client's scan: read its boards (or an export), evaluate them with the rules."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from integrations.errors import NotFound
from integrations.exports import read_export
from integrations.models import BoardSnapshot, Card
from rules.findings import ScanResult
from scheduler.config.models import AppConfig, Client, rules_for
from scheduler.worker.adapters import Adapters
from scheduler.worker.logged_time import with_logged_time


@dataclass(frozen=True)
class ScanOutput:
    """The rules' result and the readers' warnings (skipped cards, boards that could not be read)."""

    result: ScanResult
    warnings: tuple[str, ...]


def scan_export(client: Client, export: str | Path, now: datetime) -> ScanOutput:
    """Evaluate a Trello or Asana export file, without any network access."""
    snapshot = read_export(export)
    return ScanOutput(rules_for(client).evaluate(snapshot.cards, now), snapshot.warnings)


def scan_live(config: AppConfig, client: Client, now: datetime) -> ScanOutput:
    """Read every board of the client from its service, then evaluate all cards together.

    A board that no longer exists is skipped with a warning; other service errors propagate.
    """
    adapters = Adapters(config)
    snapshots: list[BoardSnapshot] = []
    notes: list[str] = []
    try:
        for board in client.boards:
            adapter = adapters.for_provider(board.provider)
            try:
                snapshot = adapter.read_board(board.id)
                logged, problems = with_logged_time(adapter, snapshot.cards)
                snapshots.append(replace(snapshot, cards=logged, warnings=(*snapshot.warnings, *problems)))
            except NotFound:
                notes.append(f"{board.provider} board {board.id} of {client.name} was not found (deleted, or "
                             "no longer shared with this account): skipped; remove it from the config")
    finally:
        adapters.close()
    cards: list[Card] = [card for s in snapshots for card in s.cards]
    return ScanOutput(rules_for(client).evaluate(cards, now), tuple(notes) + tuple(w for s in snapshots for w in s.warnings))
