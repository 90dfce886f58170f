"""Pathological card text: seconds to evaluate one card whose description is 1 MB of one shape.

Run: .venv/bin/python benchmarks/pathological_text.py [--size 1048576] [--language all]
Shapes: one repeated letter, one repeated word, one repeated flag word, random words (accent-less,
so each is looked up again with its accents), one word with no spaces, emoji, a repeated link, and
a repeated sentence full of negations, discount and urgency words. Each card is evaluated by a
fresh ClientRules (nothing cached), the way a worker meets it the first time. Target: < 1 s.
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from integrations.models import Card
from rules.contract import Contract
from rules.evaluate import ClientRules
from rules.text import LANGUAGES

_LETTERS = {"en": "abcdefghijklmnoprstuvwy", "fr": "aceiourstln", "es": "aeinourstlc", "pl": "acelnoszrtkw"}


def shapes(size: int, language: str, seed: int = 1) -> dict[str, str]:
    """Descriptions of `size` characters (about: emoji are 4 bytes each) in every shape."""
    rng = random.Random(seed)
    letters = _LETTERS[language]
    random_words = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 12)))
                            for _ in range(size // 6))
    return {
        "one letter": "a" * size,
        "one word": "newsletter " * (size // 11),
        "flag word": "urgent " * (size // 7),
        "random words": random_words[:size],
        "no spaces": "".join(rng.choice(letters) for _ in range(size)),
        "emoji": "😀🎉" * (size // 8),
        "links": "https://drive.example/q1-strategy-deck.pdf " * (size // 43),
        "flag sentences": "No, not urgent! Could you take 20% off instead of $45? Drop everything. " * (size // 72),
    }


def contract() -> Contract:
    return Contract.model_validate({
        "hours": 20, "overage_rate": 40, "currency": "EUR", "consultation_url": "https://book.example/x",
        "services": [{"name": "Newsletter", "keywords": ["newsletter", "facebook", "instagram"]}],
        "out_of_scope": [{"name": "Strategy", "keywords": ["strategy", "stratégie", "estrategia", "strategia"],
                          "response": "consultation"}]})


def seconds(description: str, language: str) -> float:
    """Seconds for a fresh client's rules to evaluate one card with this description."""
    rules = ClientRules(contract(), language=language, timezone=ZoneInfo("Europe/Paris"))
    card = Card(id="c1", title="Newsletter update", description=description,
                created_at=datetime(2026, 11, 10, 10, tzinfo=UTC))
    began = time.perf_counter()
    result = rules.evaluate([card], datetime(2026, 11, 30, tzinfo=UTC))
    elapsed = time.perf_counter() - began
    assert len(result.findings) == 1
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1 << 20)
    parser.add_argument("--language", choices=[*LANGUAGES, "all"], default="all")
    args = parser.parse_args()
    languages = LANGUAGES if args.language == "all" else (args.language,)
    names = list(shapes(64, "en"))
    print(f"seconds per card, {args.size:,}-character description, target < 1 s")
    print(f"{'shape':<16}" + "".join(f"{language:>8}" for language in languages))
    worst = 0.0
    by_language = {language: shapes(args.size, language) for language in languages}
    for name in names:
        row = [seconds(by_language[language][name], language) for language in languages]
        worst = max(worst, *row)
        print(f"{name:<16}" + "".join(f"{value:>8.3f}" for value in row))
    print(f"worst: {worst:.3f} s")


if __name__ == "__main__":
    main()
