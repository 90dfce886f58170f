"""Lemmas from simplemma's dictionaries without building them whole in memory: a block index by segments."""
from __future__ import annotations

import marshal
import os
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import metadata
from itertools import chain, islice
from pathlib import Path
from typing import Any

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
_SEGMENT = 4096  # records per segment of a table opened from anchors: a multiple of _BLOCK
# Anchors of the languages whose tables take long to build (Polish: 3.7 million records), made by write_anchors.
ANCHORS = Path(__file__).with_name("data") / "lemma_anchors.bin"


class LemmaTable(DecodedStrMapping):
    """simplemma's front-coded word -> lemma records (its own bytes, ~19 MB for Polish), read by block.

    The records are cut in segments, each opened by an anchor record (its key, value, and where the next
    record starts). A segment's blocks are indexed when a lookup first reaches it: each block's first record
    kept decoded, with where the one after it starts. A lookup bisects to its segment, then its block, and
    decodes at most _BLOCK records from there. A table built from the records has one segment, indexed whole;
    one opened from shipped anchors (rules/data) indexes only the segments its lookups reach.
    """

    __slots__ = ("_anchors", "_count", "_data", "_reverse", "_seeds", "_segments", "_starts")

    def __init__(self, data: bytes, reverse: bool, count: int, anchors: list[bytes], seeds: list[bytes],
                 starts: array[int], segments: list[tuple[list[bytes], list[bytes], array[int]] | None]) -> None:
        self._data, self._reverse, self._count = data, reverse, count
        self._anchors, self._seeds, self._starts, self._segments = anchors, seeds, starts, segments

    @classmethod
    def build(cls, language: str) -> LemmaTable:
        """One pass over the records, keeping every block's first record and the offset of the one after it."""
        data = read_decompressed(language)
        reverse, count, position = read_header(data)
        keys, values, following, read = _index(iter_records(data, position), _BLOCK, len(data))
        if read != count:
            raise ValueError(f"simplemma's {language} dictionary is truncated or corrupt")
        return cls._whole(data, reverse, count, keys, values, following)

    @classmethod
    def _whole(cls, data: bytes, reverse: bool, count: int, keys: list[bytes], values: list[bytes],
               following: array[int]) -> LemmaTable:
        if not keys:
            return cls(data, reverse, count, [], [], array("q"), [])
        return cls(data, reverse, count, keys[:1], values[:1], following[:1], [(keys, values, following)])

    @classmethod
    def anchored(cls, data: bytes, anchors: tuple[bool, int, list[bytes], list[bytes], list[int]]) -> LemmaTable:
        """The table of `data` (simplemma's decompressed bytes) from its anchors (see `anchors`)."""
        reverse, count, keys, values, starts = anchors
        return cls(data, reverse, count, list(keys), list(values), array("q", starts), [None] * len(keys))

    def dumps(self) -> bytes:
        whole = self._segments[0] if len(self._segments) == 1 else None
        if whole is None and self._segments:
            raise ValueError("only a table indexed whole is cached")
        keys, values, following = whole or ([], [], array("q"))
        return marshal.dumps((_FORMAT, self._data, self._reverse, self._count, keys, values, following.tobytes()))

    @classmethod
    def loads(cls, blob: bytes) -> LemmaTable:
        layout, data, reverse, count, keys, values, following = marshal.loads(blob)
        if layout != _FORMAT:
            raise ValueError("an older lemma table layout")
        return cls._whole(data, reverse, count, keys, values, array("q", following))

    def _blocks(self, segment: int) -> tuple[list[bytes], list[bytes], array[int]]:
        """The segment's block index, built at its first lookup (from its anchor, _SEGMENT records at most)."""
        blocks = self._segments[segment]
        if blocks is None:
            anchor, seed = self._anchors[segment], self._seeds[segment]
            rest = iter_records(self._data, self._starts[segment], anchor, seed)
            records = chain([(0, anchor, seed)], islice(rest, _SEGMENT - 1))
            keys, values, following, _ = _index(records, _BLOCK, len(self._data))
            blocks = self._segments[segment] = (keys, values, following)
        return blocks

    def _lookup(self, key: str) -> str | None:
        target = key.encode()
        if self._reverse:
            target = target[::-1]
        segment = bisect_right(self._anchors, target) - 1
        if segment < 0:
            return None
        keys, values, following = self._blocks(segment)
        block = bisect_right(keys, target) - 1
        first = keys[block]
        if first == target:
            return self._decoded(values[block])
        records = iter_records(self._data, following[block], first, values[block])
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


def _index(records: Iterable[tuple[int, bytes, bytes]], step: int, end: int
           ) -> tuple[list[bytes], list[bytes], array[int], int]:
    """Every `step`-th record's key and value, where the record after each starts (`end` past the last one),
    and how many records there were."""
    keys: list[bytes] = []
    values: list[bytes] = []
    following = array("q")
    index = -1
    for index, (start, key, value) in enumerate(records):
        if index % step == 0:
            keys.append(key)
            values.append(value)
        elif index % step == 1:
            following.append(start)
    if len(following) < len(keys):
        following.append(end)  # the last group holds one record
    return keys, values, following, index + 1


def anchors(language: str) -> dict[str, Any]:
    """The language's anchors, what rules/data ships: every _SEGMENT-th record (key, value, where the next
    record starts) and the length and CRC-32 of simplemma's decompressed bytes they belong to."""
    data = read_decompressed(language)
    reverse, count, position = read_header(data)
    keys, values, starts, _ = _index(iter_records(data, position), _SEGMENT, len(data))
    return {"length": len(data), "crc32": zlib.crc32(data), "table": (reverse, count, keys, values, starts.tolist())}


def write_anchors(languages: list[str], path: Path = ANCHORS) -> None:
    """Write the shipped anchors of `languages` for the installed simplemma (python -m rules.lemmas pl es)."""
    shipped = {"simplemma": metadata.version("simplemma"), "segment": _SEGMENT, "block": _BLOCK,
               "languages": {language: anchors(language) for language in languages}}
    path.write_bytes(zlib.compress(marshal.dumps(shipped, 4), 9))


def _shipped(language: str) -> LemmaTable | None:
    """The table from the shipped anchors, when they were made from exactly these bytes of simplemma's."""
    try:
        shipped = marshal.loads(zlib.decompress(ANCHORS.read_bytes()))
        entry = shipped["languages"].get(language)
        if (entry is None or shipped["simplemma"] != metadata.version("simplemma")
                or (shipped["segment"], shipped["block"]) != (_SEGMENT, _BLOCK)):
            return None
    except (OSError, ValueError, EOFError, TypeError, KeyError, zlib.error):
        return None
    data = read_decompressed(language)
    if len(data) != entry["length"] or zlib.crc32(data) != entry["crc32"]:
        return None
    return LemmaTable.anchored(data, entry["table"])


def cache_dir() -> Path:
    """$SCOPEKEEPER_CACHE_DIR, else $XDG_CACHE_HOME/scopekeeper, else ~/.cache/scopekeeper."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scopekeeper"


def load_table(language: str) -> LemmaTable:
    """The language's table from the shipped anchors (Polish, Spanish); else from the cache, built (about
    1 s for Polish) and cached when missing or stale."""
    table = _shipped(language)
    if table is not None:
        return table
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


if __name__ == "__main__":
    write_anchors(sys.argv[1:] or ["pl", "es"])
