"""The client page's wording and figures: the headline's plurals in four languages, carried hours and grace."""
from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
import tomli_w

from scheduler.config.models import parse_config
from scheduler.reports.i18n import texts
from scheduler.reports.source import ExportSource
from scheduler.web.app import templates
from scheduler.web.client_page import view
from scheduler.web.client_words import ClientWords
from tests.reports.support import CLIENTS, card
from tests.rules.support import at

NOW = at("2026-11-21T18:00:00+01:00")  # a Saturday: the weeks of 16-22 November
D = Decimal


@pytest.mark.parametrize("language,address,figures,expected", [
    ("en", "formal", (12, 20, 8), "12 of 20 hours used · 8 hours left · resets on December 1"),
    ("en", "formal", (0.5, 1, 0.5), "0.5 of 1 hour used · 0.5 hours left · resets on December 1"),
    ("fr", "formal", (1.5, 10, 8.5), "1,5 heure utilisée sur 10 · il reste 8,5 heures · renouvellement le 1 décembre"),
    ("fr", "informal", (12, 20, 8), "12 heures utilisées sur 20 · il reste 8 heures · renouvellement le 1 décembre"),
    ("es", "informal", (19, 20, 1), "19 de 20 horas usadas · queda 1 hora · se renueva el 1 de diciembre"),
    ("es", "formal", (2, 8, 6), "2 de 8 horas usadas · quedan 6 horas · se renueva el 1 de diciembre"),
    ("pl", "formal", (3, 22, 19), "Wykorzystano 3 z 22 godzin · zostało 19 godzin · odnowienie 1 grudnia"),
    ("pl", "informal", (1, 1.5, 0.5), "Wykorzystano 1 z 1,5 godziny · zostało 0,5 godziny · odnowienie 1 grudnia"),
    ("pl", "informal", (18, 20, 2), "Wykorzystano 18 z 20 godzin · zostały 2 godziny · odnowienie 1 grudnia"),
    ("pl", "formal", (5, 6, 1), "Wykorzystano 5 z 6 godzin · została 1 godzina · odnowienie 1 grudnia"),
])
def test_the_headline_reads_naturally_in_each_language(language, address, figures, expected):
    words = ClientWords(texts(language, address), address)
    used, available, remaining = (D(str(f)) for f in figures)
    assert words.headline(used, available, remaining, date(2026, 12, 1)) == expected


def test_the_address_form_follows_the_clients_setting():
    assert ClientWords(texts("fr", "formal"), "formal")("title") == "Votre forfait"
    assert ClientWords(texts("fr", "informal"), "informal")("title") == "Ton forfait"
    assert ClientWords(texts("es", "formal"), "formal")("in_plan") == "Incluido en su plan"
    assert ClientWords(texts("es", "informal"), "informal")("in_plan") == "Incluido en tu plan"
    assert ClientWords(texts("pl", "informal"), "informal")("title") == "Twój pakiet godzin"
    assert "Twój" not in ClientWords(texts("pl", "formal"), "formal")("title")   # impersonal, no Pan/Pani guess
    assert ClientWords(texts("fr", "formal"), "formal")("read_only").count("\u00a0:") == 1  # French spacing


# New cards, as these clients write them: last period's leftovers roll over, this period runs past the plan.
CARDS = {
    "Café Tortuga": [card("Boletín de octubre (solo el borrador)", "2026-10-06T09:00:00Z", hours=2),
                     card("Boletín de Navidad 🎄 — ¡con las tortugas!", "2026-11-03T09:00:00Z", hours=9),
                     card("publicaciones de **Instagram** del café, las de diciembre tb", "2026-11-05T09:00:00Z",
                          hours=6),
                     card("¿Puedes revisar las facturas de noviembre? 🙏", "2026-11-12T09:00:00Z")],
    "Harbor Lane Bakery": [card("newsletter for the pumpkin bread week", "2026-10-14T15:00:00Z", hours=4),
                           card("Send the sourdough newsletter!!", "2026-11-02T15:00:00Z", hours=19),
                           card("instagram post for black friday (not a discount for u, for our customers 😅)",
                                "2026-11-13T15:00:00Z", hours=3.5),
                           card("Can you fix our invoice template?", "2026-11-16T15:00:00Z")],
    "Zielony Ogród": [card("Wysłać newsletter o sadzonkach", "2026-11-09T09:00:00Z", hours=2),
                      card("newsletter o tulipanach – poprawki 🌷", "2026-11-17T09:00:00Z", hours=3)],
    "Maison Pivoine": [card("Newsletter de l'Avent (la version courte svp)", "2026-11-16T09:00:00Z", hours=11.5)],
}


def _config(**terms):
    clients = copy.deepcopy(CLIENTS)
    for client in clients:
        client["contract"].update(terms)
    clients[2]["address"] = "informal"   # Café Tortuga: tú
    return parse_config(tomli_w.dumps({"scopekeeper": {"timezone": "Europe/Warsaw", "signature": "Anna",
                                                      "contact": "anna@example.com"}, "clients": clients}))


def _page(config, name: str) -> tuple[dict, str]:
    shown = view(config, config.client(name), ExportSource(CARDS), NOW)
    return shown, templates().get_template("client_page.html").render(**shown)


def test_carried_hours_grace_and_extra_hours_are_shown_in_the_clients_words():
    config = _config(rollover="unused", grace_hours=1.5)
    # Café Tortuga, 8 h a month: 6 h unused in October carried in, 15 h used of 14, 1 h over, inside the grace.
    shown, html = _page(config, "Café Tortuga")
    assert " · ".join(shown["headline"]) == "15 de 14 horas usadas · quedan 0 horas · se renueva el 1 de diciembre"
    labels = dict(shown["figures"])
    assert labels["Acumuladas de periodos anteriores"] == "+6\u00a0h"
    assert labels["Disponibles en este periodo"] == "14\u00a0h"
    assert labels["Horas extra sin cargo por periodo"] == "1,5\u00a0h"
    assert "Horas extra" not in labels   # the 1 h over the plan is inside the grace: nothing billed
    assert shown["over"] == "1\u00a0h por encima del plan"
    assert '<html lang="es">' in html and "Tu plan" in html and "Tus solicitudes · noviembre de 2026" in html
    outcomes = [(r.title, r.outcome) for r in shown["requests"]]
    assert outcomes[0] == ("¿Puedes revisar las facturas de noviembre? 🙏", "Fuera de tu plan")
    assert ("Boletín de Navidad 🎄 — ¡con las tortugas!", "Incluido en tu plan") in outcomes
    assert shown["requests"][0].detail == "Contabilidad · Contacto recomendado: Gestoría López - lopez@example.es"
    assert not any("octubre" in title for title, _ in outcomes)   # last period's card is not this period's
    # Harbor Lane Bakery, 20 h: 16 h carried, 22.5 h used of 36: nothing extra; the invoice request is a referral.
    shown, html = _page(config, "Harbor Lane Bakery")
    assert " · ".join(shown["headline"]) == "22.5 of 36 hours used · 13.5 hours left · resets on December 1"
    assert "Extra-hours amount" not in dict(shown["figures"]) and shown["over"] is None
    assert "Recommended contact: Maria Lopez, bookkeeper - maria@example.com" in html
    assert "Prepared by Anna · anna@example.com" in html


def test_extra_hours_past_the_grace_are_billed_and_said_per_request():
    config = _config(grace_hours=0.5)
    # Maison Pivoine, 10 h a week: 11.5 h, 1.5 over, 0.5 not billed: 1 h at 40 EUR.
    shown, html = _page(config, "Maison Pivoine")
    assert " · ".join(shown["headline"]) == ("11,5 heures utilisées sur 10 · il reste 0 heure · renouvellement le "
                                 "23 novembre")
    labels = dict(shown["figures"])
    assert labels["Heures supplémentaires"] == "1\u00a0h" and "40,00" in labels["Montant des heures supplémentaires"]
    line = shown["requests"][0]
    assert line.outcome == "Compris dans votre forfait" and line.detail.endswith("(dont 1\u00a0h en plus)")
    assert "Votre forfait" in html and "Reportées" not in html   # no rollover: no carried line
    # Zielony Ogród, 6 h a week, nothing over: a Polish page in the impersonal form.
    shown, html = _page(config, "Zielony Ogród")
    assert " · ".join(shown["headline"]) == "Wykorzystano 3 z 6 godzin · zostały 3 godziny · odnowienie 23 listopada"
    assert [r.outcome for r in shown["requests"]] == ["W ramach pakietu"]
    assert '<html lang="pl">' in html
