"""The rules read words the same from several threads at once (a team worker's VAs, the web app beside the worker)."""
from __future__ import annotations

import random
import string
from concurrent.futures import ThreadPoolExecutor

import pytest

from rules.text import word_keys

LETTERS = {"en": string.ascii_lowercase, "fr": string.ascii_lowercase + "éèàçù", "es": string.ascii_lowercase + "ñáéó",
           "pl": string.ascii_lowercase + "ąęłńóśźż"}


@pytest.mark.parametrize("language", sorted(LETTERS))
def test_words_read_by_four_threads_at_once_get_the_keys_they_get_alone(language):
    rng = random.Random(language)
    words = [["".join(rng.choices(LETTERS[language], k=rng.randint(6, 14))) for _ in range(400)] for _ in range(4)]
    word_keys.cache_clear()
    alone = [[word_keys(word, language) for word in share] for share in words]
    word_keys.cache_clear()

    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda share: [word_keys(word, language) for word in share], words))

    assert together == alone
