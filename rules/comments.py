"""Comment texts for clients, in their language; per-client templates override the defaults."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, format_decimal

from .contract import Templates

LOCALES = {"en": "en_US", "fr": "fr_FR", "es": "es_ES", "pl": "pl_PL"}

DEFAULTS: dict[str, dict[str, str]] = {
    "en": {
        "consultation": (
            "Thank you for this request! It falls under “{category}”, which isn't part of the services in "
            "our current agreement, so I can't fit it into the plan. It would make a great topic for a "
            "consultation, though: you can book a time that suits you here: {consultation_url}. Once we've "
            "talked it through, I'll send you a proposal."),
        "referral": (
            "Thank you for thinking of me! This request falls under “{category}”, which isn't among the "
            "services I offer, so I'm not the right person for it. I'm happy to recommend {referral}, who "
            "specialises in exactly this kind of work."),
        "decline": (
            "Thank you for your request. It falls under “{category}”, which isn't part of the services in "
            "our agreement, and it isn't something I'm able to take on. I'll keep giving my full attention "
            "to the work we agreed on."),
        "extra_hours": (
            "Happy to take this on! This task goes {extra_hours} beyond the {contracted_hours} included in "
            "your plan for {this_period}, so that time will be billed as extra hours at {rate} per hour: "
            "{amount} in total. If you'd rather keep it for {next_period}, just let me know before I start."),
        "discount": (
            "Thank you for asking. My rates are already my best rate, so I'm not able to offer a discount. "
            "If the budget is tight, I'm glad to look at the scope with you and adjust the work to fit it."),
    },
    "fr": {
        "consultation": (
            "Merci pour votre demande ! Elle relève de « {category} », qui ne fait pas partie des services "
            "prévus dans notre contrat : je ne peux donc pas l'intégrer au forfait. C'est en revanche un "
            "excellent sujet de consultation. Vous pouvez réserver le créneau qui vous convient ici : "
            "{consultation_url}. Après notre échange, je vous enverrai une proposition."),
        "referral": (
            "Merci d'avoir pensé à moi ! Cette demande relève de « {category} », un domaine qui ne fait pas "
            "partie des services que je propose. Je vous recommande vivement de vous adresser à {referral}, "
            "dont c'est précisément la spécialité."),
        "decline": (
            "Merci pour votre demande. Elle relève de « {category} », qui ne fait pas partie des services "
            "prévus dans notre contrat, et je ne suis pas en mesure de la prendre en charge. Je continue "
            "bien entendu à me consacrer pleinement aux missions convenues."),
        "extra_hours": (
            "Avec plaisir ! Cette tâche dépasse de {extra_hours} les {contracted_hours} prévues dans votre "
            "forfait pour {this_period} : ce temps sera donc facturé en heures supplémentaires, au tarif de "
            "{rate} de l'heure, soit {amount} au total. Si vous préférez la reporter {next_period}, "
            "dites-le-moi simplement avant que je commence."),
        "discount": (
            "Merci pour votre message. Mes tarifs correspondent déjà à mon meilleur prix : je ne peux donc "
            "pas vous accorder de réduction. Si votre budget est serré, je vous propose volontiers de revoir "
            "ensemble le périmètre des tâches pour l'adapter."),
    },
    "es": {
        "consultation": (
            "¡Gracias por su solicitud! Corresponde a «{category}», que no forma parte de los servicios "
            "incluidos en nuestro contrato, así que no puedo incluirla en el plan. Eso sí, es un tema ideal "
            "para una consulta: puede reservar la hora que mejor le convenga aquí: {consultation_url}. "
            "Después de hablarlo, le enviaré una propuesta."),
        "referral": (
            "¡Gracias por pensar en mí! Esta solicitud corresponde a «{category}», un área que no forma "
            "parte de los servicios que ofrezco. Le recomiendo ponerse en contacto con {referral}, "
            "especialista precisamente en este tipo de trabajo."),
        "decline": (
            "Gracias por su solicitud. Corresponde a «{category}», que no forma parte de los servicios "
            "incluidos en nuestro contrato, y no es un trabajo que pueda asumir. Sigo, por supuesto, a su "
            "disposición para todo lo acordado."),
        "extra_hours": (
            "¡Con mucho gusto me encargo! Esta tarea supera en {extra_hours} las {contracted_hours} "
            "incluidas en su plan {this_period}, por lo que ese tiempo se facturará como horas adicionales "
            "a {rate} por hora: {amount} en total. Si prefiere dejarla para {next_period}, dígamelo antes "
            "de que empiece."),
        "discount": (
            "Gracias por preguntar. Mis tarifas ya son mi mejor precio, así que no puedo ofrecerle un "
            "descuento. Si el presupuesto es ajustado, con gusto revisamos juntos el alcance del trabajo "
            "para adaptarlo."),
    },
    "pl": {
        "consultation": (
            "Dziękuję za zgłoszenie! To zadanie dotyczy obszaru „{category}”, który nie wchodzi w zakres "
            "usług z naszej umowy, więc nie mogę go zrealizować w ramach pakietu. To jednak świetny temat "
            "na konsultację – dogodny termin można zarezerwować tutaj: {consultation_url}. Po rozmowie "
            "przygotuję ofertę."),
        "referral": (
            "Dziękuję za zaufanie! To zadanie dotyczy obszaru „{category}”, którym się nie zajmuję. "
            "W tej sprawie z przyjemnością polecam: {referral} – to właśnie ich specjalność."),
        "decline": (
            "Dziękuję za zgłoszenie. To zadanie dotyczy obszaru „{category}”, który nie wchodzi w zakres "
            "usług z naszej umowy, i niestety nie mogę się go podjąć. Nadal chętnie zajmę się wszystkim, "
            "co uzgodniliśmy."),
        "extra_hours": (
            "Chętnie się tym zajmę! To zadanie wykracza o {extra_hours} poza limit {contracted_hours} "
            "w pakiecie na {this_period}, dlatego ten czas zostanie rozliczony jako dodatkowe godziny według "
            "stawki {rate} za godzinę, łącznie {amount}. Jeśli lepiej przełożyć je na {next_period}, proszę "
            "o informację, zanim zacznę."),
        "discount": (
            "Dziękuję za pytanie. Moje stawki to już moja najlepsza cena, dlatego nie mogę zaproponować "
            "zniżki. Jeśli budżet jest napięty, chętnie wspólnie przejrzymy zakres prac i dopasujemy go "
            "do możliwości."),
    },
}

# "this month" / "next month" as each sentence above needs them.
_PERIODS = {
    "en": {"month": ("this month", "next month"), "week": ("this week", "next week")},
    "fr": {"month": ("ce mois-ci", "au mois prochain"), "week": ("cette semaine", "à la semaine prochaine")},
    "es": {"month": ("de este mes", "el mes que viene"), "week": ("de esta semana", "la semana que viene")},
    "pl": {"month": ("ten miesiąc", "przyszły miesiąc"), "week": ("ten tydzień", "przyszły tydzień")},
}

# Hour nouns by CLDR plural category. Polish needs two cases: accusative after "o" (extra hours)
# and genitive after "limit" (contracted hours).
_HOUR_WORDS = {
    "en": {"one": "hour", "other": "hours"},
    "fr": {"one": "heure", "many": "heures", "other": "heures"},
    "es": {"one": "hora", "many": "horas", "other": "horas"},
    "pl": {"one": "godzinę", "few": "godziny", "many": "godzin", "other": "godziny"},
}
_HOUR_WORDS_GENITIVE_PL = {"one": "godziny", "few": "godzin", "many": "godzin", "other": "godziny"}


@dataclass(frozen=True, slots=True)
class Message:
    """One comment to post: its kind (the key of its template) and its text."""

    kind: str
    text: str


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


def render(kind: str, language: str, templates: Templates | None, **values: object) -> Message:
    """The text of one comment kind, from the client's template or the default wording."""
    period = str(values.pop("period", "month"))
    fields = Placeholders(period_words(language, period), **values)
    return Message(kind, template(kind, language, templates).format_map(fields))


def template(kind: str, language: str, templates: Templates | None) -> str:
    """The client's template for a comment kind, else the default wording."""
    return (getattr(templates, kind, None) if templates else None) or DEFAULTS[language][kind]


def period_words(language: str, period: str) -> dict[str, str]:
    """The {this_period} and {next_period} placeholders for a contract period kind."""
    this_period, next_period = _PERIODS[language][period]
    return {"this_period": this_period, "next_period": next_period}


class Placeholders(dict):
    """Values for a template's placeholders; one without a value (e.g. {referral} in a decline template)
    renders empty."""

    def __missing__(self, key: str) -> str:
        return ""


@lru_cache(maxsize=None)
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])
