"""Tokens and match keys: case-, accent- and inflection-insensitive, per language."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: its keys for matching, and where it stands in the original."""

    keys: frozenset[str]
    folded: str
    start: int
    end: int


def fold(word: str) -> str:
    """Lower case without accents: 'Réseaux' -> 'reseaux', 'zniżkę' -> 'znizke'."""
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
    lemma = simplemma.lemmatize(word, lang=language).casefold()
    keys = {"=" + fold(word), "=" + fold(lemma)}
    if len(word) >= _MIN_STEM_LEN:
        stemmer = _stemmer(language)
        keys.add("~" + fold(stemmer.stemWord(word)))
        keys.add("~" + fold(stemmer.stemWord(lemma)))
    return frozenset(keys)


def tokenize(text: str, language: str) -> list[Token]:
    """The text's words with their keys, in order."""
    tokens = []
    for match in _WORD.finditer(text):
        word = core_word(match.group().casefold())
        if word:
            tokens.append(Token(word_keys(word, language), fold(word), match.start(), match.end()))
    return tokens


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
