"""Tokens and match keys: case-, accent- and inflection-insensitive, per language."""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from itertools import combinations, product
from typing import NamedTuple, TypeGuard

import snowballstemmer

from rules.lemmas import dictionary, lemmatize

LANGUAGES = ("en", "fr", "es", "pl")
_STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish", "pl": "polish"}

# Words joined by apostrophes stay one token here; hyphens and other punctuation split. Possessive (++, *+):
# a word never gives letters back, so the engine keeps no backtracking points (same words, 12% faster).
_WORD = re.compile(r"[^\W_]++(?:['’][^\W_]++)*+")
_APOSTROPHE = re.compile(r"['’]")
# French elided articles and pronouns: l'agenda, d'affiches, qu'il, jusqu'à.
_ELISIONS = frozenset(["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"])
# Letters NFKD does not decompose.
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
# Stems of very short words collide too easily ("na" -> "n"); they match by form or lemma only.
_MIN_STEM_LEN = 4
# No word of any language is longer; a longer one (a pasted hash, a run of one letter) is matched as
# written, never lemmatised or stemmed, whose cost grows faster than its length.
MAX_WORD_LEN = 40
# Words typed without their accents are looked up again with them ("ksiegowosci" -> "księgowości"):
# these letters may have lost one; variants with the fewest restored accents are tried first.
_ACCENTS = {
    "pl": {"a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "żź"},
    "fr": {"a": "àâ", "c": "ç", "e": "éèêë", "i": "îï", "o": "ô", "u": "ùûü"},
    "es": {"a": "á", "e": "é", "i": "í", "n": "ñ", "o": "ó", "u": "úü"},
}
_ACCENT_LOOKUPS = 120  # dictionary look-ups per unknown word at most
_ACCENT_MAX_CHANGES = 3


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
    """Drop elisions and apostrophe inflections: "l'agenda" -> 'agenda', "fanpage'u" -> 'fanpage';
    English negative contractions stay whole: "isn't" -> 'isnt' (a negation, not the word 'isn')."""
    if "'" not in word and "’" not in word:
        return word
    parts = _APOSTROPHE.split(word)
    if parts[0] in _ELISIONS:
        return "".join(parts[1:])
    if parts[-1] == "t" and parts[-2].endswith("n"):
        return "".join(parts)
    if len(parts[-1]) <= 3:
        return "".join(parts[:-1])
    return "".join(parts)


@lru_cache(maxsize=200_000)
def word_keys(word: str, language: str) -> frozenset[str]:
    """Match keys of one lower-case word: its form and lemma ('=...'), and their stems ('~...')."""
    if not word.isalpha() or len(word) > MAX_WORD_LEN:
        return frozenset(("=" + fold(word),))  # numbers, codes and names with digits do not inflect
    lemma = lemmatize(word, language).casefold()
    lemmas = [lemma, *_accented_lemmas(word, language)] if lemma == word else [lemma]
    keys = {"=" + fold(word)}
    keys.update("=" + fold(each) for each in lemmas)
    if len(word) >= _MIN_STEM_LEN:
        stemmer = _stemmer(language)
        keys.add("~" + fold(stemmer.stemWord(word)))
        keys.update("~" + fold(stemmer.stemWord(each)) for each in lemmas)
    return frozenset(keys)


def _accented_lemmas(word: str, language: str) -> list[str]:
    """Lemmas of a word the dictionary does not know, read as typed without its accents: fold before
    the look-up as well as after it. The variants restoring the fewest accents that exist win."""
    letters = _ACCENTS.get(language)
    if not letters or not word.isascii():
        return []
    dictionary = _dictionary(language)
    if word in dictionary:
        return []
    places = [i for i, ch in enumerate(word) if ch in letters]
    budget = _ACCENT_LOOKUPS
    for changes in range(1, min(len(places), _ACCENT_MAX_CHANGES) + 1):
        found: set[str] = set()
        for chosen in combinations(places, changes):
            for accented in product(*(letters[word[i]] for i in chosen)):
                budget -= 1
                if budget < 0:
                    return sorted(found)
                variant = list(word)
                for i, ch in zip(chosen, accented, strict=True):
                    variant[i] = ch
                lemma = dictionary.get("".join(variant))
                if lemma is not None:
                    found.add(lemma.casefold())
        if found:
            return sorted(found)
    return []


@cache
def _dictionary(language: str) -> Mapping[str, str]:
    """simplemma's form -> lemma table of a language (already loaded by lemmatize)."""
    return dictionary(language)


def words(text: str) -> list[str]:
    """The text's words as written, in order: what the phrase matcher and `tokenize` read."""
    return _WORD.findall(text)


def tokenize(text: str, language: str) -> list[Token]:
    """The text's words with their keys, in order (positions come from `spans` when needed)."""
    written = _WORD.findall(text)
    # map() over the memo runs in C; only a text with words never seen before takes the slow path.
    found = list(map(_TOKENS[language].get, written))
    if _all_known(found):
        return found
    return [t or _analyse(w, language) for t, w in zip(found, written, strict=True)]


def _all_known(tokens: list[Token | None]) -> TypeGuard[list[Token]]:
    return None not in tokens


def token(word: str, language: str) -> Token:
    """The keys and folded form of one word as written."""
    return _TOKENS[language].get(word) or _analyse(word, language)


def spans(text: str, count: int | None = None) -> list[tuple[int, int]]:
    """Where the first `count` words (default: all) stand in the text, to quote evidence."""
    return locate(text, _WORD.findall(text)[:count])


def locate(text: str, written: list[str]) -> list[tuple[int, int]]:
    """Where the text's first words, `written` (from `words`), stand in it."""
    found: list[tuple[int, int]] = []
    end = 0
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
    if not word.isalpha():
        # Numbers, codes and names with digits: mostly one-offs, cheap to read again and not worth a memo
        # entry (a card's unique words would otherwise stay in memory, where the garbage collector scans them).
        return Token(frozenset(("=" + folded,)), folded)
    analysed = Token(word_keys(word, language), folded)
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
    return len(ka) == len(kb) > 0 and all(x & y for x, y in zip(ka, kb, strict=True))


def _stemmer(language: str) -> snowballstemmer.Stemmer:
    """This thread's stemmer: a snowball stemmer keeps the word it works on in itself, so two threads sharing
    one (a team worker's VAs, the web app beside the worker) garble each other's words."""
    stemmers: dict[str, snowballstemmer.Stemmer] = _stemmers.__dict__
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_STEMMER_NAMES[language])
    return stemmers[language]


_stemmers = threading.local()


# Text past this many characters is not read for keywords or flags: a pasted 1 MB log would otherwise
# cost seconds, and what a client asks for is said long before.
MATCH_CHARS = 10_000
_FILE_EXTENSION = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|csv|txt|rtf|key|pages|numbers|png|jpe?g|gif|svg|webp|heic|tiff?|psd|ai|"
    r"indd|eps|mp[34]|mov|avi|wav|m4a|zip|rar|html?|json)\b", re.IGNORECASE)
_CHUNK = re.compile(r"\S+")


def readable(text: str) -> str:
    """The part of a text that is read for keywords: capped, with links, e-mail addresses and file
    names blanked out (same length, so positions still point into the original)."""
    text = text[:MATCH_CHARS]
    if "." not in text or ("://" not in text and "www." not in text and "@" not in text
                           and not _FILE_EXTENSION.search(text)):
        return text  # a link, an address and a file name all hold a dot
    pieces: list[str] = []
    end = 0
    for chunk in _CHUNK.finditer(text):
        word = chunk.group()
        if "://" in word or word.startswith("www.") or ("@" in word and "." in word) or _FILE_EXTENSION.search(word):
            pieces += [text[end:chunk.start()], " " * len(word)]
            end = chunk.end()
    pieces.append(text[end:])
    return "".join(pieces)
