"""Rollover balances in the VA's and the client's reports, in four languages."""
from __future__ import annotations

import copy

import pytest
import tomli_w

from scheduler.config.models import parse_config
from scheduler.reports.html import client_html
from scheduler.reports.markdown import client_markdown
from scheduler.reports.model import CLIENT, VA, client_report
from scheduler.reports.source import ExportSource
from scheduler.reports.weeks import parse_week
from tests.reports.support import CLIENTS, card, practice_cards, sections, shows
from tests.rules.support import at

WEEK = parse_week("2026-W47")
NOW = at("2026-11-23T08:00:00+01:00")


def _config(rollover: str, **terms):
    clients = copy.deepcopy(CLIENTS)
    for client in clients:
        client["contract"].update(rollover=rollover, **terms)
    return parse_config(tomli_w.dumps({"scopekeeper": {"timezone": "Europe/Warsaw", "language": "en"},
                                       "clients": clients}))


def test_the_vas_report_shows_carried_and_available_hours():
    config = _config("unused")
    report = client_report(config, config.client("Harbor Lane Bakery"), ExportSource(practice_cards()), WEEK, NOW)
    assert (report.carried_in, report.available, report.used, report.remaining) == (15, 35, 24, 11)
    hours = sections(client_markdown(report))["Hours this period"]
    assert shows(hours, "Carried over from earlier periods", "+15 h")
    assert shows(hours, "Available this period", "35 h") and shows(hours, "Remaining", "11 h")
    plain = _config("none")
    unchanged = client_report(plain, plain.client("Harbor Lane Bakery"), ExportSource(practice_cards()), WEEK, NOW)
    assert unchanged.remaining == 0 and "Carried over" not in client_markdown(unchanged)


CAFE = {
    "Café Tortuga": [card("Boletín de octubre (solo el borrador)", "2026-10-06T09:00:00Z", hours=2),
                     card("Boletín de las tortugas de noviembre 🐢", "2026-11-03T09:00:00Z", hours=9),
                     card("Publicaciones de Instagram del café, ¡las de Navidad también!", "2026-11-05T09:00:00Z",
                          hours=7)],
    "Maison Pivoine": [card("Newsletter de l'Avent", "2026-11-16T09:00:00Z", hours=12)],
    "Zielony Ogród": [card("Wysłać newsletter o sadzonkach", "2026-11-09T09:00:00Z", hours=2),
                      card("newsletter o tulipanach – poprawki", "2026-11-17T09:00:00Z", hours=7)],
}


@pytest.mark.parametrize("client,language,expected", [
    # Café Tortuga (8 h a month): 2 h used in October, 6 carried; 16 h used of 14 in November, 2 h owed.
    ("Café Tortuga", "es", [("Acumuladas de periodos anteriores", "+6 h"), ("Disponibles en este periodo", "14 h"),
                            ("Descontadas de las horas del próximo periodo", "2 h"), ("Restantes", "0 h"),
                            ("Plan agotado", "el 5 de noviembre")]),
    # Zielony Ogród (6 h a week): 2 h used the week before, 4 carried; 7 h of 10 used, not run out.
    ("Zielony Ogród", "pl", [("Przeniesione z poprzednich okresów", "+4 godz."),
                             ("Dostępne w tym okresie", "10 godz."), ("Pozostało", "3 godz.")]),
    # Maison Pivoine (10 h a week): nothing before, 12 h used: 2 h owed to the next week.
    ("Maison Pivoine", "fr", [("Reportées des périodes précédentes", "0 h"), ("Disponibles sur la période", "10 h"),
                              ("Décomptées des heures de la période suivante", "2 h")]),
])
def test_the_clients_report_shows_them_in_the_clients_language(client, language, expected):
    config = _config("both")
    report = client_report(config, config.client(client), ExportSource(CAFE), WEEK, NOW, audience=CLIENT)
    assert report.language == language
    hours = next(iter(sections(client_markdown(report)).values()))
    for label, value in expected:
        assert shows(hours, label, value), (label, value, hours)
    if language == "pl":  # the plan with its carried hours has not run out, though the week's 6 h have
        assert "Pakiet wyczerpany" not in hours
    va = client_report(config, config.client(client), ExportSource(CAFE), WEEK, NOW, audience=VA)
    assert (va.available, va.carried_in, va.owed) == (report.available, report.carried_in, report.owed)
    html = client_html(report, "chart.png")
    for label, value in expected[:2]:
        assert label in html and value in " ".join(html.replace("\u202f", " ").replace("\xa0", " ").split())
