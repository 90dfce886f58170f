"""Reading a client's boards for a scan: only what changed, incrementally where the service allows."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from integrations.errors import AuthError, IntegrationError, NotFound
from integrations.models import BoardSnapshot, Card, Comment, merge_incremental
from rules.periods import period_of_key
from scheduler.config.models import Client
from scheduler.logs import redact
from scheduler.records.state import BoardMemory, BoardUpdate, CardKey, ClientState, NewIntent
from scheduler.records.status import ScanOutcome
from scheduler.worker.adapters import Adapters
from scheduler.worker.logged_time import with_logged_time

# An incremental read starts this long before the previous one's cursor, against clock skew (replays are harmless).
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
    refused: bool = False      # the service refused the token: every board of that token fails alike
    incremental: bool = False  # built from what changed: the cards carry only the comments this read saw

    @staticmethod
    def failed(provider: str, board_id: str, error: str, *, gone: bool = False, refused: bool = False) -> BoardRead:
        """A board that could not be read; `gone` when it no longer exists (all its cards are gone)."""
        outcome = ScanOutcome.NOT_FOUND if gone else ScanOutcome.ERROR
        update = BoardUpdate(provider, board_id, outcome, error)
        return BoardRead(provider, board_id, () if gone else None, gone, update, error, refused)

    @property
    def state(self) -> str:
        """For the notices: ok | unchanged | gone | refused | error."""
        if self.update.outcome == ScanOutcome.NOT_FOUND:
            return "gone"
        if self.error:
            return "refused" if self.refused else "error"
        return "unchanged" if self.cards is None else "ok"


def read_boards(adapters: Adapters, client: Client, state: ClientState, stop: threading.Event,
                scan_round: Hashable | None = None, full_read_every: timedelta = timedelta(hours=24)) -> list[BoardRead]:
    """Every board of the client that changed since the previous scan, each failure kept to its board.

    A board read whole less than `full_read_every` ago is read incrementally where the service can (only what
    changed); else whole: Asana lists no deleted tasks in its incremental reads, and a Trello action missed or
    not applied would otherwise stay wrong.

    Up to BOARD_READS boards are read at once: the services' budgets, not the answers' latency, should
    bound a scan. A stop request leaves the boards not started yet unread.
    """
    reads: list[BoardRead] = []
    pending: list[tuple[str, str, Callable]] = []
    for provider in dict.fromkeys(b.provider for b in client.boards):
        boards = [b.id for b in client.boards if b.provider == provider]
        changed, unchanged = _changes(adapters, client, state, provider, boards, scan_round)
        # Read whole when due even if unchanged: a task deleted from an Asana project may announce nothing.
        changed |= {b for b in boards if _whole_read_due(state.boards.get((provider, b)), full_read_every)}
        reads += [r for r in unchanged if r.board_id not in changed]
        pending += [(provider, b, lambda p=provider, b=b: _read(adapters, state, p, b, full_read_every)) for b in boards if b in changed]
    if not pending:
        return reads

    def read(provider: str, board_id: str, reader: Callable) -> BoardRead | None:
        return None if stop.is_set() else _guarded(client, provider, board_id, reader)

    with ThreadPoolExecutor(min(BOARD_READS, len(pending)), thread_name_prefix="board") as pool:
        return reads + [r for r in pool.map(lambda job: read(*job), pending) if r is not None]


def _whole_read_due(memory: BoardMemory | None, full_read_every: timedelta) -> bool:
    return bool(memory and memory.full_read_at and datetime.now(UTC) - memory.full_read_at >= full_read_every)


def has_changes(adapters: Adapters, client: Client, boards: dict[tuple[str, str], BoardMemory],
                scan_round: Hashable) -> bool:
    """The cheap check between scans: may any board of the client have changed since it was last read?

    A board never read counts as changed; a check that fails does not (the scheduled scan reports it).
    """
    state = ClientState({}, boards, {})
    for provider in dict.fromkeys(b.provider for b in client.boards):
        ids = [b.id for b in client.boards if b.provider == provider]
        changed, _ = _changes(adapters, client, state, provider, ids, scan_round, quiet=True)
        if changed:
            return True
    return False


def _changes(adapters: Adapters, client: Client, state: ClientState, provider: str, boards: list[str],
             scan_round: Hashable | None, *, quiet: bool = False) -> tuple[set[str], list[BoardRead]]:
    """The boards to read, and the reads of the others: unchanged, or failed to tell (logged unless `quiet`)."""
    memory = {b: state.boards.get((provider, b)) for b in boards}
    # Never read: no need to ask what changed. (Asana projects have no last activity, only a read.)
    never_read = {b for b, m in memory.items() if m is None or not (m.last_activity or m.read_started)}
    asked = [b for b in boards if b not in never_read]
    if not asked:
        return set(boards), []
    last_seen = {b: m.last_activity for b, m in memory.items() if m and m.last_activity}
    try:
        changed = never_read | set(adapters.for_provider(provider).changed_boards(asked, last_seen, scan_round))
    except IntegrationError as err:
        if quiet:
            log.debug("change check of %s boards failed: %s", provider, redact(str(err)), extra={"client": client.name})
            return never_read, []
        return never_read, [_failure(client, provider, b, err) for b in asked]
    return changed, [BoardRead(provider, b, None, False, BoardUpdate(provider, b, ScanOutcome.OK))
                     for b in boards if b not in changed]


def _read(adapters: Adapters, state: ClientState, provider: str, board_id: str,
          full_read_every: timedelta) -> tuple[BoardSnapshot, BoardRead]:
    """A changed board: what changed since the previous read where the service can tell, else all of it."""
    service = adapters.for_provider(provider)
    memory = state.boards.get((provider, board_id))
    started = datetime.now(UTC)
    previous = BoardSnapshot(provider, board_id, "", tuple(
        known.card for known in state.cards.values()
        if known.card.provider == provider and known.card.board_id == board_id and not known.gone))
    since = None  # where an incremental read starts; None: the board is read whole
    if memory and memory.read_started and memory.full_read_at and started - memory.full_read_at < full_read_every:
        since = memory.read_started - MODIFIED_OVERLAP
    changes = service.read_changes(board_id, previous.cards, since) if since else None
    if changes is None:
        snapshot = service.read_board(board_id)
        cards = snapshot.cards
        if service.observes_due_changes:
            # Merged with what the store had: only ScopeKeeper's observations hold the due-date history.
            present = {card.id for card in snapshot.cards}
            merged = merge_incremental(previous, list(snapshot.cards), started)
            cards = tuple(card for card in merged.cards if card.id in present)
        cards, problems = with_logged_time(service, cards, previous.cards, recheck_empty=True)
        snapshot = replace(snapshot, warnings=(*snapshot.warnings, *problems))
        markers = BoardMemory(last_activity=snapshot.last_activity, read_started=started, full_read_at=started)
        return snapshot, BoardRead(provider, board_id, cards, True,
                                   BoardUpdate(provider, board_id, ScanOutcome.OK, markers=markers))
    if service.observes_due_changes:
        merged = merge_incremental(previous, list(changes.cards), started)
    else:  # the service's own history told the due-date moves: the cards come merged
        merged = replace(previous, cards=tuple(_replaced(previous.cards, changes.cards)))
    removed = set(changes.removed)
    # Every live card of the board, so those removed are gone; comments are only those this read saw.
    cards = tuple(card for card in merged.cards if card.id not in removed)
    cards, problems = with_logged_time(service, cards, previous.cards)
    markers = BoardMemory(last_activity=changes.last_activity, read_started=changes.cursor or started)
    update = BoardUpdate(provider, board_id, ScanOutcome.OK, markers=markers)
    snapshot = BoardSnapshot(provider, board_id, "", changes.cards, (*changes.warnings, *problems))
    return snapshot, BoardRead(provider, board_id, cards, True, update, incremental=True)


def _replaced(cards: Iterable[Card], changed: Iterable[Card]) -> list[Card]:
    """`cards` with those of `changed` in place of theirs, and the new ones of `changed` after them."""
    by_id = {card.id: card for card in changed}
    return [by_id.pop(card.id, card) for card in cards] + list(by_id.values())


def card_comments(adapters: Adapters, client: Client, intents: Iterable[NewIntent],
                  read: Mapping[CardKey, Card]) -> tuple[dict[CardKey, tuple[Comment, ...]], set[CardKey], list[str]]:
    """The comments on the cards `intents` are for: from this scan's whole reads where the service sends them with
    the cards (Trello; `read` holds only those), else asked, one request per card (Asana, or a card not read
    whole this scan), for those posted since the earliest of the intents' periods began (`_posted_since`).

    Also the cards that could not be asked (their comments must wait: they might be there already), and why.
    """
    comments: dict[CardKey, tuple[Comment, ...]] = {}
    unchecked: set[CardKey] = set()
    problems: list[str] = []
    since: dict[CardKey, datetime] = {}
    for intent in intents:
        key, start = (intent.provider, intent.card_id), _posted_since(intent.period_key)
        since[key] = min(since.get(key, start), start)
    for key, after in since.items():
        provider, card_id = key
        try:
            adapter = adapters.for_provider(provider)
            if adapter.cards_carry_comments and key in read:
                comments[key] = read[key].comments
            else:
                comments[key] = tuple(adapter.comments(card_id, since=after))
        except IntegrationError as err:  # MissingCredentials included
            unchecked.add(key)
            if not isinstance(err, NotFound):  # a card deleted meanwhile needs no comment
                problems.append(f"{provider} card {card_id}: could not read its comments, its new comments wait for "
                                f"the next scan: {redact(str(err))}")
                log.warning("%s", problems[-1], extra={"client": client.name, "card": card_id})
    return comments, unchecked, problems


def _posted_since(period_key: str) -> datetime:
    """The earliest a comment about a contract period can have been posted: no card has hours or a finding in a
    period before it begins. A card's comments since then are all it needs reading, however long its history (a
    card kept open for months, time logged on it daily). Two days early: the period begins at midnight in the
    client's timezone (up to 14 h ahead of UTC), and the service's clock may differ from ours."""
    return datetime.combine(period_of_key(period_key).start - timedelta(days=2), time(), UTC)


def _guarded(client: Client, provider: str, board_id: str, read) -> BoardRead:
    """One board's read; a service error (or a missing secret) is logged with client and board and stays there."""
    try:
        snapshot, board_read = read()
    except IntegrationError as err:
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
    return BoardRead.failed(provider, board_id, message, gone=gone, refused=isinstance(err, AuthError))
