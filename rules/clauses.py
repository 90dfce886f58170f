"""Clauses and sentences of a card's text: how far a negation reaches, where a request is said."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from .lexicon import CLAUSE_BREAKS
from .matching import Hit
from .text import fold, locate

# Punctuation that ends a clause, and a dash between spaces ("Not urgent - but today").
_CLAUSE_BREAK = re.compile(r"[.!?¿¡;:,\n()\[\]{}—–•|]|\s-\s")
_SENTENCE_END = re.compile(r"(?:[!?;\n]|\.(?=\s|$))+")
_REACH = 300  # characters a sentence is read on each side of a cue, at most


class FieldText:
    """One field's text and words, with its negations, to ask what a word's clause and sentence say."""

    def __init__(self, text: str, written: Sequence[str], negations: Sequence[Hit[str]]) -> None:
        self.text, self.words = text, written
        self._negation_ends = [n.last for n in negations]
        self._negations = negations
        self._where: list[tuple[int, int]] | None = None

    def where(self, index: int) -> tuple[int, int]:
        """Start and end of word `index` in the text."""
        if self._where is None:
            self._where = locate(self.text, list(self.words))
        return self._where[index]

    def negation_of(self, first: int, max_gap: int | None = None) -> Hit[str] | None:
        """The negation that cancels the word at `first`: the nearest one before it in its clause
        (the nearest is enough: a clause break before it also stands before every earlier one)."""
        at = bisect_left(self._negation_ends, first + 1) - 1
        if at < 0:
            return None
        negation = self._negations[at]
        if max_gap is not None and first - negation.last > max_gap:
            return None
        return negation if self.same_clause(negation.last - 1, first) else None

    def same_clause(self, before: int, after: int) -> bool:
        """True when nothing between two words starts a new clause."""
        between = self.text[self.where(before)[1]:self.where(after)[0]]
        if _CLAUSE_BREAK.search(between):
            return False
        return not any(fold(word) in CLAUSE_BREAKS for word in self.words[before + 1:after])

    def sentence(self, first: int, last: int) -> tuple[int, int]:
        """Where the sentence holding words first..last-1 starts and ends (its end mark included)."""
        start, end = self.where(first)[0], self.where(last - 1)[1]
        low = max(0, start - _REACH)
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text, low, start)]
        found = _SENTENCE_END.search(self.text, end, end + _REACH)
        return (ends[-1] if ends else low), (found.end() if found else min(len(self.text), end + _REACH))

    def written(self, first: int, last: int) -> str:
        """Words first..last-1 as the client wrote them."""
        return self.text[self.where(first)[0]:self.where(last - 1)[1]]
