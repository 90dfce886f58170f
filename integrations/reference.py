"""The short visible reference that ends every comment ScopeKeeper posts."""
from __future__ import annotations

import hashlib
import re

_PATTERN = re.compile(r"\bref (SK-[0-9a-f]{6})\b")


def make_reference(provider: str, card_id: str, kind: str, period: str) -> str:
    """A stable id for one finding kind on one card in one contract period, e.g. 'SK-3f2a9c'."""
    digest = hashlib.sha256(f"{provider}\x1f{card_id}\x1f{kind}\x1f{period}".encode()).hexdigest()
    return f"SK-{digest[:6]}"


def with_reference(text: str, reference: str) -> str:
    """The comment as posted: the text, then the reference on its own line."""
    return f"{text.rstrip()}\n\nref {reference}"


def references_in(text: str) -> list[str]:
    """Every ScopeKeeper reference found in a comment's text."""
    return _PATTERN.findall(text or "")
