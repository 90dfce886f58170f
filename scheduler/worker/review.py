"""The VA's edit of a queued comment's wording: the reference line is kept out of her hands."""
from __future__ import annotations

from integrations.reference import with_reference
from scheduler.store.outbox import Intent


def editable_text(intent: Intent) -> str:
    """The comment as the VA edits it: without the reference line, which is put back unchanged."""
    suffix = with_reference("", intent.reference)
    body = intent.text[:-len(suffix)] if intent.text.endswith(suffix) else intent.text
    return body.rstrip() + "\n"


def edited_text(intent: Intent, edited: str | None) -> str | None:
    """The new text to post, reference included; None when the VA saved nothing new or emptied it."""
    if edited is None or not edited.strip() or edited.strip() == editable_text(intent).strip():
        return None
    return with_reference(edited.strip(), intent.reference)
