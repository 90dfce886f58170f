"""The VA's voice in comments: address, gender-neutral wording, French typography, the card's own period,
tracked hours worded as done work, and the signature line that carries the reference."""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from integrations.reference import references_in, with_body, with_reference, without_reference
from rules.comments import NARROW_NBSP, NBSP, day_range, typeset
from rules.contract import Templates
from rules.evaluate import ClientRules
from rules.wording import TEMPLATES
from tests.rules.support import at, card, contract

LANGUAGES = ("en", "fr", "es", "pl")
DECEMBER_3RD = at("2026-12-03T10:00:00Z")


def rules(language: str, address: str = "formal", templates: Templates | None = None, **overrides) -> ClientRules:
    return ClientRules(contract(**overrides), language=language, timezone=ZoneInfo("Europe/Paris"),
                       templates=templates, client="Client", address=address)


def comment(language: str, cards, now=DECEMBER_3RD, address: str = "formal", **overrides) -> str:
    result = rules(language, address, **overrides).evaluate(cards, now)
    return "\n\n".join(f.comment for f in result.findings if f.comment)


# Cards as clients write them; each one's title tag (an estimate) goes past the 10 contracted hours.
NOVEMBER_CARDS = {
    "en": card("Newsletter for Black Friday 🛍️ **before Thursday pls** [12h]", "- promo banner\n- 3 subject lines",
               created="2026-11-24T09:30:00Z"),
    "fr": card("Newsletter de novembre : relance panier abandonné 🛒 [12h]", "Comme d'hab, merci !!",
               created="2026-11-24T09:30:00Z"),
    "es": card("Newsletter de noviembre (la de siempre porfa) [12h]", "*Importante*: añadir el cupón de Navidad",
               created="2026-11-24T09:30:00Z"),
    "pl": card("Newsletter listopadowy – przypomnienie o koszyku [12h]", "jak zwykle, dzieki!!",
               created="2026-11-24T09:30:00Z"),
}

PINNED_PAST_MONTH = {
    "en": ("Happy to take this on! This task goes 2 hours beyond the 10 hours included in your plan for November, "
           "so that time will be billed as extra hours at €40.00 per hour: €80.00 in total. If you'd rather keep "
           "it for December, just let me know before I start on it."),
    "fr": ("Avec plaisir\u202f! Cette tâche dépasse de 2 heures les 10 heures prévues dans votre forfait pour "
           "novembre\u00a0: ce temps sera donc facturé en supplément, hors forfait, au tarif de 40,00\u00a0€ de "
           "l'heure, soit 80,00\u00a0€ au total. Si vous préférez la reporter en décembre, dites-le-moi simplement "
           "avant que je m'y mette."),
    "es": ("¡Con mucho gusto me encargo! Esta tarea supera en 2 horas las 10 horas incluidas en su plan de noviembre, "
           "por lo que ese tiempo se facturará como horas adicionales a 40,00\u00a0€ por hora: 80,00\u00a0€ en total. "
           "Si prefiere dejarla para diciembre, avíseme antes de que me ponga con ella."),
    "pl": ("Chętnie się tym zajmę! To zadanie wykracza o 2 godziny poza limit 10 godzin w pakiecie na listopad, "
           "dlatego ten czas zostanie rozliczony jako godziny dodatkowe według stawki 40,00\u00a0€ za godzinę, "
           "łącznie 80,00\u00a0€. Jeśli lepiej przełożyć je na grudzień, proszę o informację, zanim zacznę."),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_november_card_answered_in_december_names_november_and_december(language: str) -> None:
    text = comment(language, [NOVEMBER_CARDS[language]])
    assert text == PINNED_PAST_MONTH[language]


@pytest.mark.parametrize("language, current, named", [
    ("en", ("this month", "next month"), ("November", "December")),
    ("fr", ("ce mois-ci", "au mois prochain"), ("novembre", "décembre")),
    ("es", ("de este mes", "el mes que viene"), ("noviembre", "diciembre")),
    ("pl", ("ten miesiąc", "przyszły miesiąc"), ("listopad", "grudzień")),
])
def test_this_month_only_while_the_card_s_month_is_the_current_one(language, current, named) -> None:
    during = comment(language, [NOVEMBER_CARDS[language]], now=at("2026-11-28T10:00:00Z"))
    after = comment(language, [NOVEMBER_CARDS[language]])
    assert all(word in during for word in current) and not any(word in during for word in named)
    assert all(word in after for word in named) and not any(word in after for word in current)


@pytest.mark.parametrize("language, last_week, its_next", [
    ("en", "your plan for the week of 23–29 November", "keep it for the week of 30 November – 6 December"),
    ("fr", "votre forfait pour la semaine du 23 au 29 novembre",
     "la reporter à la semaine du 30 novembre au 6 décembre"),
    ("es", "su plan de la semana del 23 al 29 de noviembre",
     "dejarla para la semana del 30 de noviembre al 6 de diciembre"),
    ("pl", "w pakiecie na tydzień 23–29 listopada", "przełożyć je na tydzień 30 listopada – 6 grudnia"),
])
def test_last_week_s_card_names_its_own_week_and_the_one_after(language, last_week, its_next) -> None:
    late = card("Instagram: 3 posts + stories for the weekend sale 🔥 [7h]", created="2026-11-26T16:00:00Z")
    text = comment(language, [late], now=at("2026-12-01T08:00:00Z"), period="week", hours=5)
    assert last_week in text and its_next in text
    for vague in ("this week", "next week", "cette semaine", "semaine prochaine", "esta semana", "que viene",
                  "ten tydzień", "przyszły tydzień"):
        assert vague not in text


def test_a_period_of_another_year_carries_its_year() -> None:
    old = card("Newsletter de Noël [12h]", created="2025-12-10T10:00:00Z")
    assert "pour décembre 2025" in comment("fr", [old], now=at("2026-01-05T10:00:00Z"))
    assert "de diciembre de 2025" in comment("es", [old], now=at("2026-01-05T10:00:00Z"))
    assert day_range(at("2025-12-29").date(), at("2026-01-04").date(), "en", True) == "29 December – 4 January 2026"
    assert day_range(at("2026-12-01").date(), at("2026-12-06").date(), "fr") == "du 1er au 6 décembre"


TRACKED = {  # Asana actual time: the work is done when the comment goes out.
    "en": ("Newsletter: welcome sequence for new subscribers", "took 12 hours", "before I start"),
    "fr": ("Newsletter : séquence de bienvenue 💌", "a demandé 12 heures", "avant que je m'y mette"),
    "es": ("Newsletter – secuencia de bienvenida", "ha llevado 12 horas", "antes de que me ponga"),
    "pl": ("Newsletter: sekwencja powitalna dla nowych subskrybentów", "zajęło 12 godzin", "zanim zacznę"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_tracked_extra_hours_are_worded_as_done_work(language: str) -> None:
    title, done, plan = TRACKED[language]
    tracked = card(title, created="2026-11-12T10:00:00Z", minutes=720)
    estimated = card(title + " [12h]", created="2026-11-12T10:00:00Z")
    done_text = comment(language, [tracked], now=at("2026-11-20T10:00:00Z"))
    plan_text = comment(language, [estimated], now=at("2026-11-20T10:00:00Z"))
    assert done in done_text and plan not in done_text and "80,00" in done_text.replace(".", ",")
    assert plan in plan_text and done not in plan_text


def test_tracked_hours_keep_the_client_s_own_extra_hours_wording_and_may_have_their_own() -> None:
    tracked = card("Newsletter welcome flow", created="2026-11-12T10:00:00Z", minutes=720)
    mine = Templates(extra_hours="Over by {extra_hours}: {amount}.")
    assert comment("en", [tracked], templates=mine) == "Over by 2 hours: €80.00."
    both = Templates(extra_hours="Plan: {amount}.", extra_hours_done="Done, {hours} spent for {this_period}.")
    assert comment("en", [tracked], templates=both) == "Done, 12 hours spent for November."


@pytest.mark.parametrize("language, formal, informal", [
    ("fr", ("votre demande", "Vous pouvez réserver"), ("ta demande", "Tu peux réserver", "je t'enverrai")),
    ("es", ("su solicitud", "Puede reservar", "le enviaré"), ("tu solicitud", "Puedes reservar", "te enviaré")),
    ("pl", ("można zarezerwować",), ("możesz zarezerwować", "Twojego pakietu", "dla Ciebie")),
    ("en", ("Thank you for this request!",), ("Thanks for this request!",)),
])
def test_the_client_is_addressed_formally_or_informally(language, formal, informal) -> None:
    strategy = card("Content strategy for Q1?", created="2026-11-12T10:00:00Z")
    polite, familiar = comment(language, [strategy]), comment(language, [strategy], address="informal")
    assert all(p in polite for p in formal) and not any(p in polite for p in informal)
    assert all(p in familiar for p in informal) and not any(p in familiar for p in formal)


def test_informal_discount_replies_use_tu_tu_and_ty() -> None:
    cheaper = card("Newsletter – un petit geste sur le tarif ? any discount?", created="2026-11-12T10:00:00Z")
    assert "t'accorder de réduction" in comment("fr", [cheaper], address="informal")
    assert "hacerte un descuento" in comment("es", [cheaper], address="informal")
    assert "rabat nie wchodzi w grę" in comment("pl", [cheaper], address="informal")
    assert "rabat nie jest możliwy" in comment("pl", [cheaper])


# Words that presume a gender: of the VA (Polish past tense, Spanish "juntos") or of the client.
GENDERED = re.compile(r"\b(juntos|juntas|uzgodniliśmy|uzgodniłam|uzgodniłem|zrobiłam|zrobiłem|ich specjalność|"
                      r"Pan|Pani|Pana|Panią|seguro|segura|ravie|ravi|prêt|prête|listo|lista)\b")


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_no_default_text_presumes_a_gender(key) -> None:
    for kind, text in TEMPLATES[key].items():
        assert not GENDERED.search(text), (key, kind, GENDERED.search(text))


@pytest.mark.parametrize("address", ("formal", "informal"))
def test_french_comments_use_french_spacing_around_punctuation(address: str) -> None:
    cards = [card("Plan de strategy pour janvier ?", created="2026-11-12T10:00:00Z"),
             card("facture à envoyer, invoice", created="2026-11-12T10:05:00Z"),
             card("legal : CGV à relire", created="2026-11-12T10:10:00Z"),
             card("newsletter [12h] discount", created="2026-11-12T10:15:00Z")]
    text = comment("fr", cards, address=address)
    assert text.count(NARROW_NBSP + "!") >= 3 and f"«{NBSP}Strategy{NBSP}»" in text
    assert f"ici{NBSP}: https://book.example/va" in text
    assert not re.search(r"[ \u00a0][!?;]| :|« | »", text)  # no plain or wide space where French wants another


def test_typesetting_fills_only_the_template_s_own_punctuation() -> None:
    template = "Merci! Réservez ici : {consultation_url} ; à bientôt ? «{category}»"
    set_ = typeset(template, "fr")
    assert set_ == (f"Merci{NARROW_NBSP}! Réservez ici{NBSP}: {{consultation_url}}{NARROW_NBSP}; à bientôt"
                    f"{NARROW_NBSP}? «{NBSP}{{category}}{NBSP}»")
    mine = Templates(consultation=template)
    text = comment("fr", [card("strategy 2027", created="2026-11-12T10:00:00Z")], templates=mine,
                   consultation_url="https://book.example/va?lang=fr&x=1")
    assert "https://book.example/va?lang=fr&x=1" in text  # the link's '?' is untouched
    assert typeset(template, "en") == template


def test_the_signature_line_carries_the_reference_and_stays_findable() -> None:
    posted = with_reference("Avec plaisir\u202f!", "SK-3f2a9c", "Anna")
    assert posted == "Avec plaisir\u202f!\n\n— Anna · ref SK-3f2a9c"
    assert references_in(posted) == ["SK-3f2a9c"]
    assert with_reference("Hello", "SK-3f2a9c") == "Hello\n\nref SK-3f2a9c"  # no signature configured
    assert without_reference(posted, "SK-3f2a9c") == "Avec plaisir\u202f!"
    assert with_body(posted, "SK-3f2a9c", "Merci !") == "Merci !\n\n— Anna · ref SK-3f2a9c"
    assert without_reference("No reference here", "SK-3f2a9c") == "No reference here"
