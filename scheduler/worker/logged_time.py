"""Asana time tracking entries for a scan: read only for tasks whose tracked total changed since the last read.

Asana's project-wide listing (GET /time_tracking_entries?attributable_to=<project>) does not name each entry's
task (its opt_fields cannot ask for `task`), so entries are listed per task. A task's actual_time_minutes is
the sum of its entries: while it is unchanged the entries read before are reused, so an unchanged project
costs no request at all, and a scan costs one listing (per 100 entries) per task whose tracked time changed.
The rules count each entry in the contract period of its entered_on.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace

from integrations.errors import IntegrationError
from integrations.models import Card, TimeEntry
from integrations.service import BoardService
from scheduler.logs import redact

log = logging.getLogger("scopekeeper.worker")


def with_logged_time(service: BoardService, cards: Sequence[Card], previous: Iterable[Card] = (), *,
                     recheck_empty: bool = False) -> tuple[tuple[Card, ...], list[str]]:
    """The cards with their time tracking entries, and the problems met (a task whose entries could not be
    read keeps its actual time; the others are not held up).

    `previous` are the same cards as last read (with their entries); `recheck_empty` (a whole read) asks again
    for tasks with tracked time but no entries known, in case an earlier read failed.
    """
    known = {card.id: card for card in previous}
    entries: dict[str, tuple[TimeEntry, ...]] = {}
    wanted: list[str] = []
    for card in cards:
        if not card.time_tracked_minutes or card.provider != service.provider:
            continue
        old = known.get(card.id)
        if old is not None and old.time_tracked_minutes == card.time_tracked_minutes:
            kept = tuple(e for e in old.time_entries if e.source == card.provider)
            if kept or not recheck_empty:
                entries[card.id] = kept
                continue
        wanted.append(card.id)
    problems: list[str] = []
    for card_id in wanted:
        try:
            entries.update(service.read_time_entries([card_id]))
        except IntegrationError as err:
            problems.append(f"{service.provider} task {card_id}: its time tracking entries could not be read, its "
                            f"actual time counts instead this scan: {redact(str(err))}")
            log.warning("%s", problems[-1], extra={"card": card_id, "event": "time_entries_failed"})
    return tuple(_with(card, entries.get(card.id)) for card in cards), problems


def _with(card: Card, entries: tuple[TimeEntry, ...] | None) -> Card:
    if entries is None or entries == card.time_entries:
        return card
    return replace(card, time_entries=entries)
