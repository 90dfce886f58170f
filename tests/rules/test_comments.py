"""Comment texts: every kind in every language, locale formatting, and per-client templates."""
from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from rules.comments import DEFAULTS, Placeholders, Worded, hours_phrase, money
from rules.contract import Templates
from tests.rules.support import at, card, one, rules

LANGUAGES = ("en", "fr", "es", "pl")
NOON = "2026-11-10T11:00:00Z"


@pytest.mark.parametrize("language", LANGUAGES)
def test_consultation_carries_the_booking_link_and_category(language: str) -> None:
    f = one(card("strategy", "x", created=NOON), language)
    assert f.response == "consultation"
    assert "https://book.example/va" in f.comment and "Strategy" in f.comment


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_names_the_colleague(language: str) -> None:
    f = one(card("invoice", "x", created=NOON), language)
    assert f.response == "referral" and "Maria, bookkeeper - maria@example.com" in f.comment


@pytest.mark.parametrize("language", LANGUAGES)
def test_decline_names_the_category_without_a_link(language: str) -> None:
    f = one(card("legal", "x", created=NOON), language)
    assert f.response == "decline" and "Legal" in f.comment and "http" not in f.comment


@pytest.mark.parametrize("language, extra, rate, amount", [
    ("en", "2.5 hours", "€40.00", "€100.00"),
    ("fr", "2,5 heures", "40,00\u00a0€", "100,00\u00a0€"),
    ("es", "2,5 horas", "40,00\u00a0€", "100,00\u00a0€"),
    ("pl", "2,5 godziny", "40,00\u00a0€", "100,00\u00a0€"),
])
def test_extra_hours_show_hours_rate_and_amount_in_the_locale(language: str, extra: str, rate: str, amount: str) -> None:
    f = one(card("newsletter", "x", created=NOON, hours="12,5"), language)
    assert f.response == "extra_hours" and f.extra_amount == Decimal("100.00")
    for part in (extra, rate, amount):
        assert part in f.comment, (part, f.comment)


@pytest.mark.parametrize("hours, language, text", [
    ("1", "en", "1 hour"), ("2", "en", "2 hours"), ("1", "fr", "1 heure"), ("1.5", "fr", "1,5 heure"),
    ("2", "fr", "2 heures"), ("1", "es", "1 hora"), ("0.5", "es", "0,5 horas"), ("1", "pl", "1 godzinę"),
    ("3", "pl", "3 godziny"), ("5", "pl", "5 godzin"), ("22", "pl", "22 godziny"), ("1.5", "pl", "1,5 godziny"),
])
def test_hour_words_follow_each_language_plural_rules(hours: str, language: str, text: str) -> None:
    assert hours_phrase(Decimal(hours), language) == text


def test_polish_contracted_hours_use_the_genitive_after_limit() -> None:
    assert hours_phrase(Decimal(6), "pl", genitive=True) == "6 godzin"
    assert hours_phrase(Decimal(1), "pl", genitive=True) == "1 godziny"


@pytest.mark.parametrize("currency, language, text", [
    ("USD", "en", "$67.50"), ("PLN", "pl", "67,50\u00a0zł"), ("EUR", "fr", "67,50\u00a0€"),
])
def test_money_is_formatted_for_the_locale(currency: str, language: str, text: str) -> None:
    assert money(Decimal("67.5"), currency, language) == text


@pytest.mark.parametrize("language", LANGUAGES)
def test_discount_refusal_is_added_to_the_scope_comment(language: str) -> None:
    f = one(card("strategy discount?", "x", created=NOON), language)  # a discount asked for, not a word
    assert f.comment.count("\n\n") == 1 and [kind for kind, _ in f.messages] == ["consultation", "discount"]


def test_every_language_has_every_kind_with_the_same_placeholders() -> None:
    for kind, english in DEFAULTS["en"].items():
        wanted = {p for p in ("{consultation_url}", "{referral}", "{amount}", "{rate}", "{extra_hours}") if p in english}
        for language in LANGUAGES:
            assert all(p in DEFAULTS[language][kind] for p in wanted), (language, kind)


def test_a_client_template_overrides_the_default() -> None:
    templates = Templates(referral="Not my field - {referral} is great at {category}.")
    result = rules(templates=templates).evaluate([card("invoice", "x", created=NOON)], at("2026-11-30T12:00:00Z"))
    assert result.findings[0].comment == "Not my field - Maria, bookkeeper - maria@example.com is great at Bookkeeping."


def test_templates_reject_unknown_placeholders_and_broken_braces() -> None:
    with pytest.raises(ValidationError, match=r"unknown placeholder \{price\}"):
        Templates(extra_hours="That is {price}")
    with pytest.raises(ValidationError, match="not a valid template"):
        Templates(decline="Sorry {")


TEMPLATES_SHAPES = ["Hi {client}, '{title}' is {service}", "{title}{title}", "no title: {hours}", "{title!r} said",
                    "{title:>30}|", "{hours:{title}}", "{{title}} {title}", "{{{title}}}", "{title[0]}", "{referral}{title}"]


@pytest.mark.parametrize("template", TEMPLATES_SHAPES)
@pytest.mark.parametrize("service", ["Newsletter", "News\x00title\x00letter", "News {title}"])
def test_a_template_filled_in_once_for_many_cards_writes_what_filling_it_per_card_writes(template: str, service: str) -> None:
    """Cards differ by their titles alone: a template is filled in once and the title put in its places, unless
    the title is formatted ({title!r}, {title:>30}) or a value holds the marker standing for it; same text always."""
    values = {"client": "Acme {client}", "service": service, "hours": "2 h"}
    worded = Worded(values)
    for title in ["Blog post [2h]", "{client}", "\x00title\x00", "", ">5", "Zaktualizować stronę 🌸"]:
        try:
            expected: str | type[Exception] = template.format_map(Placeholders(values, title=title))
        except (ValueError, LookupError) as err:  # '{title[0]}' of an empty title
            expected = type(err)
        try:
            written: str | type[Exception] = worded.text(template, title)
        except (ValueError, LookupError) as err:
            written = type(err)
        assert written == expected, (template, title)
