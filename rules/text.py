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


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower case without accents: 'Réseaux' -> 'reseaux', 'zniżkę' -> 'znizke'."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def core_word(word: str) -> str:
    """Drop elisions and apostrophe inflections: "l'agenda" -> 'agenda', "fanpage'u" -> 'fanpage'."""
    parts = _APOSTROPHE.split(word)
    if len(parts) == 1:
        return word
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


def tokenize(text: str, language: str) -> list[Token]:
    """The text's words with their keys, in order (positions come from `written` when needed)."""
    cache = _TOKENS[language]
    return [cache.get(word) or _analyse(word, language) for word in _WORD.findall(text)]


def spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where each of `tokenize`'s words stands in the text (needed only to quote evidence)."""
    return tuple(m.span() for m in _WORD.finditer(text))


# Per-language memo of written word -> Token; cleared when it grows past a bound.
_TOKENS: dict[str, dict[str, Token]] = {language: {} for language in LANGUAGES}
_TOKENS_MAX = 200_000


def _analyse(written_word: str, language: str) -> Token:
    word = core_word(written_word.casefold()) or written_word.casefold()
    token = Token(word_keys(word, language), fold(word))
    cache = _TOKENS[language]
    if len(cache) >= _TOKENS_MAX:
        cache.clear()
    cache[written_word] = token
    return token


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
