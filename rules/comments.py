"""Comment texts for clients, in their language and form of address; per-client templates override them."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from string import Formatter

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_currency, format_decimal

from .contract import Templates
from .periods import ContractPeriod, period_of_day
from .wording import FORMAL, PERIODS, TEMPLATES

LOCALES = {"en": "en_US", "fr": "fr_FR", "es": "es_ES", "pl": "pl_PL"}

# The formal wording of each language: what a client gets unless the VA chose informal address.
DEFAULTS: dict[str, dict[str, str]] = {language: TEMPLATES[(language, FORMAL)] for language in LOCALES}

# Hour nouns by CLDR plural category. Polish needs two cases: accusative after "o" (extra hours)
# and genitive after "limit" (contracted hours).
_HOUR_WORDS = {
    "en": {"one": "hour", "other": "hours"},
    "fr": {"one": "heure", "many": "heures", "other": "heures"},
    "es": {"one": "hora", "many": "horas", "other": "horas"},
    "pl": {"one": "godzinę", "few": "godziny", "many": "godzin", "other": "godziny"},
}
_HOUR_WORDS_GENITIVE_PL = {"one": "godziny", "few": "godzin", "many": "godzin", "other": "godziny"}

NARROW_NBSP, NBSP = "\u202f", "\u00a0"
# French: a narrow no-break space before ; ! ? and a no-break space before : and inside « ».
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]*([;!?])")
_FR_COLON = re.compile(r"[ \u00a0\u202f]+:")
_FR_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_FR_CLOSE = re.compile(r"[ \u00a0\u202f]*»")


# One comment to post: (kind, text), the kind being the key of its template. A plain tuple, not a class: a
# scan keeps one per card, and the garbage collector stops visiting a tuple that holds only strings.
Message = tuple[str, str]


@lru_cache(maxsize=4096)
def money(amount: Decimal, currency: str, language: str) -> str:
    """An amount in the client's locale: '$67.50', '67,50 €', '165,00 zł'."""
    return format_currency(amount, currency, locale=LOCALES[language])


@lru_cache(maxsize=4096)
def hours_phrase(hours: Decimal, language: str, *, genitive: bool = False) -> str:
    """'1.5 hours', '1,5 heure', '2 horas', 'o 1,5 godziny' / 'limit 6 godzin'."""
    number = format_decimal(hours.normalize(), locale=LOCALES[language])
    category = _locale(language).plural_form(hours.normalize())
    words = _HOUR_WORDS_GENITIVE_PL if genitive and language == "pl" else _HOUR_WORDS[language]
    return f"{number} {words.get(category, words['other'])}"


def typeset(text: str, language: str) -> str:
    """French spacing around punctuation; other languages unchanged.

    Only a template's own punctuation is set (placeholders are filled afterwards), so a '?' in a URL
    or a ':' in a link is never touched; a '!' or '?' written straight after a word gets its space too.
    """
    if language != "fr":
        return text
    text = _FR_BEFORE.sub(lambda m: NARROW_NBSP + m[1], text)
    text = _FR_COLON.sub(NBSP + ":", text)
    return _FR_CLOSE.sub(NBSP + "»", _FR_OPEN.sub("«" + NBSP, text))


def template(kind: str, language: str, templates: Templates | None, address: str = FORMAL) -> str:
    """The client's template for a comment kind, else the default wording, typeset for the language.

    Tracked extra hours ('extra_hours_done') fall back to the client's own 'extra_hours' wording before
    the default one: a VA who rewrote that text would not want the default back for done work.
    """
    own = getattr(templates, kind, None) if templates else None
    if own is None and kind == "extra_hours_done" and templates is not None:
        own = templates.extra_hours
    return typeset(own or TEMPLATES[(language, address)][kind], language)


def period_words(language: str, period: str) -> dict[str, str]:
    """The {this_period} and {next_period} placeholders for the current period of a kind."""
    words = PERIODS[language]
    return {"this_period": words[f"this_{period}"], "next_period": words[f"next_{period}"]}


@lru_cache(maxsize=1024)
def named_period_words(language: str, period: ContractPeriod, kind: str, current_year: int) -> dict[str, str]:
    """{this_period} and {next_period} for a period that has ended: named, never 'this month'.

    'November' / 'the week of 23–29 November' and the period after it; the year is added when it is
    not the current one.
    """
    following = period_of_day(period.end + timedelta(days=1), kind)
    return {"this_period": _named(language, period, kind, current_year, ""),
            "next_period": _named(language, following, kind, current_year, "next_named_")}


def _named(language: str, period: ContractPeriod, kind: str, current_year: int, slot: str) -> str:
    words = PERIODS[language]
    phrase = words.get(slot + kind, words[kind])
    if kind == "month":
        month = get_month_names("wide", "stand-alone", LOCALES[language])[period.start.month]
        year = "" if period.start.year == current_year else (" de " if language == "es" else " ") + str(period.start.year)
        return phrase.format(month=month + year)
    return phrase.format(days=day_range(period.start, period.end, language, period.end.year != current_year))


def day_range(first: date, last: date, language: str, with_year: bool = False) -> str:
    """'23–29 November', 'du 23 au 29 novembre', 'del 23 al 29 de noviembre', '23–29 listopada'."""
    months = get_month_names("wide", "format", LOCALES[language])

    def day(d: date, month: bool) -> str:
        number = "1er" if language == "fr" and d.day == 1 else str(d.day)
        if not month:
            return number
        return f"{number} de {months[d.month]}" if language == "es" else f"{number} {months[d.month]}"

    same_month = first.month == last.month and first.year == last.year
    start, end = day(first, not same_month), day(last, True)
    if with_year:
        end += (" de " if language == "es" else " ") + str(last.year)
    if language == "fr":
        return f"du {start} au {end}"
    if language == "es":
        return f"del {start} al {end}"
    return f"{start}–{end}" if same_month else f"{start} – {end}"


class Placeholders(dict[str, str]):
    """Values for a template's placeholders; one without a value (e.g. {referral} in a decline template)
    renders empty."""

    def __missing__(self, key: str) -> str:
        return ""


class Worded:
    """A comment's placeholders but the card's title, and each template filled in with them once: a scan
    writes the same comments on thousands of cards, which differ by their titles alone."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self._pieces: dict[str, list[str] | None] = {}

    def text(self, template: str, title: str) -> str:
        """The template filled in for the card with this title."""
        try:
            pieces = self._pieces[template]
        except KeyError:
            pieces = self._pieces[template] = _around_title(template, self.values)
        return title.join(pieces) if pieces is not None else template.format_map(Placeholders(self.values, title=title))


# Stands for the title while a template is filled in for many cards at once; a value holding it fails the count.
_TITLE_MARK = "\x00title\x00"


def _around_title(template: str, values: dict[str, str]) -> list[str] | None:
    """The template filled in with `values`, in the pieces around each {title}; None unless the title is put
    in as it is (not '{title!r}', '{title:>30}', '{title[0]}', nor inside another field's format)."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(template)
                  if name is not None]
        titles = [(name, spec, conversion) for name, spec, conversion in fields if name.startswith("title")]
        if any(t != ("title", "", None) for t in titles) or any("{" in spec for _, spec, _ in fields if spec):
            return None
        pieces = template.format_map(Placeholders(values, title=_TITLE_MARK)).split(_TITLE_MARK)
    except (ValueError, LookupError, AttributeError, TypeError):
        return None  # filled in card by card, it fails there as it always did
    return pieces if len(pieces) == len(titles) + 1 else None


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])
