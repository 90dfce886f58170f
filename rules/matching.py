"""Find keyword phrases in text: compiled once per contract, then fast per card."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import partial
from itertools import compress
from typing import Any, Generic, NamedTuple, TypeVar, cast

from .text import phrase_keys, token

T = TypeVar("T", bound=Hashable)
T_co = TypeVar("T_co", bound=Hashable, covariant=True)
V = TypeVar("V")
Keys = tuple[frozenset[str], ...]  # the match keys of each word of a phrase
# (number of words, keys of each word, target, keyword as written)
_Phrase = tuple[int, Keys, T, str]
# The phrases a word starts: (those of two words or more, longest first; the keys of their second words, all
# together; (target, keyword) of one-word ones)
_Starts = tuple[tuple[_Phrase[T], ...], frozenset[str], tuple[tuple[T, str], ...]]
# A word that starts none: an empty tuple, which `find` skips as false without unpacking it
_STARTS_NONE = cast("_Starts[Any]", ())
_MEMO_LIMIT = 200_000
_has_digit = re.compile(r"\d").search


class Hit(NamedTuple, Generic[T_co]):
    """One keyword found: what it stands for, the keyword, and the words that matched it."""

    target: T_co
    keyword: str
    first: int  # index of the first matching token
    last: int   # index after the last matching token


# Hits are built by tuple.__new__, in C: a named tuple's own __new__ is a Python call, and a card has several hits.
_new_hit: Callable[[tuple[Any, str, int, int]], Hit[Any]] = partial(tuple[Any, ...].__new__, Hit)
_WRITTEN = "!"  # the key of a word as written, for "=word" keywords


class PhraseMatcher(Generic[T]):
    """Keyword phrases -> targets; a phrase matches consecutive words whose keys meet.
    A keyword written "=word ..." matches its first word only as written ("=dont": not "do", its lemma)."""

    def __init__(self, entries: Iterable[tuple[T, str]], language: str) -> None:
        self.language = language
        self._by_first_key: defaultdict[str, list[_Phrase[T]]] = defaultdict(list)
        self._rank: dict[int, int] = {}  # id(phrase) -> its place among the entries
        for target, keyword in entries:
            keys = phrase_keys(keyword.lstrip("="), language)
            if keys and keyword.startswith("="):
                # "!" + the folded written form: a key no lemma has ("nos" is not the negation "no").
                keys = (frozenset((_WRITTEN + token(keyword[1:].split()[0], language).folded,)), *keys[1:])
            if keys:
                phrase = (len(keys), keys, target, keyword)
                self._rank[id(phrase)] = len(self._rank)
                for key in keys[0]:
                    self._by_first_key[key].append(phrase)
        # A word with a digit and no apostrophe (a date, an amount, an order number) has only keys holding
        # that digit ("=item42"): when no keyword has a digit, as is usual, such a word matches nothing.
        numbers_match = any(_has_digit(key) for phrases in self._by_first_key.values()
                            for phrase in phrases for keys in phrase[1] for key in keys)
        # Words repeat across cards and scans: each written word's phrases are looked up once.
        self._starting = _Memo(self._phrases_starting, None if numbers_match else _STARTS_NONE)
        self._keys_of = _Memo(lambda word: token(word, language).keys, None if numbers_match else frozenset())

    def find(self, written: Sequence[str]) -> list[Hit[T]]:
        """Every hit among a text's words (from `rules.text.words`), in text order; once per place."""
        # Most words start no phrase: look them all up in C (map) and visit only those that do.
        starts_at = list(map(self._starting.__getitem__, written))
        hits: list[Hit[T]] = []
        count, keys_of = len(written), self._keys_of
        for i, (longer, seconds, single) in compress(enumerate(starts_at), starts_at):
            # Most longer phrases end at their second word: one test of the next word answers for all of them.
            if seconds and i + 1 < count and not seconds.isdisjoint(after := keys_of[written[i + 1]]):
                for length, keys, target, keyword in longer:
                    if i + length > count or keys[1].isdisjoint(after):
                        continue
                    if length == 2 or not any(keys[j].isdisjoint(keys_of[written[i + j]]) for j in range(2, length)):
                        hits.append(_new_hit((target, keyword, i, i + length)))
            for target, keyword in single:
                hits.append(_new_hit((target, keyword, i, i + 1)))
        return hits  # in order already: by position, and longest first at each (see _phrases_starting)

    def _phrases_starting(self, word: str) -> _Starts[T]:
        """The phrases a word starts (see _Starts), or _STARTS_NONE."""
        by_first_key = self._by_first_key
        read = token(word, self.language)
        found = [phrase for key in (*read.keys, _WRITTEN + read.folded) if key in by_first_key
                 for phrase in by_first_key[key]]
        if not found:
            return _STARTS_NONE
        if len(found) > 1:  # one phrase can start with several of the word's keys: keep it once
            found = list({id(phrase): phrase for phrase in found}.values())
            # Longest first, then in the entries' order; never in the order of the word's set of keys, which
            # changes from one process to the next (string hashing): the evidence would too.
            rank = self._rank
            found.sort(key=lambda phrase: (-phrase[0], rank[id(phrase)]))
        longer = tuple(p for p in found if p[0] > 1)
        seconds = frozenset(key for p in longer for key in p[1][1])
        return longer, seconds, tuple((p[2], p[3]) for p in found if p[0] == 1)


class _Memo(dict[str, V]):
    """word -> value, computed on first lookup; emptied past a bound, since a worker runs for months.
    `numeric`, if given, is the value of every word with a digit and no apostrophe, neither computed nor kept:
    most are one-offs, and each entry kept would be one more for the garbage collector to visit."""

    def __init__(self, compute: Callable[[str], V], numeric: V | None = None) -> None:
        super().__init__()
        self._compute, self._numeric = compute, numeric

    def __missing__(self, word: str) -> V:
        if (self._numeric is not None and not word.isalpha() and _has_digit(word)
                and "'" not in word and "’" not in word):
            return self._numeric
        value = self._compute(word)
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        self[word] = value
        return value
