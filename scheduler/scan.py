"""One client's scan: read its boards (or an export), evaluate them with the rules."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from integrations.errors import NotFound
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
    """Read every board of the client from its service, then evaluate all cards together.

    A board that no longer exists is skipped with a warning; other service errors propagate.
    """
    readers = _Readers(config)
    snapshots: list[BoardSnapshot] = []
    notes: list[str] = []
    try:
        for board in client.boards:
            try:
                snapshots.append(readers.read(board.provider, board.id))
            except NotFound:
                notes.append(f"{board.provider} board {board.id} of {client.name} was not found (deleted, or "
                             "no longer shared with this account): skipped; remove it from the config")
    finally:
        readers.close()
    cards: list[Card] = [card for s in snapshots for card in s.cards]
    return ScanOutput(rules_for(client).evaluate(cards, now), tuple(notes) + tuple(w for s in snapshots for w in s.warnings))


class _Readers:
    """One adapter per service for a scan, created on first use (so only needed secrets are read)."""

    def __init__(self, config: AppConfig) -> None:
        self._config = config
        self._trello = None
        self._asana = None

    def read(self, provider: str, board_id: str) -> BoardSnapshot:
        if provider == "trello":
            return self._trello_adapter().read_board(board_id)
        return self._asana_adapter().read_project(board_id)

    def close(self) -> None:
        if self._asana is not None:
            self._asana.close()

    def _trello_adapter(self):
        if self._trello is None:
            from integrations.trello import TrelloAdapter

            conn = self._config.connections.trello
            self._trello = TrelloAdapter(get_secret(conn.api_key_env), get_secret(conn.token_env),
                                         **_base_url("base_url", TRELLO_URL_ENV))
        return self._trello

    def _asana_adapter(self):
        if self._asana is None:
            from integrations.asana import AsanaAdapter

            conn = self._config.connections.asana
            self._asana = AsanaAdapter(get_secret(conn.token_env), requests_per_minute=conn.requests_per_minute,
                                       token_env=conn.token_env, **_base_url("host", ASANA_URL_ENV))
        return self._asana


def _base_url(argument: str, variable: str) -> dict[str, str]:
    url = os.environ.get(variable)
    return {argument: url} if url else {}
