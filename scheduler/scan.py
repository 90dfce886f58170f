"""One client's scan: read its boards (or an export), evaluate them with the rules."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from integrations.exports import read_export
from integrations.models import BoardSnapshot, Card
from rules.evaluate import ClientRules
from rules.findings import ScanResult

from .config import AppConfig, Client
from .secrets import get_secret

# Where the live adapters send requests; the sandboxes and the demo point these at loopback.
TRELLO_URL_ENV = "SCOPEKEEPER_TRELLO_API_URL"
ASANA_URL_ENV = "SCOPEKEEPER_ASANA_API_URL"


@dataclass(frozen=True)
class ScanOutput:
    """The rules' result and the readers' warnings (skipped cards, boards that could not be read)."""

    result: ScanResult
    warnings: tuple[str, ...]


def rules_for(client: Client) -> ClientRules:
    """The client's contract compiled for evaluation."""
    return ClientRules(client.contract, language=client.language, timezone=ZoneInfo(client.timezone),
                       templates=client.templates, client=client.name)


def scan_export(client: Client, export: str | Path, now: datetime) -> ScanOutput:
    """Evaluate a Trello or Asana export file, without any network access."""
    snapshot = read_export(export)
    return ScanOutput(rules_for(client).evaluate(snapshot.cards, now), snapshot.warnings)


def scan_live(config: AppConfig, client: Client, now: datetime) -> ScanOutput:
    """Read every board of the client from its service, then evaluate all cards together."""
    snapshots = [_read_board(config, board.provider, board.id) for board in client.boards]
    cards: list[Card] = [card for s in snapshots for card in s.cards]
    warnings = tuple(w for s in snapshots for w in s.warnings)
    return ScanOutput(rules_for(client).evaluate(cards, now), warnings)


def _read_board(config: AppConfig, provider: str, board_id: str) -> BoardSnapshot:
    if provider == "trello":
        from integrations.trello import TrelloAdapter

        conn = config.connections.trello
        adapter = TrelloAdapter(get_secret(conn.api_key_env), get_secret(conn.token_env),
                                **_base_url("base_url", TRELLO_URL_ENV))
        return adapter.read_board(board_id)
    from integrations.asana import AsanaAdapter

    conn_a = config.connections.asana
    adapter_a = AsanaAdapter(get_secret(conn_a.token_env), requests_per_minute=conn_a.requests_per_minute,
                             **_base_url("host", ASANA_URL_ENV))
    return adapter_a.read_project(board_id)


def _base_url(argument: str, variable: str) -> dict[str, str]:
    url = os.environ.get(variable)
    return {argument: url} if url else {}


def merge_warnings(*groups: Sequence[str]) -> tuple[str, ...]:
    """Warnings of several reads, without repeats."""
    return tuple(dict.fromkeys(w for g in groups for w in g))
