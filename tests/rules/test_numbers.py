"""Cards full of numbers (dates, prices, order numbers) and keywords that hold a digit, in four languages."""
from __future__ import annotations

import pytest

from rules.matching import PhraseMatcher
from rules.text import words

from .support import at, card, rules

NUMBERED = {  # a service whose keyword holds a digit, as agencies name recurring deliverables
    "en": ("Q4 report", "top 10 list"),
    "fr": ("rapport T4", "top 10"),
    "es": ("informe Q4", "top 10"),
    "pl": ("raport Q4", "top 10"),
}


def _numbered(language: str):
    first, second = NUMBERED[language]
    return rules(language, services=[{"name": "Quarterly", "keywords": [first, second]},
                                     {"name": "Newsletter", "keywords": ["newsletter"]}])


@pytest.mark.parametrize("language, title, description", [
    ("en", "q4 Report pls!! 📊", "numbers from the 3 dashboards, due 12/15"),
    ("en", "Our **TOP 10 list** for the blog", "10 tools we love, ~300 words each"),
    ("fr", "Rapport T4 — pour le 15/12 svp", "avec les chiffres de 2026"),
    ("fr", "Top 10 des articles", "les 10 plus lus en novembre 🙏"),
    ("es", "Informe Q4 para el viernes", "los datos de oct-dic, 3 gráficos"),
    ("es", "el top 10 de productos", "precios en €, 2 decimales"),
    ("pl", "Raport Q4 na piątek", "dane za X-XII 2026, 3 wykresy"),
    ("pl", "Top 10 produktów 🔥", "ceny brutto, 23% VAT"),
])
def test_a_keyword_with_a_digit_matches_as_written(language: str, title: str, description: str) -> None:
    found = _numbered(language).evaluate([card(title, description)], _now()).findings[0]
    assert found.verdict == "in_scope" and found.service == "Quarterly", found.evidence


@pytest.mark.parametrize("language, title", [
    ("en", "Q3 report, same as last time"),
    ("fr", "Rapport T3 comme d'habitude"),
    ("es", "Informe Q3 como siempre"),
    ("pl", "Raport Q3 jak zwykle"),
])
def test_another_number_is_not_that_keyword(language: str, title: str) -> None:
    found = _numbered(language).evaluate([card(title)], _now()).findings[0]
    assert found.service != "Quarterly", found.evidence


@pytest.mark.parametrize("language, title, description, service", [
    ("en", "Newsletter #12 – send 03/12 at 9:30", "order 4471-B, $300 budget, 2x images", "Newsletter"),
    ("en", "2 instagram posts + 1 reel", "for the 24h sale (-20%) 🎉", "Social"),
    ("fr", "Newsletter n°12 à envoyer le 3/12 à 9h30", "commande 4471-B, budget 300 €", "Newsletter"),
    ("es", "Newsletter nº12 para el 3/12 a las 9:30", "pedido 4471-B, 300 € de presupuesto", "Newsletter"),
    ("pl", "Newsletter nr 12 na 3.12 o 9:30", "zamówienie 4471-B, budżet 300 zł", "Newsletter"),
])
def test_numbers_around_keywords_do_not_hide_them(language: str, title: str, description: str,
                                                  service: str) -> None:
    found = rules(language).evaluate([card(title, description)], _now()).findings[0]
    assert found.verdict == "in_scope" and found.service == service, found.evidence


@pytest.mark.parametrize("language, keyword, text, matched", [
    ("en", "social media", "social media plan for 2027", True),
    ("en", "social media", "social 2 media", False),          # a number between the words breaks the phrase
    ("fr", "réseaux sociaux", "réseaux 2026 sociaux", False),
    ("es", "redes sociales", "las redes sociales 2026", True),
    ("pl", "media społecznościowe", "media 24 społecznościowe", False),
])
def test_a_number_inside_a_phrase_breaks_it(language: str, keyword: str, text: str, matched: bool) -> None:
    assert bool(PhraseMatcher([("x", keyword)], language).find(words(text))) is matched


def test_numbered_cards_read_the_same_on_every_scan() -> None:
    # Numbers are answered without being remembered: the second scan must still see the same words.
    r = _numbered("en")
    cards = [card(f"Q4 report v{n}", f"ref #{1000 + n}, {n} pages") for n in range(50)]
    cards += [card(f"Order {n:05d}: newsletter") for n in range(50)]
    first, again = (r.evaluate(cards, _now()).findings for _ in range(2))
    assert [f.service for f in first] == [f.service for f in again]
    assert {f.service for f in first} == {"Quarterly", "Newsletter"}


def _now():
    return at("2026-11-30T12:00:00Z")
