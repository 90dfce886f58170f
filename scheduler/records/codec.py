"""Cards (and their hours per period) as JSON for the store, and back; comments are left out (the outbox keeps
ScopeKeeper's own)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from integrations.models import Card, DueChange, TimeEntry
from rules.findings import Part
from rules.periods import period_of_key


def card_to_json(card: Card) -> dict[str, Any]:
    """Everything the rules and reports read of a card, in JSON types."""
    return {
        "id": card.id, "title": card.title, "created_at": _iso(card.created_at), "provider": card.provider,
        "board_id": card.board_id, "description": card.description, "labels": list(card.labels),
        "list": card.list, "due": _iso(card.due),
        "due_changes": [[_iso(c.at), _iso(c.old), _iso(c.new)] for c in card.due_changes],
        "custom_fields": dict(card.custom_fields), "time_tracked_minutes": card.time_tracked_minutes,
        "url": card.url, "completed": card.completed, "modified_at": _iso(card.modified_at),
        **({"time_entries": [_entry_json(e) for e in card.time_entries]} if card.time_entries else {}),
    }


def card_from_json(data: dict[str, Any]) -> Card:
    """The Card `card_to_json` was given, without its comments."""
    return Card(
        id=data["id"], title=data["title"], created_at=datetime.fromisoformat(data["created_at"]), provider=data["provider"],
        board_id=data["board_id"], description=data["description"], labels=tuple(data["labels"]),
        list=data["list"], due=_time(data["due"]),
        due_changes=tuple(DueChange(datetime.fromisoformat(at), _time(old), _time(new)) for at, old, new in data["due_changes"]),
        custom_fields=data["custom_fields"], time_tracked_minutes=data["time_tracked_minutes"], url=data["url"],
        completed=data["completed"], modified_at=_time(data["modified_at"]),
        time_entries=tuple(_entry(e) for e in data.get("time_entries", ())),
    )


def parts_to_json(parts: Iterable[Part]) -> list[list[str]]:
    """A card's hours per contract period: [period key, hours, extra hours, owed, extra amount] each."""
    return [[p.period.key, str(p.hours), str(p.extra_hours), str(p.owed), str(p.extra_amount)] for p in parts]


def parts_from_json(data: list[list[str]]) -> tuple[Part, ...]:
    """The parts `parts_to_json` was given, each Decimal written as it was."""
    return tuple(Part(period_of_key(key), Decimal(hours), Decimal(extra), Decimal(owed), Decimal(amount))
                 for key, hours, extra, owed, amount in data)


def _entry_json(entry: TimeEntry) -> dict[str, Any]:
    # Cards without entries keep their stored JSON (and digest) as before.
    return {"id": entry.id, "source": entry.source, "minutes": entry.minutes,
            "entered_on": entry.entered_on.isoformat() if entry.entered_on else None, "at": _iso(entry.at),
            "author": entry.author, "text": entry.text, "problem": entry.problem}


def _entry(data: dict[str, Any]) -> TimeEntry:
    return TimeEntry(id=data["id"], source=data["source"], minutes=data["minutes"],
                     entered_on=date.fromisoformat(data["entered_on"]) if data["entered_on"] else None,
                     at=_time(data["at"]), author=data["author"], text=data["text"], problem=data["problem"])


# json.dumps with these options would build an encoder per call: a scan fingerprints every card it reads.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)


def digest(data: Any) -> str:
    """A stable fingerprint of JSON-able data, to tell whether a row needs rewriting."""
    return hashlib.sha256(_CANONICAL.encode(data).encode()).hexdigest()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None
