"""The client page's own wording in English, French, Spanish and Polish, in the client's address form.

Figures, dates and the labels the client's report already has come from scheduler.reports.i18n.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale

from scheduler.reports.i18n import Texts

# Hour words by CLDR plural category; Polish needs the genitive after "z" ("z 20 godzin", "z 1,5 godziny").
HOUR = {"en": {"one": "hour", "other": "hours"}, "fr": {"one": "heure", "other": "heures"},
        "es": {"one": "hora", "other": "horas"},
        "pl": {"one": "godzina", "few": "godziny", "many": "godzin", "other": "godziny"}}
_PL_OF = {"one": "godziny", "few": "godzin", "many": "godzin", "other": "godziny"}
_PL_LEFT = {"one": "została", "few": "zostały", "many": "zostało", "other": "zostało"}

WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "Your plan", "in_plan": "In your plan", "outside": "Outside your plan",
           "extra": "{hours} extra", "requests": "Your requests · {period}",
           "none": "No requests yet in this period.", "grace": "Extra hours free of charge each period",
           "updated": "Updated {moment}", "over": "{hours} over the plan",
           "read_only": "This page is just for you: please do not share its address."},
    "fr": {"title": "Votre forfait", "in_plan": "Compris dans votre forfait", "outside": "Hors de votre forfait",
           "extra": "dont {hours} en plus", "requests": "Vos demandes · {period}",
           "none": "Aucune demande pour l'instant sur cette période.",
           "grace": "Heures supplémentaires offertes par période", "updated": "Mis à jour le {moment}",
           "over": "{hours} au-delà du forfait",
           "read_only": "Cette page vous est réservée : merci de ne pas partager son adresse."},
    "es": {"title": "Su plan", "in_plan": "Incluido en su plan", "outside": "Fuera de su plan",
           "extra": "{hours} extra", "requests": "Sus solicitudes · {period}",
           "none": "Todavía no hay solicitudes en este periodo.",
           "grace": "Horas extra sin cargo por periodo", "updated": "Actualizado: {moment}",
           "over": "{hours} por encima del plan",
           "read_only": "Esta página es solo para usted: por favor, no comparta su dirección."},
    "pl": {"title": "Pakiet godzin", "in_plan": "W ramach pakietu", "outside": "Poza pakietem",
           "extra": "w tym {hours} ponad pakiet", "requests": "Zlecenia · {period}",
           "none": "W tym okresie nie ma jeszcze zleceń.",
           "grace": "Godziny ponad pakiet bez opłaty (na okres)", "updated": "Stan na {moment}",
           "over": "{hours} ponad pakiet",
           "read_only": "Ta strona jest przeznaczona tylko dla odbiorcy linku: prosimy nie udostępniać jej adresu."},
}
INFORMAL: dict[str, dict[str, str]] = {
    "en": {},
    "fr": {"title": "Ton forfait", "in_plan": "Compris dans ton forfait", "outside": "Hors de ton forfait",
           "requests": "Tes demandes · {period}",
           "read_only": "Cette page t'est réservée : merci de ne pas partager son adresse."},
    "es": {"title": "Tu plan", "in_plan": "Incluido en tu plan", "outside": "Fuera de tu plan",
           "requests": "Tus solicitudes · {period}",
           "read_only": "Esta página es solo para ti: por favor, no compartas su dirección."},
    "pl": {"title": "Twój pakiet godzin", "in_plan": "W ramach Twojego pakietu", "outside": "Poza Twoim pakietem",
           "requests": "Twoje zlecenia · {period}",
           "read_only": "Ta strona jest tylko dla Ciebie: nie udostępniaj jej adresu."},
}
# Shown for an unknown, revoked or malformed link alike (the page cannot know whose language to use).
NOT_FOUND = ("This page does not exist or is no longer shared.",
             "Cette page n'existe pas ou n'est plus partagée.",
             "Esta página no existe o ya no se comparte.",
             "Ta strona nie istnieje lub nie jest już udostępniana.")


class ClientWords:
    """One client's wording: words('key', name=value), and the headline with the language's plurals."""

    def __init__(self, texts: Texts, address: str) -> None:
        self.t, self.language = texts, texts.language
        self._words = {**WORDS[self.language], **(INFORMAL[self.language] if address == "informal" else {})}
        rule = Locale.parse(self.language).plural_form
        # 3.0 hours is "3 godziny", not the fraction's form: whole numbers are counted as integers.
        self._plural = lambda value: rule(int(value) if value == int(value) else value.normalize())

    def __call__(self, key: str, **values: object) -> str:
        return self.t.typeset(self._words[key]).format(**values)

    def headline(self, used: Decimal, available: Decimal, remaining: Decimal, resets: date) -> str:
        """'12 of 20 hours used · 8 hours left · resets on December 1', in the client's language."""
        return " · ".join(self.headline_parts(used, available, remaining, resets))

    def headline_parts(self, used: Decimal, available: Decimal, remaining: Decimal,
                       resets: date) -> tuple[str, str, str]:
        """The headline's three facts: hours used of available, hours left, the reset date."""
        n, day = self.t.number, self.t.day(resets)
        hours = HOUR[self.language]
        if self.language == "fr":
            used_form = self._plural(used)
            parts = (f"{n(used)} {hours[used_form]} utilisée{'s' if used_form != 'one' else ''} sur {n(available)}",
                     f"il reste {n(remaining)} {hours[self._plural(remaining)]}",
                     f"renouvellement le {day}")
        elif self.language == "es":
            of = self._plural(available)
            left = self._plural(remaining)
            parts = (f"{n(used)} de {n(available)} {hours[of]} usada{'s' if of != 'one' else ''}",
                     f"{'queda' if left == 'one' else 'quedan'} {n(remaining)} {hours[left]}",
                     f"se renueva el {day}")
        elif self.language == "pl":
            left = self._plural(remaining)
            parts = (f"Wykorzystano {n(used)} z {n(available)} {_PL_OF[self._plural(available)]}",
                     f"{_PL_LEFT[left]} {n(remaining)} {hours[left]}", f"odnowienie {day}")
        else:
            parts = (f"{n(used)} of {n(available)} {hours[self._plural(available)]} used",
                     f"{n(remaining)} {hours[self._plural(remaining)]} left", f"resets on {day}")
        return parts
