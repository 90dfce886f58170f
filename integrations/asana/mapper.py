"""Asana task JSON (a project export, or the adapter's live read) -> provider-neutral cards."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from integrations import _parse as p
from integrations.clean import clean_card, clean_text
from integrations.errors import MalformedItem
from integrations.models import BoardSnapshot, Card, FieldValue, TimeEntry

# The opt_fields the rules need; the live adapter asks for exactly these.
TASK_FIELDS = (
    "name", "notes", "created_at", "modified_at", "due_on", "due_at", "completed",
    "tags.name", "memberships.section.name", "memberships.project.gid",
    "custom_fields.name", "custom_fields.type", "custom_fields.number_value",
    "custom_fields.text_value", "custom_fields.display_value",
    "actual_time_minutes", "permalink_url",
)


def project_snapshot(project_id: str, tasks: Iterable[Any], name: str = "") -> BoardSnapshot:
    """Normalise a project's tasks; a malformed task is skipped with a warning naming it."""
    cards: list[Card] = []
    warnings: list[str] = []
    for index, raw in enumerate(tasks):
        try:
            if not isinstance(raw, Mapping):
                raise MalformedItem(f"expected an object, got {type(raw).__name__}")
            cards.append(clean_card(task_card(raw, project_id)))
        except MalformedItem as err:
            label = f"#{index} (gid {raw.get('gid')!r:.40}, {str(raw.get('name'))!r:.60})" if isinstance(raw, Mapping) else f"#{index}"
            warnings.append(f"task {label} skipped: {err}")
    return BoardSnapshot(provider="asana", id=project_id, name=name, cards=tuple(cards), warnings=tuple(warnings))


def task_card(raw: Mapping[str, Any], project_id: str = "") -> Card:
    """One Asana task as a card."""
    gid = p.text(raw, "gid")
    created = p.timestamp(raw.get("created_at"), "created_at")
    if created is None:
        raise MalformedItem("field 'created_at' is missing")
    minutes = raw.get("actual_time_minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, (int, float))):
        raise MalformedItem(f"field 'actual_time_minutes' should be a number, got {minutes!r:.60}")
    due = p.timestamp(raw.get("due_at"), "due_at") or p.day_end(raw.get("due_on"), "due_on")
    return Card(
        id=gid,
        title=p.text(raw, "name"),
        created_at=created,
        provider="asana",
        board_id=project_id,
        description=p.text(raw, "notes", default=""),
        labels=tuple(t["name"] for t in raw.get("tags") or [] if isinstance(t, Mapping) and isinstance(t.get("name"), str)),
        list=_section(raw, project_id),
        due=due,
        custom_fields=_custom_fields(raw.get("custom_fields") or []),
        time_tracked_minutes=float(minutes) if minutes is not None else None,
        url=str(raw.get("permalink_url") or ""),
        completed=bool(raw.get("completed")),
        modified_at=p.timestamp(raw.get("modified_at"), "modified_at"),
    )


def _section(raw: Mapping[str, Any], project_id: str) -> str:
    for membership in raw.get("memberships") or []:
        if not isinstance(membership, Mapping):
            continue
        project = membership.get("project") or {}
        if project_id and project.get("gid") not in (None, project_id):
            continue
        section = membership.get("section") or {}
        if isinstance(section.get("name"), str):
            return section["name"]
    return ""


def _custom_fields(fields: Iterable[Any]) -> dict[str, FieldValue]:
    values: dict[str, FieldValue] = {}
    for field in fields:
        if not isinstance(field, Mapping) or not isinstance(field.get("name"), str):
            continue
        if field.get("number_value") is not None:
            values[field["name"]] = p.number(field["number_value"])
        elif field.get("text_value") is not None:
            values[field["name"]] = p.number(field["text_value"])
        else:
            values[field["name"]] = p.number(field.get("display_value"))
    return values


# The opt_fields a time tracking entry needs (GET /tasks/{task_gid}/time_tracking_entries).
TIME_ENTRY_FIELDS = ("duration_minutes", "entered_on", "created_by.name")


def time_entries(raw_entries: Iterable[Any], task_gid: str) -> tuple[tuple[TimeEntry, ...], tuple[str, ...]]:
    """One task's time tracking entries; an entry that cannot be read is skipped with a warning naming it."""
    found: list[TimeEntry] = []
    warnings = []
    for index, raw in enumerate(raw_entries):
        try:
            found.append(_time_entry(raw))
        except MalformedItem as err:
            gid = raw.get("gid") if isinstance(raw, Mapping) else None
            warnings.append(f"task {task_gid}: time tracking entry #{index} (gid {gid!r:.40}) skipped: {err}")
    return tuple(found), tuple(warnings)


def with_time_entries(cards: Iterable[Card], entries: Mapping[str, tuple[TimeEntry, ...]]) -> list[Card]:
    """The cards with their tasks' time tracking entries."""
    return [replace(card, time_entries=entries[card.id]) if card.id in entries else card for card in cards]


def _time_entry(raw: Any) -> TimeEntry:
    if not isinstance(raw, Mapping):
        raise MalformedItem(f"expected an object, got {type(raw).__name__}")
    minutes = raw.get("duration_minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes < 0:
        raise MalformedItem(f"field 'duration_minutes' should be a number of minutes, got {minutes!r:.40}")
    try:
        day = date.fromisoformat(str(raw.get("entered_on")))
    except ValueError:
        raise MalformedItem(f"field 'entered_on' should be a date such as 2026-11-30, got "
                            f"{raw.get('entered_on')!r:.40}") from None
    author = raw.get("created_by")
    name = author.get("name") if isinstance(author, Mapping) else None
    return TimeEntry(id=p.text(raw, "gid"), source="asana", minutes=float(minutes), entered_on=day,
                     author=clean_text(str(name or "")))
