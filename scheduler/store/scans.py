"""What a client's scan reads from the store before it starts, and writes back in one transaction."""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice

from sqlalchemy import delete, func, select, update

from integrations.models import Card
from rules.findings import Part
from rules.periods import period_of_key
from scheduler.logs import redact
from scheduler.records.codec import card_to_json, parts_from_json, parts_to_json
from scheduler.records.state import (
    BoardMemory,
    BoardUpdate,
    CardKey,
    ClientState,
    FindingUpdate,
    KnownCard,
    OutboxEntry,
    ScanWrite,
    Window,
    text_fingerprint,
)
from scheduler.records.status import ScanOutcome
from scheduler.store.long_cards import LongCards
from scheduler.store.schema import (
    PENDING_REVIEW,
    RECONCILED,
    REJECTED,
    SENT,
    BoardRow,
    CardRow,
    ClientStatusRow,
    FindingRow,
    IntentRow,
    LedgerRow,
    table_of,
)
from scheduler.store.store import Store, insert_new

READ_BATCH = 500  # rows fetched at a time when a scan loads its cards
WRITE_BATCH = 500  # rows per statement of a scan's write: its memory no longer grows with the board
SETTLED = (SENT, RECONCILED, REJECTED)  # comments whose fate is known: the only ones history may lose
# A card with time logged for months is loaded at every scan while its period is open: decoding its hundreds of
# entries each time would make a scan's cost grow with the card's age.
_LONG_CARDS = LongCards()


def load_client(store: Store, client: str, window: Callable[[datetime | None], Window] | None = None) -> ClientState:
    """The client's live cards, board markers, ledger and recorded intents; and its gone cards: all of them
    without `window`, else those it names given the last evaluation's time (intents likewise)."""
    with store.reading() as session:
        ledger = session.execute(select(LedgerRow.period_key, LedgerRow.used, LedgerRow.updated_at)
                                 .where(LedgerRow.client == client)).all()
        evaluated_at = max((row.updated_at for row in ledger), default=None)
        first = window(evaluated_at) if window is not None else None
        cards = _known(session, client, first.cards_from if first else None)
        query = select(IntentRow.id, IntentRow.provider, IntentRow.card_id, IntentRow.kind, IntentRow.period_key,
                       IntentRow.status, IntentRow.edited, IntentRow.text).where(IntentRow.client == client)
        if first is not None:  # keys sort in time order within a period kind
            query = query.where(IntentRow.period_key >= first.comments_from)
        # Streamed, each text kept as its fingerprint: a client's thousands of queued comments are compared with
        # the new wording, never shown.
        intents = {(row.provider, row.card_id, row.kind, row.period_key): OutboxEntry(
            row.id, row.status, row.edited, fingerprint=text_fingerprint(row.text))
            for row in session.execute(query.execution_options(yield_per=READ_BATCH))}
        boards = _boards(session, client)
    return ClientState(cards, boards, intents, {row.period_key: row.used for row in ledger},
                       first.cards_from if first else None, evaluated_at)


def load_cards(store: Store, client: str, *, since: date | None = None,
               keys: Collection[CardKey] = ()) -> dict[CardKey, KnownCard]:
    """More of the client's stored cards: those reaching `since` or later, or those of `keys` (gone or not)."""
    with store.reading() as session:
        if since is not None:
            return _known(session, client, since, gone_only=True)
        found: dict[CardKey, KnownCard] = {}
        for provider in sorted({p for p, _ in keys}):  # the whole primary key: else every card of the client is read
            ids = sorted(card_id for p, card_id in keys if p == provider)
            for start in range(0, len(ids), 500):  # bounded IN lists
                found.update(_known(session, client, None, ids=(provider, ids[start:start + 500])))
        return found


def _known(session, client: str, since: date | None, *, gone_only: bool = False,
           ids: tuple[str, Sequence[str]] | None = None) -> dict[CardKey, KnownCard]:
    query = select(CardRow.provider, CardRow.card_id, CardRow.data, CardRow.digest, CardRow.finding_digest,
                   CardRow.gone_at, CardRow.first_day, CardRow.last_day, CardRow.parts).where(CardRow.client == client)
    if ids is not None:
        queries = [query.where(CardRow.provider == ids[0], CardRow.card_id.in_(ids[1]))]
    elif since is None:
        queries = [query]
    else:  # one query per index: an OR of them reads every card the client ever had, and history grows
        queries = [query.where(CardRow.gone_at.is_not(None), CardRow.last_day >= since),
                   query.where(CardRow.last_day.is_(None))]  # a card never evaluated has no days: it is loaded
        if not gone_only:
            queries.append(query.where(CardRow.gone_at.is_(None)))
    found: dict[CardKey, KnownCard] = {}
    for rows in queries:  # streamed: a big board's rows (each card's JSON decoded) are never all held at once
        for row in session.execute(rows.execution_options(yield_per=READ_BATCH)):
            key = (row.provider, row.card_id)
            if key not in found and not (gone_only and row.gone_at is None):
                found[key] = KnownCard(_LONG_CARDS.card(row.data, row.digest), row.digest, row.finding_digest,
                                       row.gone_at is not None,
                                       (row.first_day, row.last_day) if row.first_day and row.last_day else None,
                                       parts_from_json(row.parts) if row.parts is not None else None)
    return found


def load_boards(store: Store, client: str) -> dict[tuple[str, str], BoardMemory]:
    """The client's board markers alone: all a change check needs."""
    with store.reading() as session:
        return _boards(session, client)


def _boards(session, client: str) -> dict[tuple[str, str], BoardMemory]:
    return {(row.provider, row.board_id): BoardMemory(row.last_activity, row.read_started, row.full_read_at)
            for row in session.scalars(select(BoardRow).where(BoardRow.client == client))}


def save_scan(store: Store, write: ScanWrite) -> int:
    """Commit the scan's changes in one transaction; returns how many intents were new."""
    client, now = write.client, write.now
    findings = {(f.provider, f.finding.card_id): f for f in write.findings}
    days, parts = dict(write.days), dict(write.parts)
    with store.session() as session:
        if write.new_cards:  # with their findings', days' and parts' columns: one write per new card, not four
            _in_batches(session, table_of(CardRow).insert(), (
                {**_card_columns(client, card, digest, now), "first_seen": now,
                 **_finding_of(findings.pop((card.provider, card.id), None)),
                 **_days_of(days.pop((card.provider, card.id), None)),
                 "parts": _parts_of(parts.pop((card.provider, card.id), None))} for card, digest in write.new_cards))
        _in_batches(session, update(CardRow), (_card_columns(client, card, digest, now)
                                               for card, digest in write.changed_cards))
        for keys, gone_at in ((write.gone, now), (write.returned, None)):
            _in_batches(session, update(CardRow), ({"client": client, "provider": p, "card_id": c, "gone_at": gone_at}
                                                   for p, c in keys))
        _in_batches(session, update(CardRow), ({"client": client, "provider": f.provider, "card_id": f.finding.card_id,
                                                **_finding_of(f)} for f in findings.values()))
        _in_batches(session, update(CardRow), ({"client": client, "provider": p, "card_id": c, **_days_of(d)}
                                               for (p, c), d in days.items()))
        _in_batches(session, update(CardRow), ({"client": client, "provider": p, "card_id": c, "parts": _parts_of(kept)}
                                               for (p, c), kept in parts.items()))
        _in_batches(session, table_of(FindingRow).insert(), (_finding_columns(client, f, now) for f in write.findings))
        for board in write.boards:
            _save_board(session, client, board)
        for entry in write.ledger:
            session.merge(LedgerRow(client=client, updated_at=now, **_fields(entry)))
        created = sum(insert_new(session, table_of(IntentRow), batch) for batch in _batches(
            {**_fields(i), "client": client, "status": write.intent_status, "edited": False, "attempts": 0,
             "created_at": now, "updated_at": now} for i in write.intents))
        for batch in _batches({**_fields(i), "client": client, "status": RECONCILED, "edited": False, "attempts": 0,
                               "remote_id": remote, "created_at": now, "updated_at": now, "sent_at": now}
                              for i, remote in write.found):
            insert_new(session, table_of(IntentRow), batch)
        for intent_id, text in write.rewordings:
            session.execute(update(IntentRow).where(IntentRow.id == intent_id, IntentRow.status == PENDING_REVIEW,
                                                    IntentRow.edited.is_(False))
                            .values(text=text, updated_at=now))
        if write.prune_before is not None:
            prune_history(session, client, write.prune_before)
    return created


def _in_batches(session, statement, rows: Iterable[dict]) -> None:
    """Execute `statement` for each of `rows`, WRITE_BATCH at a time."""
    for batch in _batches(rows):
        session.execute(statement, batch)


def _batches(rows: Iterable[dict]) -> Iterator[list[dict]]:
    """`rows` WRITE_BATCH at a time: a scan of a big board never holds all its rows' parameters (a card's JSON,
    a comment's text) at once."""
    rows = iter(rows)
    while batch := list(islice(rows, WRITE_BATCH)):
        yield batch


def prune_history(session, client: str, before: datetime) -> tuple[int, int]:
    """Delete the client's history older than `before`: findings rows (each card keeps its newest one) and
    settled comments (posted, reconciled or rejected) of contract periods that ended before it; never a
    comment still to review, to post or to reconcile. Returns (findings, comments) deleted."""
    newest = (select(func.max(FindingRow.id)).where(FindingRow.client == client)
              .group_by(FindingRow.provider, FindingRow.card_id))
    findings = session.execute(delete(FindingRow).where(FindingRow.client == client, FindingRow.observed_at < before,
                                                        FindingRow.id.not_in(newest))).rowcount
    old = session.execute(select(IntentRow.id, IntentRow.period_key).where(
        IntentRow.client == client, IntentRow.status.in_(SETTLED), IntentRow.updated_at < before)).all()
    # A comment's key must outlive any scan that could plan it again: only periods long over lose theirs.
    ended = [row.id for row in old if _ended_before(row.period_key, before.date())]
    for start in range(0, len(ended), 500):
        session.execute(delete(IntentRow).where(IntentRow.id.in_(ended[start:start + 500])))
    return findings, len(ended)


def _ended_before(period_key: str, day: date) -> bool:
    try:
        return period_of_key(period_key).end < day
    except ValueError:  # not a key this version writes: kept
        return False


def record_status(store: Store, client: str, *, started: datetime, finished: datetime, outcome: ScanOutcome,
                  detail: str | None, posted: int) -> None:
    """The outcome of a client's scan, for `scopekeeper status`."""
    with store.session() as session:
        row = session.get(ClientStatusRow, client) or ClientStatusRow(client=client)
        row.last_scan_at, row.outcome, row.posted = started, outcome, posted
        row.detail = redact(detail)[:2000] if detail else None
        row.duration_seconds = (finished - started).total_seconds()
        if outcome is ScanOutcome.OK:
            row.last_ok_at = started
        session.add(row)


def client_statuses(store: Store) -> dict[str, ClientStatusRow]:
    """The last scan of every client scanned so far."""
    with store.reading() as session:
        return {row.client: row for row in session.scalars(select(ClientStatusRow))}


def latest_findings(store: Store, cards: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], FindingRow]:
    """The newest finding of each (client, provider, card id): what a queued comment answers."""
    wanted = set(cards)
    if not wanted:
        return {}
    newest = (select(func.max(FindingRow.id)).where(FindingRow.card_id.in_({c for _, _, c in wanted}))
              .group_by(FindingRow.client, FindingRow.provider, FindingRow.card_id))
    with store.reading() as session:
        rows = session.scalars(select(FindingRow).where(FindingRow.id.in_(newest)))
        found = {(r.client, r.provider, r.card_id): r for r in rows}
    return {key: row for key, row in found.items() if key in wanted}


def finding_history(store: Store, client: str, card_id: str) -> list[FindingRow]:
    """A card's findings, oldest first: one row per change."""
    with store.reading() as session:
        return list(session.scalars(select(FindingRow).where(FindingRow.client == client,
                                                             FindingRow.card_id == card_id)
                                    .order_by(FindingRow.id)))


def _save_board(session, client: str, board: BoardUpdate) -> None:
    row = session.get(BoardRow, (client, board.provider, board.board_id)) or BoardRow(
        client=client, provider=board.provider, board_id=board.board_id)
    row.outcome, row.detail = board.outcome, redact(board.detail)[:2000] if board.detail else None
    for name, value in _fields(board.markers).items():
        if value is not None:
            setattr(row, name, value)
    session.add(row)


def _card_columns(client: str, card: Card, digest: str, now: datetime) -> dict:
    return {"client": client, "provider": card.provider, "card_id": card.id, "board_id": card.board_id,
            "title": card.title, "url": card.url, "created_at": card.created_at, "due": card.due,
            "data": card_to_json(card), "digest": digest, "updated_at": now}


def _finding_of(f: FindingUpdate | None) -> dict:
    """A card row's columns that come from its finding."""
    if f is None:
        return {"hours": None, "period_key": None, "finding_digest": None}
    return {"hours": f.finding.hours, "period_key": f.finding.period.key, "finding_digest": f.digest}


def _days_of(days: tuple[date, date] | None) -> dict:
    """A card row's columns that say which days its hours may count in."""
    first, last = days or (None, None)
    return {"first_day": first, "last_day": last}


def _parts_of(parts: Sequence[Part] | None) -> list[list[str]] | None:
    return parts_to_json(parts) if parts is not None else None


def _finding_columns(client: str, update: FindingUpdate, now: datetime) -> dict:
    f = update.finding
    return {"client": client, "provider": update.provider, "card_id": f.card_id, "period_key": f.period.key,
            "verdict": f.verdict, "service": f.service, "category": f.category, "response": f.response,
            "flags": list(f.flags), "hours": f.hours, "extra_hours": f.extra_hours, "extra_amount": f.extra_amount,
            "observed_at": now}


def _fields(record) -> dict:
    return {name: getattr(record, name) for name in record.__slots__}
