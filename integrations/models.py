"""Provider-neutral board models every adapter produces."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

FieldValue = float | str | None


@dataclass(frozen=True, slots=True)
class DueChange:
    """One observed change of a card's due date (old was set, then moved)."""

    at: datetime
    old: datetime | None
    new: datetime | None


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment (Trello) or comment story (Asana) on a card."""

    id: str
    text: str
    created_at: datetime
    author: str = ""


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """Time logged on a card: an Asana time tracking entry, or a Plus for Trello `plus!` comment.

    An entry that could not be read keeps its text and says why in `problem`; it counts zero hours.
    """

    id: str
    source: str                        # "asana" (time tracking entries) | "plus" (Plus for Trello comments)
    minutes: float
    entered_on: date | None = None     # Asana: the day the time is logged on
    at: datetime | None = None         # plus!: the comment's time, moved back by its -Nd
    author: str = ""
    text: str = ""
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """A client request as the rules see it, whatever service it came from."""

    id: str
    title: str
    created_at: datetime
    provider: str = "trello"
    board_id: str = ""
    description: str = ""
    labels: tuple[str, ...] = ()
    list: str = ""
    due: datetime | None = None
    due_changes: tuple[DueChange, ...] = ()
    custom_fields: Mapping[str, FieldValue] = field(default_factory=dict)
    time_tracked_minutes: float | None = None
    time_entries: tuple[TimeEntry, ...] = ()
    comments: tuple[Comment, ...] = ()
    url: str = ""
    completed: bool = False
    modified_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    """A board (Trello) or project (Asana) read at one moment."""

    provider: str
    id: str
    name: str
    cards: tuple[Card, ...]
    warnings: tuple[str, ...] = ()
    last_activity: datetime | None = None


@dataclass(frozen=True, slots=True)
class BoardChanges:
    """What an incremental read found: cards modified or added, cards that left, where the next read starts."""

    cards: tuple[Card, ...]
    removed: tuple[str, ...] = ()
    cursor: datetime | None = None          # None: the next read starts where this one started
    last_activity: datetime | None = None   # the board's activity marker now (None: unchanged)
    warnings: tuple[str, ...] = ()


def merge_incremental(previous: BoardSnapshot, modified: list[Card], observed_at: datetime) -> BoardSnapshot:
    """The previous snapshot with the modified tasks replaced (or added) and their due-date moves recorded.

    A move is recorded, at `observed_at`, when a task already had a due date in `previous` and now has
    another one (or none). Setting a first due date is planning, not rescheduling (as for Trello).
    """
    by_id = {card.id: card for card in modified}
    cards = [_merged(old, by_id.pop(old.id), observed_at) if old.id in by_id else old for old in previous.cards]
    cards.extend(by_id.values())
    return replace(previous, cards=tuple(cards))


def _merged(old: Card, new: Card, observed_at: datetime) -> Card:
    changes = old.due_changes
    if old.due is not None and new.due != old.due:
        changes += (DueChange(at=observed_at, old=old.due, new=new.due),)
    return replace(new, due_changes=changes)
