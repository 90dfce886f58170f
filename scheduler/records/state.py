"""A client's state as a scan reads it, and a scan's writes: plain records the planner and the store share."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from integrations.models import Card
from rules.findings import Finding, Part
from scheduler.records.status import OutboxStatus

CardKey = tuple[str, str]              # (provider, card id)
IntentKey = tuple[str, str, str, str]  # (provider, card id, kind, period key)


@dataclass(frozen=True, slots=True)
class KnownCard:
    """A card as the store has it."""

    card: Card
    digest: str
    finding_digest: str | None
    gone: bool
    days: tuple[date, date] | None = None  # the local days its hours may count in, as last evaluated
    parts: tuple[Part, ...] | None = None  # its hours per period as last evaluated, if its days span several


@dataclass(frozen=True, slots=True)
class BoardMemory:
    """What the previous reads of a board left: Trello's activity marker, Asana's read times."""

    last_activity: datetime | None = None
    read_started: datetime | None = None
    full_read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """An intent already recorded for a key: planning never records a second one."""

    id: int
    status: str
    edited: bool
    text: str = ""                     # its comment's text, or "" where the store gave only its fingerprint
    fingerprint: bytes | None = None   # text_fingerprint(text): a scan holds thousands of these, not the texts

    def reads(self, text: str) -> bool:
        """Whether this entry's comment is worded `text`."""
        return self.text == text if self.fingerprint is None else self.fingerprint == text_fingerprint(text)


def text_fingerprint(text: str) -> bytes:
    """A comment's text in 16 bytes: to tell whether a queued comment's wording changed."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class Window(NamedTuple):
    """What an incremental scan loads: gone cards whose hours reach `cards_from` or later, and the comments of
    contract periods from `comments_from` (a period key) on."""

    cards_from: date
    comments_from: str


@dataclass
class ClientState:
    """Everything a scan needs to know about a client before reading its boards."""

    cards: dict[CardKey, KnownCard]
    boards: dict[tuple[str, str], BoardMemory]
    intents: dict[IntentKey, OutboxEntry]
    hours_used: dict[str, Decimal] = field(default_factory=dict)  # the ledger: used hours per period key
    # Gone cards were loaded only if they reach this day or later (None: every card was loaded).
    since: date | None = None
    evaluated_at: datetime | None = None  # the last scan that evaluated the cards (the ledger's newest row)


@dataclass(frozen=True, slots=True)
class BoardUpdate:
    """A board's read outcome, and its new markers (a None marker keeps the stored one)."""

    provider: str
    board_id: str
    outcome: str  # ok | not_found | error
    detail: str | None = None
    markers: BoardMemory = BoardMemory()


@dataclass(frozen=True, slots=True)
class FindingUpdate:
    """A card whose finding changed: its new hours and period, and a row of the findings history."""

    provider: str
    digest: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A client's hours in one contract period."""

    period_key: str
    period_start: date
    period_end: date
    contracted: Decimal
    used: Decimal
    extra: Decimal
    extra_amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class NewIntent:
    """A comment to record in the outbox: the text as it will be posted, reference included."""

    provider: str
    board_id: str
    card_id: str
    kind: str
    period_key: str
    reference: str
    text: str
    card_title: str
    card_url: str


@dataclass
class ScanWrite:
    """Every change of one scan, committed together: cards, boards, findings, ledger and intents."""

    client: str
    now: datetime
    new_cards: list[tuple[Card, str]] = field(default_factory=list)      # (card, digest)
    changed_cards: list[tuple[Card, str]] = field(default_factory=list)
    gone: list[CardKey] = field(default_factory=list)
    returned: list[CardKey] = field(default_factory=list)
    boards: list[BoardUpdate] = field(default_factory=list)
    findings: list[FindingUpdate] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    intents: list[NewIntent] = field(default_factory=list)
    intent_status: OutboxStatus = OutboxStatus.PENDING_REVIEW
    rewordings: list[tuple[int, str]] = field(default_factory=list)     # (intent id, new text)
    days: dict[CardKey, tuple[date, date]] = field(default_factory=dict)  # cards whose days are new or changed
    parts: dict[CardKey, tuple[Part, ...]] = field(default_factory=dict)  # cards whose parts are new or changed
    prune_before: datetime | None = None  # history older than this goes (the retention policy), if set
    # Comments whose reference is already on their card (posted before this store lost them), with the
    # posted comment's id: recorded as reconciled, never posted.
    found: list[tuple[NewIntent, str]] = field(default_factory=list)
