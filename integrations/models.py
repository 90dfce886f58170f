"""Provider-neutral board models every adapter produces."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Union

FieldValue = Union[float, str, None]


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
