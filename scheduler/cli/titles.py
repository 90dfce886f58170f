"""A card title as a terminal shows it: whole, unless it is longer than anyone reads there."""
from __future__ import annotations

TITLE_SHOWN = 200  # a card title longer than this is cut with "…": nobody reads a page-long title in a terminal


def shown_title(title: str) -> str:
    """The title, or its first words and "…" when it is longer than a terminal reader would read."""
    return title if len(title) <= TITLE_SHOWN else title[:TITLE_SHOWN - 1].rstrip() + "…"
