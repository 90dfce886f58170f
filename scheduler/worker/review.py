"""The VA's edit of a queued comment's wording: the signature line with its reference is kept out of her hands."""
from __future__ import annotations

from integrations.reference import with_body, without_reference
from scheduler.store.outbox import Intent


def editable_text(intent: Intent) -> str:
    """The comment as the VA edits it: without the signature line (and its reference), put back unchanged."""
    return without_reference(intent.text, intent.reference) + "\n"


def edited_text(intent: Intent, edited: str | None) -> str | None:
    """The new text to post, reference included; None when the VA saved nothing new or emptied it."""
    if edited is None or not edited.strip() or edited.strip() == editable_text(intent).strip():
        return None
    return with_body(intent.text, intent.reference, edited.strip())
