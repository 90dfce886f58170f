"""Accent-less inflected words: how often one typed without its accents matches its dictionary form.

Run: .venv/bin/python benchmarks/accent_folding.py [--sample 1500]
For each language, inflected forms are drawn from simplemma's own dictionary (a form and its lemma,
the form different from the lemma and, where the language has them, with accents). Each form is
typed without accents ('księgowości' -> 'ksiegowosci') and must match a keyword written as the lemma.
Printed: the rate as typed with accents, then accent-less with the lemma looked up on the word as
typed only (no fold before the look-up), then accent-less with the accents restored before the
look-up (what rules.text does), the false-match rate on pairs of different lemmas, and the time to
analyse one accent-less word never seen before.
"""
from __future__ import annotations

import argparse
import random
import time
from itertools import islice
from unittest import mock

from rules import text
from rules.matching import PhraseMatcher
from rules.text import LANGUAGES, fold, words


def pairs(language: str, sample: int, rng: random.Random) -> list[tuple[str, str]]:
    """(inflected form, lemma) pairs from the dictionary, accented forms where the language has them."""
    dictionary = text._dictionary(language)
    drawn = [(form, lemma.decode() if isinstance(lemma, bytes) else lemma)
             for form, lemma in islice(dictionary.items(), 0, None, 37)]
    drawn = [(f, lem) for f, lem in drawn if f.isalpha() and f.islower() and f != lem and len(f) >= 3]
    accented = [(f, lem) for f, lem in drawn if not f.isascii()]
    return rng.sample(accented or drawn, min(sample, len(accented or drawn)))


def rate(found: list[tuple[str, str]], language: str, *, accentless: bool) -> float:
    def matches(keyword: str, typed: str) -> bool:
        return bool(PhraseMatcher([("x", keyword)], language).find(words(typed)))
    return sum(matches(lemma, fold(form) if accentless else form) for form, lemma in found) / len(found)


def false_rate(found: list[tuple[str, str]], language: str, rng: random.Random) -> float:
    others = [(a, b) for a, b in ((rng.choice(found), rng.choice(found)) for _ in range(len(found))) if a[1] != b[1]]
    hits = sum(bool(PhraseMatcher([("x", b[1])], language).find(words(fold(a[0])))) for a, b in others)
    return hits / len(others)


def _fresh() -> None:
    text.word_keys.cache_clear()
    for memo in text._TOKENS.values():
        memo.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1500)
    args = parser.parse_args()
    print(f"{'language':<9}{'forms':>6}{'as typed':>10}{'no fold before':>16}{'fold before':>13}{'false':>8}"
          f"{'µs/word':>9}")
    for language in LANGUAGES:
        rng = random.Random(3)
        found = pairs(language, args.sample, rng)
        typed = rate(found, language, accentless=False)
        _fresh()
        with mock.patch.object(text, "_accented_lemmas", lambda word, lang: []):
            plain = rate(found, language, accentless=True)
        _fresh()
        folded = rate(found, language, accentless=True)
        _fresh()
        began = time.perf_counter()
        for form, _ in found:
            text.word_keys(fold(form), language)  # the keys of a word never seen before, accents restored
        cost = (time.perf_counter() - began) / len(found) * 1e6
        wrong = false_rate(found, language, rng)
        print(f"{language:<9}{len(found):>6}{typed:>10.3f}{plain:>16.3f}{folded:>13.3f}{wrong:>8.3f}{cost:>9.0f}")


if __name__ == "__main__":
    main()
