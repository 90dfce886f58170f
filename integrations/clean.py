"""Text from a service made safe to store and print: lone surrogates become U+FFFD."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from integrations.models import Card, Comment

# A JSON escape such as "\ud800" without its pair decodes to a lone surrogate, which no UTF-8 encoder
# (database, terminal, log) accepts: one such card would stop its client's every scan.
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    """`value` with every lone surrogate replaced by U+FFFD; other text is returned as it is."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub(REPLACEMENT, value)


def clean_fields(item: Any) -> Any:
    """A service object (a board, project, member) with its top-level strings cleaned."""
    if not isinstance(item, Mapping):
        return item
    return {key: clean_text(value) if isinstance(value, str) else value for key, value in item.items()}


def _all_clean(texts: Iterable[str]) -> bool:
    """True when none of `texts` holds a lone surrogate: one scan of them all, as nearly every card has none."""
    joined = "".join(texts)
    return joined.isascii() or not _SURROGATE.search(joined)


def clean_comment(comment: Comment) -> Comment:
    """The comment with clean text, author and id."""
    texts = (comment.id, comment.text, comment.author)
    if _all_clean(texts):
        return comment
    cleaned = tuple(map(clean_text, texts))
    if cleaned == texts:
        return comment
    return replace(comment, id=cleaned[0], text=cleaned[1], author=cleaned[2])


def clean_card(card: Card) -> Card:
    """The card with every string it carries cleaned (title, description, labels, fields, comments...)."""
    texts = (card.id, card.title, card.board_id, card.description, card.list, card.url)
    if _all_clean((*texts, *card.labels, *card.custom_fields,
                  *(v for v in card.custom_fields.values() if isinstance(v, str)),
                  *(text for c in card.comments for text in (c.id, c.text, c.author)))):
        return card
    cleaned = tuple(map(clean_text, texts))
    labels = tuple(map(clean_text, card.labels))
    fields = {clean_text(k): clean_text(v) if isinstance(v, str) else v for k, v in card.custom_fields.items()}
    comments = tuple(map(clean_comment, card.comments))
    if (cleaned == texts and labels == card.labels and fields == card.custom_fields
            and all(a is b for a, b in zip(comments, card.comments, strict=True))):
        return card
    return replace(card, id=cleaned[0], title=cleaned[1], board_id=cleaned[2], description=cleaned[3],
                   list=cleaned[4], url=cleaned[5], labels=labels, custom_fields=fields, comments=comments)
