"""Tokens and match keys: case-, accent- and inflection-insensitive, per language."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import simplemma
import snowballstemmer

LANGUAGES = ("en", "fr", "es", "pl")
_STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish", "pl": "polish"}

# Words joined by apostrophes stay one token here; hyphens and other punctuation split.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHE = re.compile(r"['’]")
# French elided articles and pronouns: l'agenda, d'affiches, qu'il, jusqu'à.
_ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu".split())
# Letters NFKD does not decompose.
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
# Stems of very short words collide too easily ("na" -> "n"); they match by form or lemma only.
_MIN_STEM_LEN = 4


class Token(NamedTuple):
    """A word of the text: its keys for matching, and its folded form."""

    keys: frozenset[str]
    folded: str


def fold(word: str) -> str:
    """Lower case without accents: 'Réseaux' -> 'reseaux', 'zniżkę' -> 'znizke'."""
    return word.lower() if word.isascii() else _fold_letters(word)


@lru_cache(maxsize=100_000)
def _fold_letters(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def core_word(word: str) -> str:
    """Drop elisions and apostrophe inflections: "l'agenda" -> 'agenda', "fanpage'u" -> 'fanpage'."""
    if "'" not in word and "’" not in word:
        return word
    parts = _APOSTROPHE.split(word)
    if parts[0] in _ELISIONS:
        return "".join(parts[1:])
    if len(parts[-1]) <= 3:
        return "".join(parts[:-1])
    return "".join(parts)


@lru_cache(maxsize=200_000)
def word_keys(word: str, language: str) -> frozenset[str]:
    """Match keys of one lower-case word: its form and lemma ('=...'), and their stems ('~...')."""
    if not word.isalpha():
        return frozenset(("=" + fold(word),))  # numbers, codes and names with digits do not inflect
    lemma = simplemma.lemmatize(word, lang=language).casefold()
    keys = {"=" + fold(word), "=" + fold(lemma)}
    if len(word) >= _MIN_STEM_LEN:
        stemmer = _stemmer(language)
        keys.add("~" + fold(stemmer.stemWord(word)))
        keys.add("~" + fold(stemmer.stemWord(lemma)))
    return frozenset(keys)


def words(text: str) -> list[str]:
    """The text's words as written, in order: what the phrase matcher and `tokenize` read."""
    return _WORD.findall(text)


def tokenize(text: str, language: str) -> list[Token]:
    """The text's words with their keys, in order (positions come from `spans` when needed)."""
    written = _WORD.findall(text)
    # map() over the memo runs in C; only a text with words never seen before takes the slow path.
    tokens = list(map(_TOKENS[language].get, written))
    if None in tokens:
        tokens = [t or _analyse(w, language) for t, w in zip(tokens, written)]
    return tokens


def token(word: str, language: str) -> Token:
    """The keys and folded form of one word as written."""
    return _TOKENS[language].get(word) or _analyse(word, language)


def spans(text: str, count: int | None = None) -> list[tuple[int, int]]:
    """Where the first `count` words (default: all) stand in the text, to quote evidence."""
    return locate(text, _WORD.findall(text)[:count])


def locate(text: str, written: list[str]) -> list[tuple[int, int]]:
    """Where the text's first words, `written` (from `words`), stand in it."""
    found, end = [], 0
    # Between two words there is nothing a word can start with, so each word is the next occurrence
    # of its own text: str.find is several times faster than re-running the pattern with positions.
    for word in written:
        start = text.find(word, end)
        end = start + len(word)
        found.append((start, end))
    return found


# Per-language memo of written word -> Token; cleared when it grows past a bound.
_TOKENS: dict[str, dict[str, Token]] = {language: {} for language in LANGUAGES}
_TOKENS_MAX = 200_000


def _analyse(written_word: str, language: str) -> Token:
    word = core_word(written_word.casefold()) or written_word.casefold()
    folded = fold(word)
    # Numbers, codes and names with digits: mostly one-offs, not worth word_keys' memo.
    analysed = Token(word_keys(word, language) if word.isalpha() else frozenset(("=" + folded,)), folded)
    cache = _TOKENS[language]
    if len(cache) >= _TOKENS_MAX:
        cache.clear()
    cache[written_word] = analysed
    return analysed


def phrase_keys(phrase: str, language: str) -> tuple[frozenset[str], ...]:
    """The keys of each word of a keyword or phrase, as `tokenize` would see them."""
    return tuple(t.keys for t in tokenize(phrase, language))


def same_phrase(a: str, b: str, language: str) -> bool:
    """True when two keywords would match the same words ('facture' and 'factures')."""
    ka, kb = phrase_keys(a, language), phrase_keys(b, language)
    return len(ka) == len(kb) > 0 and all(x & y for x, y in zip(ka, kb))


@lru_cache(maxsize=None)
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMER_NAMES[language])
