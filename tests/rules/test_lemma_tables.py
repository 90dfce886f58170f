"""Lemma tables at their edges: a word before the first record, tables that are not cached, damaged anchors
and caches of an older layout."""
from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from rules import lemmas
from rules.lemmas import LemmaTable, load_table


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(lemmas.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize("language", ["pl", "es", "fr"])
def test_a_word_that_sorts_before_every_record_has_no_lemma(language: str, cache: Path) -> None:
    table = load_table(language)
    assert table.get("") is None
    assert "" not in table


def test_a_table_opened_from_the_shipped_anchors_is_not_cached_whole() -> None:
    table = load_table("pl")  # Polish ships anchors (rules/data): its segments are indexed as lookups reach them
    assert table.get("fakturę") == "faktura"
    with pytest.raises(ValueError, match="only a table indexed whole is cached"):
        table.dumps()


@pytest.mark.parametrize("anchors", [b"", b"not zlib at all", None])
def test_unreadable_or_missing_anchors_mean_building_the_table(anchors: bytes | None, cache: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "anchors.bin"
    if anchors is not None:
        shipped.write_bytes(anchors)
    monkeypatch.setattr(lemmas, "ANCHORS", shipped)
    assert load_table("es").get("facturas") == "factura"
    assert list(cache.glob("lemmas-*-es-*.bin"))  # built from simplemma's records, and cached


def test_a_cache_of_an_older_layout_is_rebuilt(cache: Path) -> None:
    built = load_table("en")
    (cached,) = cache.glob("lemmas-*-en-*.bin")
    layout, *rest = marshal.loads(cached.read_bytes())
    cached.write_bytes(marshal.dumps((layout - 1, *rest)))
    with pytest.raises(ValueError, match="an older lemma table layout"):
        LemmaTable.loads(cached.read_bytes())
    assert load_table("en").get("invoices") == "invoice" == built.get("invoices")
    assert LemmaTable.loads(cached.read_bytes()).get("invoices") == "invoice"  # rewritten in today's layout


def test_a_dictionary_cut_short_is_reported_as_truncated_naming_its_language(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = lemmas.read_decompressed("en")
    # simplemma's bytes as a damaged install would have them: the header says more records than follow
    monkeypatch.setattr(lemmas, "read_decompressed", lambda language: whole[: len(whole) // 2])
    with pytest.raises(ValueError, match="simplemma's en dictionary is truncated or corrupt"):
        LemmaTable.build("en")
    monkeypatch.undo()
    assert LemmaTable.build("en").get("invoices") == "invoice"


def test_a_table_of_no_records_finds_nothing_and_caches_as_it_loaded(cache: Path) -> None:
    load_table("en")
    (cached,) = cache.glob("lemmas-*-en-*.bin")
    layout, data, reverse, *_ = marshal.loads(cached.read_bytes())
    empty = LemmaTable.loads(marshal.dumps((layout, data, reverse, 0, [], [], b"")))
    assert (len(empty), empty.get("invoices"), empty.get("")) == (0, None, None)
    again = LemmaTable.loads(empty.dumps())
    assert (len(again), again.get("invoices")) == (0, None)


def test_a_dictionary_whose_last_block_holds_one_record_reads_it() -> None:
    # Malay: 17,665 records, one past a multiple of the 32-record blocks (none of our four languages is)
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table, simplemmas = LemmaTable.build("ms"), DefaultDictionaryFactory().get_dictionary("ms")
    forms = list(table)
    assert len(forms) == len(table) == 17_665
    assert table.get(forms[-1]) == simplemmas[forms[-1]] == "gegat"
    assert all(table.get(form) == simplemmas[form] for form in forms[-64:])
    assert table.get(forms[-1] + "x") is None
