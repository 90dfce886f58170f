"""The rules' evidence lines (English, as `scan --format json` gives them) in the report's language.

The rules keep one explainable wording; reports read it back by shape. A shape not listed here (a
newer rule) is shown as the rules wrote it rather than guessed at.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal, InvalidOperation

from babel.dates import format_date, format_time, get_day_names

from rules.comments import LOCALES
from rules.hours import SOURCE_NAMES
from scheduler.reports.i18n import Texts

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FIELD = r"(?P<field>title|description)"

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "title": "title", "description": "description",
        "label": "label “{label}”",
        "keyword": "keyword “{keyword}” in the {field}",
        "keyword_as": "keyword “{keyword}” found as “{text}” in the {field}",
        "also": "also matches the service “{service}” ({why}); out of scope comes first",
        "nothing": "no service, category or label matched",
        "tracked": "{minutes} min of tracked time",
        "tag": "{hours} h from the title tag “{tag}”",
        "field": "{hours} h from the field “{name}”",
        "word": "“{word}” in the {field}",
        "notice": "due {duration} after the request (the contract asks for {notice} h notice)",
        "hours": "{n} h", "days": "{n} days",
        "after_hours": "created {moment}, outside business hours ({days} {start}–{end})",
        "vague": "no description and a {n}-word title",
        "moved": "due date changed {n} times",
        "asked": "“{word}” in the {field}, asked as a request (“{marker}”)",
        "not_discount": "not a discount request: “{word}” in the {field}: {reason}",
        "not_counted": "{keyword} not counted: {reason}",
        "own_offer": "the client's own offer (“{x}”)", "not_asked": "not asked of you", "negated": "negated (“{x}”)",
        "no_lower_price": "no lower price named", "your_bill": "your own bill, in a discount request",
        "logged": "{hours} h from {source} ({count})",
        "uncounted": "{source}: “{text}” counted 0 h ({why})",
        "plus_syntax": "expected spent/estimate such as 1.5/2 after “{kw}”, found {x}",
        "asana": "Asana time tracking entries", "plus": "Plus for Trello plus! comments",
    },
    "fr": {
        "title": "titre", "description": "description",
        "label": "étiquette « {label} »",
        "keyword": "mot-clé « {keyword} » dans {field}",
        "keyword_as": "mot-clé « {keyword} » trouvé sous la forme « {text} » dans {field}",
        "also": "correspond aussi au service « {service} » ({why}) ; le hors-périmètre l'emporte",
        "nothing": "aucun service, aucune catégorie ni étiquette ne correspond",
        "tracked": "{minutes} min de temps suivi",
        "tag": "{hours} h d'après la balise du titre « {tag} »",
        "field": "{hours} h d'après le champ « {name} »",
        "word": "« {word} » dans {field}",
        "notice": "échéance {duration} après la demande (le contrat prévoit un préavis de {notice} h)",
        "hours": "{n} h", "days": "{n} jours",
        "after_hours": "créée le {moment}, hors horaires ({days} {start}–{end})",
        "vague": "pas de description ; titre de {n} mot(s) seulement",
        "moved": "échéance modifiée {n} fois",
        "asked": "« {word} » dans {field}, formulé comme une demande (« {marker} »)",
        "not_discount": "pas une demande de réduction : « {word} » dans {field} : {reason}",
        "not_counted": "{keyword} non retenu : {reason}",
        "own_offer": "une offre du client pour sa propre clientèle (« {x} »)", "not_asked": "rien ne vous est demandé",
        "negated": "tournure négative (« {x} »)", "no_lower_price": "aucun prix plus bas n'est demandé",
        "your_bill": "votre propre facture, dans une demande de réduction",
        "logged": "{hours} h d'après {source} ({count})",
        "uncounted": "{source} : « {text} » compté 0 h ({why})",
        "plus_syntax": "après « {kw} », il faut temps passé/estimation, par exemple 1.5/2 ; trouvé {x}",
        "asana": "les saisies de temps Asana", "plus": "les commentaires plus! de Plus for Trello",
    },
    "es": {
        "title": "título", "description": "descripción",
        "label": "etiqueta «{label}»",
        "keyword": "palabra clave «{keyword}» en {field}",
        "keyword_as": "palabra clave «{keyword}» encontrada como «{text}» en {field}",
        "also": "también coincide con el servicio «{service}» ({why}); fuera del alcance tiene prioridad",
        "nothing": "no coincide ningún servicio, categoría ni etiqueta",
        "tracked": "{minutes} min de tiempo registrado",
        "tag": "{hours} h según la etiqueta del título «{tag}»",
        "field": "{hours} h según el campo «{name}»",
        "word": "«{word}» en {field}",
        "notice": "vence {duration} después de la solicitud (el contrato pide {notice} h de antelación)",
        "hours": "{n} h", "days": "{n} días",
        "after_hours": "creada el {moment}, fuera del horario ({days} {start}–{end})",
        "vague": "sin descripción; palabras del título: {n}",
        "moved": "fecha límite cambiada {n} veces",
        "asked": "«{word}» en {field}, formulado como petición («{marker}»)",
        "not_discount": "no es una petición de descuento: «{word}» en {field}: {reason}",
        "not_counted": "{keyword} no se tiene en cuenta: {reason}",
        "own_offer": "una oferta del propio cliente para su clientela («{x}»)", "not_asked": "no se te pide nada",
        "negated": "en negativo («{x}»)", "no_lower_price": "no se pide un precio más bajo",
        "your_bill": "tu propia factura, en una petición de descuento",
        "logged": "{hours} h según {source} ({count})",
        "uncounted": "{source}: «{text}» contado como 0 h ({why})",
        "plus_syntax": "tras «{kw}» se espera tiempo dedicado/estimado, por ejemplo 1.5/2; se encontró {x}",
        "asana": "los registros de tiempo de Asana", "plus": "los comentarios plus! de Plus for Trello",
    },
    "pl": {
        "title": "tytuł", "description": "opis",
        "label": "etykieta „{label}”",
        "keyword": "słowo kluczowe „{keyword}” – {field}",
        "keyword_as": "słowo kluczowe „{keyword}” w formie „{text}” – {field}",
        "also": "pasuje też do usługi „{service}” ({why}); pierwszeństwo ma zakres spoza umowy",
        "nothing": "nie pasuje żadna usługa, kategoria ani etykieta",
        "tracked": "{minutes} min zarejestrowanego czasu",
        "tag": "{hours} godz. ze znacznika w tytule „{tag}”",
        "field": "{hours} godz. z pola „{name}”",
        "word": "„{word}” – {field}",
        "notice": "termin {duration} po zgłoszeniu (umowa wymaga {notice} godz. wyprzedzenia)",
        "hours": "{n} godz.", "days": "{n} dni",
        "after_hours": "utworzono {moment}, poza godzinami pracy ({days} {start}–{end})",
        "vague": "brak opisu; liczba słów w tytule: {n}",
        "moved": "termin zmieniany {n} razy",
        "asked": "„{word}” – {field}, jako prośba („{marker}”)",
        "not_discount": "to nie prośba o zniżkę: „{word}” – {field}: {reason}",
        "not_counted": "{keyword} – pominięte: {reason}",
        "own_offer": "własna oferta klienta dla jego klientów („{x}”)", "not_asked": "nikt nie prosi o to Ciebie",
        "negated": "zaprzeczenie („{x}”)", "no_lower_price": "nie ma mowy o niższej cenie",
        "your_bill": "Twoja własna faktura, w prośbie o zniżkę",
        "logged": "{hours} godz. – {source} ({count})",
        "uncounted": "{source}: „{text}” – policzono 0 godz. ({why})",
        "plus_syntax": "po „{kw}” powinno być przepracowane/szacowane, np. 1.5/2; jest {x}",
        "asana": "wpisy czasu w Asanie", "plus": "komentarze plus! z Plus for Trello",
    },
}


def translate(evidence: str, t: Texts) -> str:
    """One evidence line in the report's language (English reports get the same friendlier wording)."""
    flag, _, why = evidence.partition(": ")
    if why and flag in _FLAGS:
        return f"{t('flag_' + flag)}{t.colon}{_line(why, t)}"
    return _line(evidence, t)


_FLAGS = ("discount_request", "urgent_deadline", "after_hours", "vague_request", "rescheduled")


def known(evidence: str) -> bool:
    """Whether a report can put this evidence line in words of its own language (a shape listed here)."""
    flag, _, why = evidence.partition(": ")
    text = why if why and flag in _FLAGS else evidence
    return any(pattern.fullmatch(text) for pattern, _ in _SHAPES)


def _line(text: str, t: Texts) -> str:
    for pattern, render in _SHAPES:
        match = pattern.fullmatch(text)
        if match:
            return render(match, t)
    return text


def _p(t: Texts, key: str, **values: object) -> str:
    # Typeset the wording only: a client's own words ("plus!", "Q&A?") are quoted as they wrote them.
    return t.typeset(PHRASES[t.language][key]).format(**values)


def _field(match: re.Match[str], t: Texts) -> str:
    name = PHRASES[t.language][match["field"]]
    return {"fr": "le " + name if name == "titre" else "la " + name, "es": "el " + name if name == "título"
            else "la " + name}.get(t.language, name)


def _number(text: str, t: Texts) -> str:
    try:
        return t.number(Decimal(text))
    except InvalidOperation:
        return text


def _duration(text: str, t: Texts) -> str:
    amount, _, unit = text.partition(" ")
    return _p(t, "days" if unit == "days" else "hours", n=_number(amount, t))


def _days(days: str, t: Texts) -> str:
    names = get_day_names("abbreviated", locale=LOCALES[t.language])
    picked = [names[_WEEKDAYS.index(d.strip())] for d in days.split(",") if d.strip() in _WEEKDAYS]
    return ", ".join(picked)


# Why a discount word asked for nothing, or a keyword was not counted (rules.discount, rules.scope).
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"the client's own offer \('(?P<x>.+)'\)"), "own_offer"),
    (re.compile(r"not asked of you"), "not_asked"),
    (re.compile(r"negated \('(?P<x>.+)'\)"), "negated"),
    (re.compile(r"no lower price named"), "no_lower_price"),
    (re.compile(r"your bill, in a discount request"), "your_bill"),
    (re.compile(r"expected spent/estimate such as 1\.5/2 after 'plus!', found (?P<x>.+)"), "plus_syntax"),
]


def _reason(text: str, t: Texts) -> str:
    for pattern, key in _REASONS:
        match = pattern.fullmatch(text)
        if match:
            return t.typeset(PHRASES[t.language][key]).format(x=match.groupdict().get("x", ""), kw="plus!")
    return text


_SOURCES = "|".join(re.escape(name) for name in SOURCE_NAMES.values())


def _source(match: re.Match[str], t: Texts) -> str:
    key = next(key for key, name in SOURCE_NAMES.items() if name == match["source"])
    return PHRASES[t.language][key]


def _moment(match: re.Match[str], t: Texts) -> str:
    day = date.fromisoformat(match["date"])
    clock = time.fromisoformat(match["time"])
    locale = LOCALES[t.language]
    weekday = format_date(day, "EEE", locale=locale)
    return f"{weekday} {t.day(day)} {format_time(clock, 'short', locale=locale)} ({match['tz']})"


_SHAPES: list[tuple[re.Pattern[str], Callable[[re.Match[str], Texts], str]]] = [
    (re.compile(r"label '(?P<label>.+)'"), lambda m, t: _p(t, "label", label=m["label"])),
    # the longer shape first: the plain one's lazy keyword would swallow "x' matched 'y"
    (re.compile(rf"keyword '(?P<keyword>.+?)' matched '(?P<text>.+?)' in {_FIELD}"),
     lambda m, t: _p(t, "keyword_as", keyword=m["keyword"], text=m["text"], field=_field(m, t))),
    (re.compile(rf"keyword '(?P<keyword>.+?)' in {_FIELD}"),
     lambda m, t: _p(t, "keyword", keyword=m["keyword"], field=_field(m, t))),
    (re.compile(r"also matched service '(?P<service>.+?)' by (?P<why>.+); out of scope takes precedence"),
     lambda m, t: _p(t, "also", service=m["service"], why=_line(m["why"], t))),
    (re.compile(r"no service, category or label matched"), lambda m, t: _p(t, "nothing")),
    (re.compile(r"(?P<n>[\d.]+) min of tracked time \(actual_time_minutes\)"),
     lambda m, t: _p(t, "tracked", minutes=_number(m["n"], t))),
    (re.compile(r"(?P<n>[\d.]+) h from title tag '(?P<tag>.+)'"),
     lambda m, t: _p(t, "tag", hours=_number(m["n"], t), tag=m["tag"])),
    (re.compile(r"(?P<n>[\d.]+) h from field '(?P<name>.+)'"),
     lambda m, t: _p(t, "field", hours=_number(m["n"], t), name=m["name"])),
    (re.compile(rf"'(?P<word>.+?)' in {_FIELD}, asked of you \('(?P<marker>.*)'\)"),
     lambda m, t: _p(t, "asked", word=m["word"], field=_field(m, t), marker=m["marker"])),
    (re.compile(rf"not a discount request: '(?P<word>.+?)' in {_FIELD}: (?P<reason>.+)"),
     lambda m, t: _p(t, "not_discount", word=m["word"], field=_field(m, t), reason=_reason(m["reason"], t))),
    (re.compile(r"(?P<keyword>keyword '.+' in (?:title|description)) not counted: (?P<reason>.+)"),
     lambda m, t: _p(t, "not_counted", keyword=_line(m["keyword"], t), reason=_reason(m["reason"], t))),
    (re.compile(rf"'(?P<word>.+?)' in {_FIELD}"), lambda m, t: _p(t, "word", word=m["word"], field=_field(m, t))),
    (re.compile(r"due (?P<d>-?[\d.]+ (?:h|days)) after the request \(contract asks for (?P<h>[\d.]+) h notice\)"),
     lambda m, t: _p(t, "notice", duration=_duration(m["d"], t), notice=_number(m["h"], t))),
    (re.compile(r"created (?P<wd>[a-z]{3}) (?P<date>\d{4}-\d\d-\d\d) (?P<time>\d\d:\d\d) (?P<tz>\S+), "
                r"outside business hours \((?P<days>[a-z, ]+) (?P<start>\d\d:\d\d)-(?P<end>\d\d:\d\d)\)"),
     lambda m, t: _p(t, "after_hours", moment=_moment(m, t), days=_days(m["days"], t), start=m["start"],
                     end=m["end"])),
    (re.compile(r"no description and a (?P<n>\d+)-word title"), lambda m, t: _p(t, "vague", n=m["n"])),
    (re.compile(r"due date changed (?P<n>\d+) times"), lambda m, t: _p(t, "moved", n=m["n"])),
    (re.compile(rf"(?P<n>[\d.]+) h from (?P<source>{_SOURCES}) \((?P<count>\d+)\)"),
     lambda m, t: _p(t, "logged", hours=_number(m["n"], t), source=_source(m, t), count=m["count"])),
    (re.compile(rf"(?P<source>{_SOURCES}): '(?P<text>.*)' counted 0 h \((?P<why>.+)\)", re.DOTALL),
     lambda m, t: _p(t, "uncounted", source=_source(m, t), text=m["text"], why=_reason(m["why"], t))),
]
