"""Lemmas from simplemma's dictionaries without building them whole in memory: a block index, cached on disk."""
from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries.dictionary_factory import (
    DATA_FOLDER,
    CachingDictionaryFactory,
    DecodedStrMapping,
)

# simplemma has no public reader for its front-coded records: these three private helpers read its own
# bytes, so the lemmas stay exactly simplemma's. The version is pinned below 2.1 in pyproject.toml and is
# part of the cache file's name; tests/test_lemmas.py checks our lemmas against simplemma.lemmatize.
from simplemma.strategies.dictionaries.dictionary_factory import (
    _read_decompressed as read_decompressed,  # pyright: ignore[reportPrivateUsage]
)
from simplemma.strategies.dictionaries.frontcode import (
    _iter_records as iter_records,  # pyright: ignore[reportPrivateUsage]
)
from simplemma.strategies.dictionaries.frontcode import (
    _read_header as read_header,  # pyright: ignore[reportPrivateUsage]
)

CACHE_ENV = "SCOPEKEEPER_CACHE_DIR"
# Records per block: a lookup decodes at most this many; the index holds one seed per block.
_BLOCK = 32
_FORMAT = 2  # bump when the cached layout changes


class LemmaTable(DecodedStrMapping):
    """simplemma's front-coded word -> lemma records (its own bytes, ~19 MB for Polish), read by block.

    Each block's first record is kept decoded, with where the next one starts: a lookup bisects to its
    block and decodes at most _BLOCK records from there.
    """

    __slots__ = ("_count", "_data", "_keys", "_next", "_reverse", "_values")

    def __init__(self, data: bytes, reverse: bool, count: int, keys: list[bytes], values: list[bytes],
                 following: array[int]) -> None:
        self._data, self._reverse, self._count = data, reverse, count
        self._keys, self._values, self._next = keys, values, following

    @classmethod
    def build(cls, language: str) -> LemmaTable:
        """One pass over the records, keeping every block's first record and the offset of the one after it."""
        data = read_decompressed(language)
        reverse, count, position = read_header(data)
        keys: list[bytes] = []
        values: list[bytes] = []
        following = array("q")
        index = -1
        for index, (start, key, value) in enumerate(iter_records(data, position)):
            if index % _BLOCK == 0:
                keys.append(key)
                values.append(value)
            elif index % _BLOCK == 1:
                following.append(start)
        if index + 1 != count:
            raise ValueError(f"simplemma's {language} dictionary is truncated or corrupt")
        if len(following) < len(keys):
            following.append(len(data))  # the last block holds one record
        return cls(data, reverse, count, keys, values, following)

    def dumps(self) -> bytes:
        return marshal.dumps((_FORMAT, self._data, self._reverse, self._count, self._keys, self._values,
                              self._next.tobytes()))

    @classmethod
    def loads(cls, blob: bytes) -> LemmaTable:
        layout, data, reverse, count, keys, values, following = marshal.loads(blob)
        if layout != _FORMAT:
            raise ValueError("an older lemma table layout")
        return cls(data, reverse, count, keys, values, array("q", following))

    def _lookup(self, key: str) -> str | None:
        target = key.encode()
        if self._reverse:
            target = target[::-1]
        block = bisect_right(self._keys, target) - 1
        if block < 0:
            return None
        first = self._keys[block]
        if first == target:
            return self._decoded(self._values[block])
        records = iter_records(self._data, self._next[block], first, self._values[block])
        for n, (_, stored_key, stored_value) in enumerate(records, 2):
            if stored_key == target:
                return self._decoded(stored_value)
            if stored_key > target or n == _BLOCK:
                return None
        return None

    def _decoded(self, value: bytes) -> str:
        return (value[::-1] if self._reverse else value).decode()

    def __iter__(self) -> Iterator[str]:
        _, _, position = read_header(self._data)
        for _, stored_key, _ in iter_records(self._data, position):
            yield (stored_key[::-1] if self._reverse else stored_key).decode()

    def __len__(self) -> int:
        return self._count


def cache_dir() -> Path:
    """$SCOPEKEEPER_CACHE_DIR, else $XDG_CACHE_HOME/scopekeeper, else ~/.cache/scopekeeper."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scopekeeper"


def load_table(language: str) -> LemmaTable:
    """The language's table from the cache; built (about 1 s for Polish) and cached when missing or stale."""
    source = DATA_FOLDER / f"{language}.plzma"
    stat = source.stat()
    name = f"lemmas-{metadata.version('simplemma')}-{language}-{stat.st_size}-{int(stat.st_mtime)}.bin"
    path = cache_dir() / name
    try:
        return LemmaTable.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass  # missing, unreadable or from another layout: rebuild
    table = LemmaTable.build(language)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{name}.{os.getpid()}.partial")
        partial.write_bytes(table.dumps())
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home: the table is rebuilt at each start, nothing else changes
    return table


class _TableFactory(CachingDictionaryFactory):
    """simplemma's dictionary factory protocol, answered from the lemma tables."""

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> LemmaTable:
        return load_table(lang)


_FACTORY = _TableFactory()


@lru_cache(maxsize=1)
def _lemmatizer() -> Lemmatizer:
    # simplemma.lemmatize's own strategy (greedy=False), only the dictionaries' storage differs.
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))


def dictionary(language: str) -> Mapping[str, str]:
    """The language's form -> lemma table, the one lemmatize reads."""
    return _FACTORY.get_dictionary(language)


def lemmatize(word: str, language: str) -> str:
    """The word's lemma, as simplemma.lemmatize(word, lang=language) gives it."""
    return _lemmatizer().lemmatize(word, language)
