"""Small, strict parsers for the values service payloads carry."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from integrations.errors import MalformedItem


def text(item: Mapping[str, Any], key: str, *, default: str | None = None) -> str:
    """A string field; None counts as missing."""
    value = item.get(key)
    if value is None:
        if default is not None:
            return default
        raise MalformedItem(f"field '{key}' is missing")
    if not isinstance(value, str):
        raise MalformedItem(f"field '{key}' should be a string, got {type(value).__name__} {value!r:.60}")
    return value


def instant(value: Any, key: str) -> datetime:
    """A timestamp that must be there (an action's or a comment's date)."""
    moment = timestamp(value, key)
    if moment is None:
        raise MalformedItem(f"field '{key}' is missing")
    return moment


def timestamp(value: Any, key: str) -> datetime | None:
    """An ISO 8601 instant (Trello and Asana both send UTC with 'Z') as an aware datetime."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedItem(f"field '{key}' should be an ISO 8601 timestamp, got {value!r:.60}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise MalformedItem(f"field '{key}' is not an ISO 8601 timestamp: {value!r:.60}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def day_end(value: Any, key: str) -> datetime | None:
    """A date-only due date ('2026-11-20') as the last second of that day, in UTC."""
    if value is None or value == "":
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(23, 59, 59), UTC)
    except (TypeError, ValueError):
        raise MalformedItem(f"field '{key}' is not a date: {value!r:.60}") from None


def number(value: Any) -> float | str | None:
    """A custom-field number: services send numbers as strings ('2.5'); keep text for the rules."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value.strip() or None
    return None


def objectid_time(object_id: str) -> datetime | None:
    """Creation time encoded in the first 4 bytes of a Trello (MongoDB) object id."""
    if len(object_id) != 24:
        return None
    try:
        return datetime.fromtimestamp(int(object_id[:8], 16), UTC)
    except ValueError:
        return None
