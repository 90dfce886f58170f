"""Find keyword phrases in text: compiled once per contract, then fast per card."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Generic, Hashable, Iterable, Sequence, TypeVar

from .text import Token, phrase_keys

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """One keyword found: what it stands for, the keyword, and the words that matched it."""

    target: T
    keyword: str
    first: int  # index of the first matching token
    last: int   # index after the last matching token


class PhraseMatcher(Generic[T]):
    """Keyword phrases -> targets; a phrase matches consecutive words whose keys meet."""

    def __init__(self, entries: Iterable[tuple[T, str]], language: str) -> None:
        self._by_first_key: dict[str, list[tuple[tuple[frozenset[str], ...], T, str]]] = defaultdict(list)
        for target, keyword in entries:
            keys = phrase_keys(keyword, language)
            if not keys:
                continue
            for key in keys[0]:
                self._by_first_key[key].append((keys, target, keyword))

    def find(self, tokens: Sequence[Token]) -> list[Hit[T]]:
        """Every hit in the text, in text order; a keyword counts once per place."""
        hits: list[Hit[T]] = []
        seen: set[tuple[str, int]] = set()
        index = self._by_first_key
        count = len(tokens)
        for i, token in enumerate(tokens):
            for key in token.keys:
                for keys, target, keyword in index.get(key, ()):
                    end = i + len(keys)
                    if end > count or (keyword, i) in seen:
                        continue
                    if all(keys[j] & tokens[i + j].keys for j in range(1, len(keys))):
                        seen.add((keyword, i))
                        hits.append(Hit(target, keyword, i, end))
        hits.sort(key=lambda h: (h.first, -h.last))
        return hits
