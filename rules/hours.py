"""Hours spent on a card: the hours field, tracked time, or a tag in the title."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_HOUR_UNITS = r"h|hr|hrs|hour|hours|godz|godz\.|godzin|godziny|godzina|heure|heures|hora|horas"
_MINUTE_UNITS = r"m|min|mins|minute|minutes|minut|minuty|minuto|minutos"
_TAG = re.compile(
    rf"\[\s*(?:{_NUMBER}\s*(?P<hunit>{_HOUR_UNITS})(?:\s*(?P<mins>\d{{1,2}})\s*(?:{_MINUTE_UNITS})?)?"
    rf"|{_NUMBER}\s*(?P<munit>{_MINUTE_UNITS}))\s*\]",
    re.IGNORECASE,
)
_SIXTY = Decimal(60)


def parse_hours(value: Any) -> Decimal | None:
    """A non-negative number of hours from 2, 2.5, '2.5' or '1,5'; None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else repr(float(value))
    try:
        hours = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return hours if hours.is_finite() and hours >= 0 else None


def title_tag(title: str) -> tuple[Decimal, str] | None:
    """Hours from a tag such as '[2h]', '[1.5 h]', '[1,5h]', '[1h30]' or '[30m]', with the tag."""
    match = _TAG.search(title)
    if not match:
        return None
    # _NUMBER's digits always make a number (parse_hours, for any value, may say None).
    hours = Decimal((match[4] if match["munit"] else match[1]).replace(",", "."))
    if match["munit"]:
        return hours / _SIXTY, match.group()
    if match["mins"]:
        hours += Decimal(match["mins"]) / _SIXTY
    return hours, match.group()


def strip_tags(title: str) -> str:
    """The title without its hours tag."""
    return _TAG.sub(" ", title)


def card_hours(custom_fields: Mapping[str, Any], tracked_minutes: float | None, title: str,
               hours_field: str) -> tuple[Decimal | None, str | None]:
    """Hours of a card and where they came from: tracked time, the hours field, else a title tag."""
    if tracked_minutes:
        minutes = parse_hours(tracked_minutes)
        if minutes:
            return (minutes / _SIXTY).normalize(), f"{_fmt(minutes)} min of tracked time (actual_time_minutes)"
    wanted = hours_field.casefold()
    for name, raw in custom_fields.items():
        if name.casefold() == wanted and raw is not None:
            found = _field_hours(name, raw) if isinstance(raw, (int, float, str)) else _read_field(name, raw)
            if found[0] is not None:
                return found
    tag = title_tag(title)
    if tag:
        return tag[0].normalize(), f"{_fmt(tag[0])} h {_FROM_TAG} '{tag[1]}'"
    return None, None


def is_tracked(evidence: str | None) -> bool:
    """Whether card_hours found time spent (tracked time, the hours field), not a title tag's estimate."""
    return evidence is not None and _FROM_TAG not in evidence


_FROM_TAG = "from title tag"


def _read_field(name: str, raw: Any) -> tuple[Decimal | None, str | None]:
    hours = parse_hours(raw)
    return (None, None) if hours is None else (hours.normalize(), f"{_fmt(hours)} h from field '{name}'")


# Boards repeat a handful of values (0.5, 1, 2...) across thousands of cards.
_field_hours = lru_cache(maxsize=1024, typed=True)(_read_field)  # typed: True is not 1


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


SOURCE_NAMES = {"asana": "Asana time tracking entries", "plus": "Plus for Trello plus! comments"}


def logged_hours(entries: Sequence[Any], source: str) -> tuple[list[tuple[Any, Decimal]], tuple[str, ...]]:
    """Entries of one source that count, with their hours; and the malformed ones, as evidence lines.

    `entries` are integrations.models.TimeEntry-like (source, minutes, text, problem). An entry that could
    not be read counts zero and is reported; a source with no readable entry is no source (the next one in
    order decides), but its malformed entries are still reported.
    """
    counted: list[tuple[Any, Decimal]] = []
    problems: list[str] = []
    for entry in entries:
        if entry.source != source:
            continue
        if entry.problem:
            problems.append(f"{SOURCE_NAMES.get(source, source)}: '{entry.text}' counted 0 h ({entry.problem})")
            continue
        hours = _entry_hours(entry.minutes)
        if hours is not None:
            counted.append((entry, hours))
    return counted, tuple(problems)


@lru_cache(maxsize=1024)
def _entry_hours(minutes: float) -> Decimal | None:
    """An entry's minutes in hours, None if not a finite number; entries repeat a few values (30, 60, 90 min...)."""
    exact = Decimal(str(minutes))
    return exact / _SIXTY if exact.is_finite() else None


def logged_evidence(hours: Decimal, entries: int, source: str) -> str:
    """'4.5 h from Asana time tracking entries (3)': the evidence line naming the source."""
    return f"{_fmt(hours)} h from {SOURCE_NAMES.get(source, source)} ({entries})"
