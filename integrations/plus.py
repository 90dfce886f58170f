"""Plus for Trello `plus!` comments as time entries: `plus! S/E`, `plus! @user S/E`, `plus! -2d S/E note`."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from integrations.models import Comment, TimeEntry

# The keyword starts the comment; Plus for Trello ignores comments where it appears anywhere else.
_KEYWORD = re.compile(r"^\s*plus!", re.IGNORECASE)
_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)"
_SPENT_ESTIMATE = re.compile(rf"^(?P<spent>{_NUMBER})?(?:/(?P<estimate>{_NUMBER})?)?$")
_DAYS_BACK = re.compile(r"^-(\d{1,3})d$", re.IGNORECASE)
_USER = re.compile(r"^@[\w.\-]+$")


def plus_entries(comments: Iterable[Comment]) -> tuple[TimeEntry, ...]:
    """One entry per `plus!` comment: spent hours (times the users named), dated by the comment and -Nd.

    Grammar (Plus for Trello's own): the keyword, any @users (@me included), an optional -Nd back-dating,
    then S/E where either side may be left out (`/4`, `5/`, relaxed `5`), then a free note. Only the spent
    part is time worked. Anything else after the keyword is malformed: it counts zero and says why.
    """
    return tuple(entry for comment in comments if (entry := _entry(comment)) is not None)


def _entry(comment: Comment) -> TimeEntry | None:
    keyword = _KEYWORD.match(comment.text)
    if keyword is None:
        return None
    text = comment.text.strip()
    tokens = comment.text[keyword.end():].split()
    users, days_back = 0, 0
    while tokens and _USER.match(tokens[0]):
        users += 1
        tokens.pop(0)
    if tokens and (back := _DAYS_BACK.match(tokens[0])):
        days_back = int(back[1])
        tokens.pop(0)
    found = _SPENT_ESTIMATE.match(tokens[0]) if tokens else None
    at = comment.created_at - timedelta(days=days_back) if comment.created_at else None
    entry = TimeEntry(id=comment.id, source="plus", minutes=0.0, at=at, author=comment.author, text=text[:200])
    if found is None or not (found["spent"] or found["estimate"]):
        shown = tokens[0] if tokens else "(nothing)"
        return _problem(entry, f"expected spent/estimate such as 1.5/2 after 'plus!', found {shown!r:.40}")
    spent = float(found["spent"].replace(",", ".")) if found["spent"] else 0.0
    return TimeEntry(id=entry.id, source="plus", minutes=round(spent * 60 * max(users, 1), 4), at=at,
                     author=entry.author, text=entry.text)


def _problem(entry: TimeEntry, why: str) -> TimeEntry:
    return TimeEntry(id=entry.id, source=entry.source, minutes=0.0, at=entry.at, author=entry.author,
                     text=entry.text, problem=why)
