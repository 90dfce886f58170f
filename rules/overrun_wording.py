"""Wording of the comment for extra hours an overrun rollover takes from the next period (not billed)."""
from __future__ import annotations

# Keyed by (language, form of address), like the other comment texts; neutral about whether the work is done.
OVERRUN: dict[tuple[str, str], str] = {
    ("en", "formal"): (
        "Happy to take this on! With this task, the work for {this_period} goes {extra_hours} beyond the "
        "{contracted_hours} available in your plan. As our agreement provides, that time isn't billed as extra: "
        "it comes out of your hours for {next_period}."),
    ("fr", "formal"): (
        "Avec plaisir ! Avec cette tâche, le travail pour {this_period} dépasse de {extra_hours} les "
        "{contracted_hours} disponibles dans votre forfait. Comme le prévoit notre contrat, ce temps n'est pas "
        "facturé en supplément : il sera décompté {next_period} sur les heures de votre forfait."),
    ("fr", "informal"): (
        "Avec plaisir ! Avec cette tâche, le travail pour {this_period} dépasse de {extra_hours} les "
        "{contracted_hours} disponibles dans ton forfait. Comme le prévoit notre contrat, ce temps n'est pas "
        "facturé en supplément : il sera décompté {next_period} sur les heures de ton forfait."),
    ("es", "formal"): (
        "¡Con mucho gusto me encargo! Con esta tarea, el trabajo {this_period} supera en {extra_hours} las "
        "{contracted_hours} disponibles en su plan. Tal como prevé nuestro acuerdo, ese tiempo no se factura "
        "aparte: se descontará de sus horas para {next_period}."),
    ("es", "informal"): (
        "¡Con mucho gusto me encargo! Con esta tarea, el trabajo {this_period} supera en {extra_hours} las "
        "{contracted_hours} disponibles en tu plan. Tal como prevé nuestro acuerdo, ese tiempo no se factura "
        "aparte: se descontará de tus horas para {next_period}."),
    ("pl", "formal"): (
        "Chętnie się tym zajmę! Z tym zadaniem praca na {this_period} wykracza o {extra_hours} poza limit "
        "{contracted_hours} dostępny w pakiecie. Zgodnie z umową ten czas nie jest fakturowany dodatkowo: "
        "zostanie odliczony od godzin na {next_period}."),
    ("pl", "informal"): (
        "Chętnie się tym zajmę! Z tym zadaniem praca na {this_period} wykracza o {extra_hours} poza limit "
        "{contracted_hours} dostępny w Twoim pakiecie. Zgodnie z umową ten czas nie jest fakturowany dodatkowo: "
        "zostanie odliczony od Twoich godzin na {next_period}."),
}
OVERRUN[("en", "informal")] = OVERRUN[("en", "formal")]
