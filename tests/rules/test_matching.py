"""Keyword matching: case, accents, inflection, elisions, hyphens and phrases in four languages."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.matching import PhraseMatcher
from rules.text import core_word, fold, same_phrase, spans, tokenize, words


def matches(keyword: str, text: str, language: str) -> bool:
    return bool(PhraseMatcher([("x", keyword)], language).find(words(text)))


@pytest.mark.parametrize("language, keyword, text", [
    # English: plurals, verb forms, case
    ("en", "invoice", "Chase unpaid INVOICES"),
    ("en", "invoice", "Invoicing for October"),
    ("en", "post", "Posting schedule for Monday"),
    ("en", "strategy", "Our strategies for Q1"),
    ("en", "course platform", "Compare course platforms"),
    ("en", "social media", "Social-media audit"),
    ("en", "newsletter", "Two newsletters this week"),
    ("en", "organise", "Organising the shared drive"),
    # French: elisions, hyphens, plural phrases, accents either way
    ("fr", "agenda", "Mise à jour de l'agenda"),
    ("fr", "agenda", "Mise à jour de l’agenda"),
    ("fr", "affiche", "Créer des affiches d'été"),
    ("fr", "rendez-vous", "Prendre les rendez-vous de décembre"),
    ("fr", "réseau social", "Stratégie pour les réseaux sociaux"),
    ("fr", "stratégie", "Definir une STRATEGIE"),
    ("fr", "facture", "Envoyer les factures"),
    ("fr", "publier", "Publie le post demain"),
    # Spanish: plurals with accent shifts, phrases with articles
    ("es", "publicación", "Publicaciones de Instagram"),
    ("es", "boletín", "Dos boletines al mes"),
    ("es", "factura", "Emitir las facturas del mes"),
    ("es", "bandeja de entrada", "Limpiar la bandeja de entrada"),
    ("es", "redes sociales", "Estrategia para red social"),
    ("es", "correo", "Responder correos urgentes"),
    # Polish: cases, apostrophe inflections of loanwords, inflected phrases
    ("pl", "faktura", "Wystawić faktury za listopad"),
    ("pl", "fanpage", "Nowe zdjęcie na fanpage'u"),
    ("pl", "fanpage", "Zmiany na fanpage’em"),
    ("pl", "platforma kursów", "Postawić platformę kursów"),
    ("pl", "platforma kursów", "Wybór platformy kursów online"),
    ("pl", "facebook", "Posty na Facebooku"),
    ("pl", "księgowość", "Pytanie do ksiegowosci"),
    ("pl", "post", "Posty na weekend"),
    ("pl", "kalendarz", "Uaktualnić kalendarza zajęć"),
    ("pl", "zniżka", "Czy mogę prosić o zniżkę?"),
])
def test_keyword_matches_inflected_text(language: str, keyword: str, text: str) -> None:
    assert matches(keyword, text, language)


@pytest.mark.parametrize("language, keyword, text", [
    # typed without accents and inflected at once: the lemma is looked up with the accents restored
    ("pl", "zdjęcie", "Nowe zdjecia do galerii"),
    ("pl", "książka", "Opis ksiazek w sklepie"),
    ("pl", "ulotka", "Zaprojektowac ulotke na targi"),
    ("es", "imagen", "Subir las imagenes nuevas"),
    ("fr", "vidéo", "Montage des videos de Noel"),
    ("fr", "répondre", "Repondez aux messages"),
    ("en", "café", "Post about the cafes"),  # English keeps few accents: no look-up needed, measured the same
])
def test_accent_less_inflected_words_match_their_lemma(language: str, keyword: str, text: str) -> None:
    assert matches(keyword, text, language)


@pytest.mark.parametrize("language, keyword, text", [
    ("en", "contract", "Contractor onboarding checklist"),
    ("en", "content plan", "Plan our content for May"),       # a phrase keeps its word order
    ("en", "course platform", "Platform for the course"),
    ("en", "video", "Vide the attic"),
    ("fr", "logo", "Blog de l'atelier"),
    ("fr", "article", "Articulation du planning"),
    ("es", "red", "Redactar el boletín"),
    ("es", "correo", "Correr la maratón"),
    ("pl", "post", "Postanowienia noworoczne"),
    ("pl", "faktura", "Fakturownia - konto"),
    ("pl", "platforma kursów", "Platforma sprzedażowa i kursy"),
])
def test_keyword_does_not_match_unrelated_words(language: str, keyword: str, text: str) -> None:
    assert not matches(keyword, text, language)


def test_spans_point_back_to_the_original_words() -> None:
    text = "Mise à jour de l'Agenda des Rendez-Vous"
    tokens, where = tokenize(text, "fr"), spans(text)
    assert len(tokens) == len(where) and tokens[4].folded == "agenda"
    assert text[where[4][0]:where[4][1]] == "l'Agenda"
    assert text[where[6][0]:where[7][1]] == "Rendez-Vous"


@pytest.mark.parametrize("word, core", [
    ("l'agenda", "agenda"), ("qu'il", "il"), ("jusqu'au", "au"), ("fanpage'u", "fanpage"),
    ("client's", "client"), ("aujourd'hui", "aujourd"), ("rock'n'roll", "rocknroll"), ("plain", "plain"),
    ("isn't", "isnt"), ("don’t", "dont"), ("can't", "cant"),  # a negation stays whole, never the token 'isn'
])
def test_core_word_drops_elisions_and_apostrophe_endings(word: str, core: str) -> None:
    assert core_word(word) == core


def test_fold_removes_accents_and_polish_letters() -> None:
    assert fold("Zażółć GĘŚLĄ jaźń") == "zazolc gesla jazn"
    assert fold("Réseaux Sociaux") == "reseaux sociaux"


@pytest.mark.parametrize("a, b, language, same", [
    ("facture", "factures", "fr", True),
    ("faktura", "faktury", "pl", True),
    ("Newsletter", "newsletters", "en", True),
    ("bandeja de entrada", "bandejas de entrada", "es", True),
    ("logo", "blog", "fr", False),
    ("social media", "social", "en", False),
])
def test_same_phrase_detects_keywords_that_match_the_same_words(a: str, b: str, language: str, same: bool) -> None:
    assert same_phrase(a, b, language) is same


def test_hits_come_in_text_order_with_their_span() -> None:
    matcher = PhraseMatcher([("oos", "strategia"), ("svc", "facebook")], "pl")
    hits = matcher.find(words("Posty na Facebooku i strategia"))
    assert [(h.target, h.first, h.last) for h in hits] == [("svc", 2, 3), ("oos", 4, 5)]


# A word as rules.text defines it, written out here as the reference the fast span finder must agree with.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é'’-_ .łĄ1\n"), max_size=40))
def test_spans_agree_with_the_word_pattern_on_any_text(text: str) -> None:
    # spans() locates words with str.find; the pattern's own positions are the reference.
    expected = [m.span() for m in WORD.finditer(text)]
    assert spans(text) == expected
    assert spans(text, 2) == expected[:2]


@pytest.mark.parametrize("entries", [
    [("first", "weeks"), ("second", "weekly")],
    [("second", "weekly"), ("first", "weeks")],
])
def test_keywords_starting_at_one_word_come_in_the_contracts_order(entries):
    # 'weekly' starts 'weekly' by its form and 'weeks' by its stem ('~week'): the hits came in the order of
    # the word's set of keys, which string hashing changes from one process to the next, and with them
    # which services a card's evidence named ("also matched service ...", the first three hits).
    hits = PhraseMatcher(entries, "en").find(words("Weekly report for the newsletter"))
    assert [h.target for h in hits] == [target for target, _ in entries]
