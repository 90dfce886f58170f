"""Reading a client's boards for a scan: only what changed, incrementally where the service allows."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Hashable

from integrations.asana.adapter import merge_incremental
from integrations.errors import IntegrationError, NotFound
from integrations.models import BoardSnapshot, Card

from scheduler.config.models import Client
from scheduler.logs import redact
from scheduler.config.secrets import MissingSecret
from scheduler.store.scans import BoardMemory, BoardUpdate, ClientState
from scheduler.worker.adapters import Adapters

# Asana lists no deleted tasks in its incremental reads: a whole read this often notices them.
FULL_READ_EVERY = timedelta(hours=24)
# modified_since starts this long before the previous read began, against clock skew between us and Asana.
MODIFIED_OVERLAP = timedelta(minutes=5)
BOARD_READS = 4  # boards of one client read at once

log = logging.getLogger("scopekeeper.worker")


@dataclass(frozen=True, slots=True)
class BoardRead:
    """One board's part of a scan: the live cards read now (None: not read) and what to remember."""

    provider: str
    board_id: str
    cards: tuple[Card, ...] | None
    full: bool                 # `cards` is everything on the board: stored cards not in it are gone
    update: BoardUpdate
    error: str | None = None   # why the board could not be read, for the scan's outcome

    @staticmethod
    def failed(provider: str, board_id: str, error: str, *, gone: bool = False) -> "BoardRead":
        """A board that could not be read; `gone` when it no longer exists (all its cards are gone)."""
        outcome = "not_found" if gone else "error"
        update = BoardUpdate(provider, board_id, outcome, error)
        return BoardRead(provider, board_id, () if gone else None, gone, update, error)


def read_boards(adapters: Adapters, client: Client, state: ClientState, stop: threading.Event,
                scan_round: Hashable | None = None) -> list[BoardRead]:
    """Every board of the client that changed since the previous scan, each failure kept to its board.

    Up to BOARD_READS boards are read at once: the services' budgets, not the answers' latency, should
    bound a scan. A stop request leaves the boards not started yet unread.
    """
    reads: list[BoardRead] = []
    pending: list[tuple[str, str, Callable]] = []
    trello = [b.id for b in client.boards if b.provider == "trello"]
    if trello:
        changed, reads = _trello_changes(adapters, client, state, trello, scan_round)
        pending += [("trello", b, lambda b=b: _trello_board(adapters, b)) for b in trello if b in changed]
    pending += [("asana", b.id, lambda b=b.id: _asana(adapters, state, b)) for b in client.boards
                if b.provider == "asana"]
    if not pending:
        return reads

    def read(provider: str, board_id: str, reader: Callable) -> BoardRead | None:
        return None if stop.is_set() else _guarded(client, provider, board_id, reader)

    with ThreadPoolExecutor(min(BOARD_READS, len(pending)), thread_name_prefix="board") as pool:
        return reads + [r for r in pool.map(lambda job: read(*job), pending) if r is not None]


def _trello_changes(adapters: Adapters, client: Client, state: ClientState, boards: list[str],
                    scan_round: Hashable | None) -> tuple[set[str], list[BoardRead]]:
    """The Trello boards to read, and the reads of the others: unchanged, or failed to tell."""
    last_seen = {b: m.last_activity for b in boards if (m := state.boards.get(("trello", b))) and m.last_activity}
    if not last_seen:
        return set(boards), []  # never read: no need to ask what changed
    try:
        changed = set(adapters.for_provider("trello").changed_boards(boards, last_seen, scan_round))
    except (IntegrationError, MissingSecret) as err:
        return set(), [_failure(client, "trello", b, err) for b in boards]
    return changed, [BoardRead("trello", b, None, False, BoardUpdate("trello", b, "ok"))
                     for b in boards if b not in changed]


def _trello_board(adapters: Adapters, board_id: str) -> tuple[BoardSnapshot, BoardRead]:
    snapshot = adapters.for_provider("trello").read_board(board_id)
    update = BoardUpdate("trello", board_id, "ok", markers=BoardMemory(last_activity=snapshot.last_activity))
    return snapshot, BoardRead("trello", board_id, snapshot.cards, True, update)


def _asana(adapters: Adapters, state: ClientState, project: str) -> tuple[BoardSnapshot, BoardRead]:
    adapter = adapters.for_provider("asana")
    memory = state.boards.get(("asana", project))
    started = datetime.now(timezone.utc)
    previous = BoardSnapshot("asana", project, "", tuple(
        known.card for known in state.cards.values()
        if known.card.provider == "asana" and known.card.board_id == project and not known.gone))
    whole = (memory is None or memory.read_started is None or memory.full_read_at is None
             or started - memory.full_read_at >= FULL_READ_EVERY)
    if whole:
        snapshot = adapter.read_project(project)
        # Merged with what the store had: Asana keeps no due-date history, only ScopeKeeper's observations do.
        present = {card.id for card in snapshot.cards}
        merged = merge_incremental(previous, list(snapshot.cards), started)
        cards = tuple(card for card in merged.cards if card.id in present)
        update = BoardUpdate("asana", project, "ok", markers=BoardMemory(read_started=started, full_read_at=started))
        return snapshot, BoardRead("asana", project, cards, True, update)
    modified = adapter.read_modified(project, since=memory.read_started - MODIFIED_OVERLAP)
    merged = merge_incremental(previous, modified, started)
    update = BoardUpdate("asana", project, "ok", markers=BoardMemory(read_started=started))
    snapshot = BoardSnapshot("asana", project, "", tuple(modified))
    return snapshot, BoardRead("asana", project, merged.cards, False, update)


def _guarded(client: Client, provider: str, board_id: str, read) -> BoardRead:
    """One board's read; a service error (or a missing secret) is logged with client and board and stays there."""
    try:
        snapshot, board_read = read()
    except (IntegrationError, MissingSecret) as err:
        return _failure(client, provider, board_id, err)
    for warning in snapshot.warnings:  # malformed cards: skipped, the rest of the board still counts
        log.warning("%s board %s: %s", provider, board_id, warning,
                    extra={"client": client.name, "board": f"{provider}:{board_id}", "event": "card_skipped"})
    return board_read


def _failure(client: Client, provider: str, board_id: str, err: Exception) -> BoardRead:
    gone = isinstance(err, NotFound)
    if gone:
        message = (f"{provider} board {board_id} was not found (deleted, or no longer shared with this account); "
                   "its cards are kept for the hours ledger; remove the board from the config")
    else:
        message = f"{provider} board {board_id} could not be read: {redact(str(err))}"
    log.log(logging.WARNING if gone else logging.ERROR, "%s", message,
            extra={"client": client.name, "board": f"{provider}:{board_id}", "event": "board_failed"})
    return BoardRead.failed(provider, board_id, message, gone=gone)
