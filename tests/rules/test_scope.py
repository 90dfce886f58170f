"""Scope precedence: a label decides; out-of-scope beats service; otherwise review."""
from __future__ import annotations

import pytest

from tests.rules.support import card, one


def test_service_keyword_makes_the_card_in_scope_with_evidence() -> None:
    f = one(card("Send the weekly newsletter"))
    assert (f.verdict, f.service, f.category, f.response) == ("in_scope", "Newsletter", None, "none")
    assert "keyword 'newsletter' in title" in f.evidence


def test_out_of_scope_keyword_beats_a_service_keyword() -> None:
    f = one(card("Instagram strategy for 2027"))
    assert (f.verdict, f.category, f.response) == ("out_of_scope", "Strategy", "consultation")
    assert any("also matched service 'Social'" in e for e in f.evidence)


def test_keyword_in_the_description_counts() -> None:
    f = one(card("Quick one", "Could you chase the unpaid invoices?"))
    assert (f.category, f.response) == ("Bookkeeping", "referral")
    assert "keyword 'invoice' matched 'invoices' in description" in f.evidence


def test_a_label_decides_over_keywords() -> None:
    f = one(card("Instagram strategy", labels=("News",)))
    assert (f.verdict, f.service) == ("in_scope", "Newsletter")
    assert f.evidence[0] == "label 'News'"


def test_a_label_naming_the_service_matches_case_insensitively() -> None:
    assert one(card("Misc work", labels=("social",))).service == "Social"


def test_category_label_wins_over_service_label() -> None:
    f = one(card("Newsletter", labels=("News", "Lawyer")))
    assert (f.verdict, f.category, f.response) == ("out_of_scope", "Legal", "decline")


def test_no_match_needs_review_and_posts_nothing() -> None:
    f = one(card("Podcast show notes", "Episodes 12 and 13."))
    assert (f.verdict, f.response, f.comment) == ("needs_review", "none", None)
    assert f.evidence == ("no service, category or label matched",)


def test_first_service_in_the_title_wins_when_several_match() -> None:
    assert one(card("Facebook post about the newsletter")).service == "Social"
    assert one(card("Newsletter and a facebook post")).service == "Newsletter"


LOCAL = {  # language -> (service keyword, category keyword) for the tests below
    "en": ("newsletter", "strategy"), "fr": ("newsletter", "stratégie"),
    "es": ("boletín", "estrategia"), "pl": ("newsletter", "strategia"),
}


def local_one(title: str, description: str, language: str):
    service, category = LOCAL[language]
    return one(card(title, description), language,
               services=[{"name": "Newsletter", "keywords": [service]}],
               out_of_scope=[{"name": "Strategy", "keywords": [category, "logo"], "response": "consultation"}])


@pytest.mark.parametrize("language, title, description", [
    ("en", "Upload the new newsletter", "Files: https://drive.example/q1-strategy-deck.pdf and banner-strategy.png"),
    ("en", "Newsletter", "Mail the deck to maria@strategy-partners.com"),
    ("en", "Newsletter", "Notes at www.example.com/strategy/2027"),
    ("fr", "Newsletter janvier", "Photos ici : https://photos.example.fr/strategie-2027/logo-final.png"),
    ("es", "Boletín de enero", "Fotos: https://drive.example.com/estrategia/fotos-logo.zip"),
    ("pl", "Newsletter listopadowy", "Zdjęcia: https://dysk.example.pl/strategia-2027/ulotka.pdf"),
    ("pl", "Newsletter", "Plik: strategia_grudzien.pdf w załączniku"),
])
def test_a_keyword_inside_a_link_or_file_name_is_not_evidence(language: str, title: str, description: str) -> None:
    f = local_one(title, description, language)
    assert (f.verdict, f.service, f.comment) == ("in_scope", "Newsletter", None)


@pytest.mark.parametrize("language, description", [
    ("en", "No strategy work needed, just the newsletter."),
    ("en", "I don't need a logo, just the newsletter"),
    ("fr", "Pas besoin de stratégie, juste la newsletter habituelle."),
    ("fr", "Ne touche pas au logo, juste la newsletter"),
    ("es", "Sin estrategia esta vez, solo el boletín de siempre."),
    ("es", "No hace falta estrategia, solo el boletín"),
    ("pl", "Bez strategii, tylko zwykły newsletter."),
    ("pl", "Nie trzeba nowej strategii, wystarczy newsletter"),
    # inflected negations (matched as written, so each form is listed)
    ("pl", "Nie zajmujemy się żadną strategią w tym miesiącu, tylko newsletter"),
    ("pl", "Z żadnym logo nie trzeba nic robić, wystarczy newsletter"),
    ("es", "Ningunas estrategias nuevas este mes, solo el boletín"),
    ("fr", "Aucuns logos à refaire, juste la newsletter"),
])
def test_a_negated_mention_is_not_a_request_for_that_category(language: str, description: str) -> None:
    f = local_one("Weekly update", description, language)
    assert (f.verdict, f.service, f.comment) == ("in_scope", "Newsletter", None)
    assert any("not counted: negated ('" in e for e in f.evidence)


@pytest.mark.parametrize("contract_language, title, description", [
    # A client writes in another language than her contract's: "nos" (us, our) is not the English "no".
    ("en", "¿Nos ayudas con la estrategia de Instagram para 2027? 🙏", ""),
    ("en", "Nos logos pour 2027", "Pouvez-vous refaire **nos logos** ? merci !!"),
    ("es", "Nos hace falta una estrategia 2027", "para el lanzamiento de marzo 🚀"),
])
def test_a_word_that_only_shares_a_lemma_with_a_negation_negates_nothing(contract_language: str, title: str,
                                                                       description: str) -> None:
    f = one(card(title, description), contract_language, services=[{"name": "Newsletter", "keywords": ["newsletter"]}],
            out_of_scope=[{"name": "Strategy", "keywords": ["strategy", "estrategia", "logo"],
                           "response": "consultation"}])
    assert (f.verdict, f.response) == ("out_of_scope", "consultation"), f.evidence
    assert not any("negated" in e for e in f.evidence)


@pytest.mark.parametrize("language, description", [
    ("en", "Not the newsletter - we need a strategy for 2027"),   # the negation is in another clause
    ("fr", "Pas la newsletter : une stratégie pour 2027"),
    ("es", "No es el boletín, sino la estrategia de 2027"),
    ("pl", "Nie newsletter, ale strategia na 2027"),
])
def test_a_negation_in_another_clause_leaves_the_category(language: str, description: str) -> None:
    assert local_one("Next year", description, language).category == "Strategy"
