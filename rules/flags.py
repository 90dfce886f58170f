"""Red flags on a card: discount requests, urgency, after-hours, vagueness, rescheduling."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from . import discount, lexicon
from .clauses import FieldText
from .contract import WEEKDAYS, BusinessHours
from .findings import Flag
from .matching import Hit

FLAG_ORDER: tuple[Flag, ...] = ("discount_request", "urgent_deadline", "after_hours", "vague_request", "rescheduled")
_VAGUE_MAX_WORDS = 3


def word_entries(language: str) -> list[tuple[str, str]]:
    """(kind, phrase) of the flag vocabulary and negations, for the client's one-pass phrase matcher."""
    entries = [(kind, _exact_start(p)) for kind, p in discount.cue_entries(language)]
    entries += [("urgent", _exact_start(p)) for p in lexicon.for_language(lexicon.URGENT, language)]
    entries += [("yesterday", p) for p in lexicon.for_language(lexicon.YESTERDAY, language)]
    # Negations match as written: the lemma of "don't" is "do", and most words have one.
    entries += [("negation", "=" + p) for p in lexicon.for_language(lexicon.NEGATIONS, language)]
    entries += [("not_negation", "=" + p) for p in lexicon.for_language(lexicon.NOT_NEGATIONS, language)]
    return entries


class WordFlags(NamedTuple):
    """What a field's words say: flag -> evidence, and the field's text with its negations."""

    found: dict[str, str]
    text: FieldText | None


_CUES_READ = 20  # discount cues read per field at most: a pasted wall of "discount" costs no more


def word_flags(name: str, text: str, written: Sequence[str], hits: Sequence[Hit[str]], language: str) -> WordFlags:
    """The discount request and the first urgency word not negated in its clause, among the flag-word
    hits (rules.matching, in text order) of the field called `name`, with evidence that says why."""
    if not hits:
        return WordFlags({}, None)
    field = FieldText(text, written, negations(hits))
    found: dict[str, str] = {}
    urgent_words = [h for h in hits if h.target == "urgent"]
    urgent_words += [Hit("urgent", h.keyword, lead, h.last) for h in hits if h.target == "yesterday"
                     and not _possessive(written[h.first]) and (lead := _for_yesterday(h, written, field)) is not None]
    for hit in urgent_words:
        if any(u.first < hit.first < u.last for u in urgent_words):
            continue  # "sin demora" read as one phrase, not "demora" alone
        if not field.negation_of(hit.first):
            found["urgent_deadline"] = f"'{field.written(hit.first, hit.last)}' in {name}"
            break
    cues = [h for h in hits if h.target.startswith("discount:")][:_CUES_READ]
    why_not: discount.Verdict | None = None
    for cue in cues:
        verdict = discount.read(cue, field, language)
        if verdict.request:
            found.setdefault("discount_request", f"'{verdict.said}' in {name}, asked of you ('{verdict.why}')")
        else:
            why_not = why_not or verdict
    if why_not and "discount_request" not in found:
        found["no_discount"] = f"'{why_not.said}' in {name}: {why_not.why}"
    return WordFlags(found, field)


def _exact_start(phrase: str) -> str:
    """A phrase starting with a short word ("a bit", "en vez de", "lo antes") matches that word as
    written: by its lemma it would start at every "avons" (a -> avoir) or "los" (lo -> el) of a text."""
    first, _, rest = phrase.partition(" ")
    return f"={phrase}" if rest and len(first) <= 4 else phrase


def _for_yesterday(hit: Hit[str], written: Sequence[str], field: FieldText) -> int | None:
    """Where 'for yesterday', 'needed this yesterday', 'pour hier', 'para ayer', 'na wczoraj' starts."""
    for lead in range(hit.first - 1, max(-1, hit.first - 4), -1):
        if written[lead].casefold() in lexicon.YESTERDAY_LEADS:
            return lead if field.same_clause(lead, hit.first) else None
    return None


def negations(hits: Sequence[Hit[str]]) -> list[Hit[str]]:
    """The negation hits that negate: not part of a phrase like "don't forget" or "sin demora"."""
    spans = [(h.first, h.last) for h in hits if h.target != "negation" and h.last - h.first > 1]
    return [h for h in hits if h.target == "negation" and not any(a <= h.first < b for a, b in spans)]


def _possessive(word: str) -> bool:
    return word[-2:] in ("'s", "’s")


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
