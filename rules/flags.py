"""Red flags on a card: discount requests, urgency, after-hours, vagueness, rescheduling."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from . import lexicon
from .contract import WEEKDAYS, BusinessHours
from .matching import Hit
from .text import token

FLAG_ORDER = ("discount_request", "urgent_deadline", "after_hours", "vague_request", "rescheduled")
_VAGUE_MAX_WORDS = 3


def word_entries(language: str) -> list[tuple[str, str]]:
    """(kind, phrase) of the discount and urgency vocabulary, for the client's phrase matcher."""
    entries = [("discount", p) for p in lexicon.for_language(lexicon.DISCOUNT, language)]
    entries += [("discount_exception", p) for p in lexicon.for_language(lexicon.DISCOUNT_EXCEPTIONS, language)]
    entries += [("urgent", p) for p in lexicon.for_language(lexicon.URGENT, language)]
    return entries


def word_flags(hits: Sequence[Hit], words: Sequence[str], language: str) -> dict[str, Hit]:
    """The first non-negated discount and urgency hits among a text's flag-word hits."""
    if not hits:
        return {}
    exceptions = [h for h in hits if h.target == "discount_exception"]
    found: dict[str, Hit] = {}
    for hit in hits:
        if hit.target not in ("discount", "urgent") or hit.target in found or _negated(words, hit.first, language):
            continue
        if hit.target == "discount" and any(e.first <= hit.first < e.last for e in exceptions):
            continue
        found[hit.target] = hit
    return found


def _negated(words: Sequence[str], first: int, language: str) -> bool:
    return any(token(words[i], language).folded in lexicon.NEGATIONS for i in range(max(0, first - 2), first))


def short_notice(created: datetime, due: datetime | None, min_notice_hours: float) -> str | None:
    """Evidence when the due date leaves less notice than the contract asks for."""
    if due is None:
        return None
    notice = due - created
    if notice >= timedelta(hours=min_notice_hours):
        return None
    return f"due {_duration(notice)} after the request (contract asks for {min_notice_hours:g} h notice)"


class BusinessClock:
    """A contract's business hours, compiled once: evidence when a moment falls outside them."""

    def __init__(self, hours: BusinessHours) -> None:
        self._days = frozenset(WEEKDAYS.index(day) for day in hours.days)
        self._start, self._end = hours.start, hours.end
        self._note = f"outside business hours ({', '.join(hours.days)} {hours.start:%H:%M}-{hours.end:%H:%M})"

    def outside(self, local: datetime) -> str | None:
        """Evidence when `local` (the client's time of a card's creation) is outside business hours."""
        weekday = local.weekday()
        if weekday in self._days and self._start <= local.time() < self._end:
            return None
        return (f"created {WEEKDAYS[weekday]} {local.date()} {local.hour:02d}:{local.minute:02d} {local.tzname()}, "
                f"{self._note}")


def vague(title_words: int, description: str) -> str | None:
    """Evidence when the card gives too little to act on."""
    if description.strip() or title_words > _VAGUE_MAX_WORDS:
        return None
    return f"no description and a {title_words}-word title"


def rescheduled(due_changes: int) -> str | None:
    """Evidence when the due date has moved twice or more."""
    return f"due date changed {due_changes} times" if due_changes >= 2 else None


def _duration(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if abs(hours) < 48 else f"{hours / 24:.1f} days"
