"""Find keyword phrases in text: compiled once per contract, then fast per card."""
from __future__ import annotations

from collections import defaultdict
from typing import Generic, Hashable, Iterable, NamedTuple, Sequence, TypeVar

from .text import Token, phrase_keys

# (keys of each word, target, keyword as written)
_Phrase = tuple
T = TypeVar("T", bound=Hashable)
_MEMO_LIMIT = 200_000


class Hit(NamedTuple, Generic[T]):
    """One keyword found: what it stands for, the keyword, and the words that matched it."""

    target: T
    keyword: str
    first: int  # index of the first matching token
    last: int   # index after the last matching token


class PhraseMatcher(Generic[T]):
    """Keyword phrases -> targets; a phrase matches consecutive words whose keys meet."""

    def __init__(self, entries: Iterable[tuple[T, str]], language: str) -> None:
        self._by_first_key: dict[str, list[_Phrase[T]]] = defaultdict(list)
        for target, keyword in entries:
            keys = phrase_keys(keyword, language)
            if keys:
                phrase = (keys, target, keyword)
                for key in keys[0]:
                    self._by_first_key[key].append(phrase)
        # Words repeat across cards and scans: each distinct key set is looked up once.
        self._starting: dict[frozenset[str], tuple[_Phrase[T], ...]] = {}

    def find(self, tokens: Sequence[Token]) -> list[Hit[T]]:
        """Every hit in the text, in text order; a keyword counts once per place."""
        hits: list[Hit[T]] = []
        count = len(tokens)
        starting = self._starting
        for i, token in enumerate(tokens):
            phrases = starting.get(token.keys)
            if phrases is None:
                if len(starting) >= _MEMO_LIMIT:  # a worker runs for months: new words must not grow it forever
                    starting.clear()
                phrases = starting[token.keys] = self._phrases_starting_with(token.keys)
            for keys, target, keyword in phrases:
                length = len(keys)
                if length == 1:
                    hits.append(Hit(target, keyword, i, i + 1))
                elif i + length <= count and all(keys[j] & tokens[i + j].keys for j in range(1, length)):
                    hits.append(Hit(target, keyword, i, i + length))
        if len(hits) > 1:
            hits.sort(key=lambda h: (h.first, -h.last))
        return hits

    def _phrases_starting_with(self, keys: frozenset[str]) -> tuple[_Phrase[T], ...]:
        found: dict[int, _Phrase[T]] = {}
        for key in keys:
            for phrase in self._by_first_key.get(key, ()):
                found.setdefault(id(phrase), phrase)
        return tuple(found.values())

