"""Cards with a long history, decoded from the store once per process rather than at every scan."""
from __future__ import annotations

import threading
from typing import Any

from integrations.models import Card
from scheduler.records.codec import card_from_json


class LongCards:
    """Cards with a long history (time logged for months) decoded once per process, not at every scan: by card,
    with the digest of the data they were decoded from (a changed card is decoded anew). Shorter cards cost
    little to decode and would fill the memory of a worker with many clients: they are not kept."""

    def __init__(self, *, entries_from: int = 16, max_entries: int = 50_000) -> None:
        self._entries_from, self._max_entries = entries_from, max_entries
        self._cards: dict[tuple[str, str], tuple[str, Card]] = {}
        self._held = 0  # time entries of the cards kept
        self._lock = threading.Lock()

    def card(self, data: dict[str, Any], digest: str) -> Card:
        """The Card of `data`, stored with fingerprint `digest` (`records.codec.digest`)."""
        key = (data["provider"], data["id"])
        kept = self._cards.get(key)
        if kept is not None and kept[0] == digest:
            return kept[1]
        card = card_from_json(data)
        if len(card.time_entries) >= self._entries_from:
            with self._lock:
                if (replaced := self._cards.pop(key, None)) is not None:
                    self._held -= len(replaced[1].time_entries)
                if self._held + len(card.time_entries) > self._max_entries:
                    self._cards.clear()
                    self._held = 0
                self._cards[key] = (digest, card)
                self._held += len(card.time_entries)
        return card
