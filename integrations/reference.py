"""The short visible reference that ends every comment ScopeKeeper posts."""
from __future__ import annotations

import hashlib
import re

_PATTERN = re.compile(r"\bref (SK-[0-9a-f]{6})\b")


def make_reference(provider: str, card_id: str, kind: str, period: str) -> str:
    """A stable id for one finding kind on one card in one contract period, e.g. 'SK-3f2a9c'."""
    digest = hashlib.sha256(f"{provider}\x1f{card_id}\x1f{kind}\x1f{period}".encode()).hexdigest()
    return f"SK-{digest[:6]}"


def with_reference(text: str, reference: str, signature: str | None = None) -> str:
    """The comment as posted: the text, then the signature line that carries the reference.

    '— Anna · ref SK-3f2a9c' reads as the VA signing off; without a signature the reference stands alone.
    The worker finds its comments again by this reference, so it is always there, always in this form.
    """
    line = f"— {signature.strip()} · ref {reference}" if signature and signature.strip() else f"ref {reference}"
    return f"{text.rstrip()}\n\n{line}"


def without_reference(text: str, reference: str) -> str:
    """The comment's body: the text without its final signature line (the line holding the reference)."""
    return _split(text, reference)[0]


def with_body(text: str, reference: str, body: str) -> str:
    """The comment with a new body (the VA's edit) and its signature line unchanged."""
    line = _split(text, reference)[1] or f"ref {reference}"
    return f"{body.rstrip()}\n\n{line}"


def _split(text: str, reference: str) -> tuple[str, str]:
    body, _, last = text.rstrip().rpartition("\n\n")
    if body and reference in references_in(last):
        return body.rstrip(), last.strip()
    return text.rstrip(), ""


def references_in(text: str) -> list[str]:
    """Every ScopeKeeper reference found in a comment's text."""
    return _PATTERN.findall(text or "")
