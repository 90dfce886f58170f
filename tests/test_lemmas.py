"""Lemma tables: the same lemmas as simplemma for every word, read by block from a table cached on disk."""
from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
import simplemma

from rules import lemmas
from rules.lemmas import LemmaTable, lemmatize, load_table
from rules.text import word_keys

# Words as clients write them: inflected, misspelled, without their accents, anglicisms, names.
CARD_WORDS = {
    "en": ["invoices", "newsletters", "posting", "scheduled", "strategies", "podcasts", "reels", "asap", "pls",
           "recieved", "calendly", "instagram", "emails", "bookkeeping", "redesigned"],
    "fr": ["factures", "réseaux", "reseaux", "publiés", "affiches", "rendez-vous", "stratégie", "strategie",
           "comptabilité", "relancé", "infolettre", "publications", "urgentes", "réduction", "newsletters"],
    "es": ["facturas", "publicaciones", "boletines", "boletin", "estrategias", "contabilidad", "diseñé",
           "disene", "urgente", "descuentos", "correos", "reuniones", "campañas", "campanas", "historias"],
    "pl": ["faktury", "fakturę", "fakture", "zniżkę", "znizke", "postów", "postow", "newslettera", "strategii",
           "księgowości", "ksiegowosci", "rolek", "grafiki", "pilnie", "fanpage"],
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(lemmas.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize("language", ["en", "fr", "es", "pl"])
def test_every_lemma_is_simplemmas(language: str) -> None:
    table = load_table(language)
    sample = list(islice(iter(table), 0, None, 997))  # dictionary words from the whole alphabet
    assert len(sample) > 150 and len(table) > 150_000
    words = sample + [w.upper() for w in sample[:50]] + CARD_WORDS[language] + ["xqzv", "2026", "a"]
    ours = [lemmatize(w, language) for w in words]
    assert ours == [simplemma.lemmatize(w, lang=language, low_memory=True) for w in words]
    assert sum(o != w for o, w in zip(ours, words, strict=True)) > len(sample) / 3  # the lookups do find lemmas


def test_inflected_card_words_still_meet_their_keyword() -> None:
    assert word_keys("faktury", "pl") & word_keys("faktura", "pl")
    assert word_keys("publicaciones", "es") & word_keys("publicación", "es")
    assert word_keys("factures", "fr") & word_keys("facture", "fr")
    assert word_keys("invoices", "en") & word_keys("invoice", "en")


def test_the_table_is_cached_and_a_damaged_cache_is_rebuilt(cache: Path) -> None:
    built = load_table("fr")
    (cached,) = cache.glob("lemmas-*-fr-*.bin")
    reloaded = LemmaTable.loads(cached.read_bytes())
    assert [reloaded.get(w) for w in CARD_WORDS["fr"]] == [built.get(w) for w in CARD_WORDS["fr"]]
    assert reloaded.get("factures") == "facture" and reloaded.get("xqzv") is None and len(reloaded) == len(built)
    cached.write_bytes(b"not a table")
    assert load_table("fr").get("factures") == "facture"
    assert LemmaTable.loads(cached.read_bytes()).get("factures") == "facture"  # rewritten whole


def test_a_cache_folder_that_cannot_be_written_only_costs_the_rebuild(cache: Path) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file where the folder should be")
    assert load_table("en").get("invoices") == "invoice"


def test_the_shipped_anchors_are_what_the_script_makes_from_simplemmas_data() -> None:
    import marshal
    import zlib

    shipped = marshal.loads(zlib.decompress(lemmas.ANCHORS.read_bytes()))
    assert sorted(shipped["languages"]) == ["es", "pl"]
    assert shipped["languages"]["es"] == lemmas.anchors("es")  # `python -m rules.lemmas pl es` makes them again
    assert isinstance(load_table("pl"), LemmaTable) and load_table("pl").get("fakturę") == "faktura"


def test_anchors_open_a_table_without_building_it_and_stale_ones_are_ignored(cache: Path, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal
    import zlib

    shipped = tmp_path / "anchors.bin"
    lemmas.write_anchors(["fr"], shipped)
    monkeypatch.setattr(lemmas, "ANCHORS", shipped)
    assert [load_table("fr").get(w) for w in CARD_WORDS["fr"]] == [LemmaTable.build("fr").get(w)
                                                                   for w in CARD_WORDS["fr"]]
    assert not list(cache.glob("lemmas-*-fr-*.bin"))  # nothing built, nothing cached

    stale = marshal.loads(zlib.decompress(shipped.read_bytes()))
    stale["languages"]["fr"]["crc32"] ^= 1  # made from other bytes than this simplemma's
    shipped.write_bytes(zlib.compress(marshal.dumps(stale)))
    assert load_table("fr").get("factures") == "facture"
    assert list(cache.glob("lemmas-*-fr-*.bin"))  # built from the records instead, and cached
