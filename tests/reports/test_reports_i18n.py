"""Report wording: four languages, the VA's for VA reports, the client's for client-safe ones; Markdown escaping."""
from __future__ import annotations

import re
import string

import pytest

from scheduler.reports.documents import client_documents, practice_documents
from scheduler.reports.i18n import STRINGS
from scheduler.reports.model import CLIENT, client_report, practice_report
from tests.reports.support import MONDAY_AFTER, WEEK, StatusSource, card, collapse, practice_config, practice_source

# What the VA report on the Polish client says, in each language the VA may read (CLDR names the
# złoty "PLN" outside Polish).
VA_REPORT = {
    "en": ["Scope report: Zielony Ogród", "Hours this period", "Used 7 h", "To bill PLN110.00",
           "Out-of-scope requests", "Strategia · consultation offered · comment not sent", "urgent deadline",
           "sent after hours", "Needs your review", "Red flags"],
    "fr": ["Rapport de périmètre : Zielony Ogród", "Heures sur la période", "Utilisées 7 h", "À facturer 110,00 PLN",
           "Demandes hors périmètre", "Strategia · consultation proposée · commentaire non envoyé", "délai urgent",
           "envoyée hors horaires", "À examiner", "Signaux d'alerte"],
    "es": ["Informe de alcance: Zielony Ogród", "Horas del periodo", "Usadas 7 h", "A facturar 110,00 PLN",
           "Solicitudes fuera del alcance", "Strategia · consulta ofrecida · comentario no enviado", "plazo urgente",
           "fuera de horario", "Por revisar", "Señales de alerta"],
    "pl": ["Raport zakresu prac: Zielony Ogród", "Godziny w tym okresie", "Wykorzystane 7 godz.",
           "Do zafakturowania 110,00 zł", "Zlecenia spoza zakresu",
           "Strategia · zaproponowano konsultację · komentarz niewysłany", "pilny termin", "poza godzinami pracy",
           "Do przejrzenia", "Sygnały ostrzegawcze"],
}
PRACTICE = {"en": "Practice summary", "fr": "Vue d'ensemble de l'activité", "es": "Resumen de la actividad",
            "pl": "Podsumowanie działalności"}
# The client-safe report of each client: its own language, what it may see, none of the VA's notes.
CLIENT_SAFE = {
    "Harbor Lane Bakery": ("Service summary: Harbor Lane Bakery", "Available as a consultation; book a time here:"),
    "Maison Pivoine": ("Récapitulatif de votre forfait : Maison Pivoine", "Contact recommandé : Julie Petit"),
    "Café Tortuga": ("Resumen de su plan: Café Tortuga", "Contacto recomendado: Gestoría López"),
    "Zielony Ogród": ("Podsumowanie pakietu: Zielony Ogród",
                      "Możliwe w ramach konsultacji; termin można zarezerwować tutaj: https://book.example/pl"),
}
# Wording only VA reports use: flag names, comment statuses, the review list, how requests were answered.
INTERNAL = {text for strings in STRINGS.values() for key, text in strings.items()
            if key.startswith(("flag_", "status_", "review_", "flags_heading", "response_")) and "{" not in text}


def _visible(html: str) -> str:
    """The HTML's text without tags (enough for wording checks; the browser tests render it for real)."""
    return collapse(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&"))


def test_every_language_has_every_string_with_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for language, strings in STRINGS.items():
        assert strings.keys() == STRINGS["en"].keys(), language
        for key, text in strings.items():
            assert fields(text) == fields(STRINGS["en"][key]), (language, key)
            if language != "en":
                assert text != STRINGS["en"][key] or key in ("hours_unit", "total"), (language, key)


@pytest.mark.parametrize("language", sorted(VA_REPORT))
def test_va_reports_are_in_the_vas_language(language: str) -> None:
    config = practice_config(language)
    report = client_report(config, config.client("Zielony Ogród"), practice_source(), WEEK, MONDAY_AFTER)
    documents = client_documents(report, ["html", "markdown"], "zielony-ogrod")
    page = _visible(documents.html)
    for phrase in VA_REPORT[language]:
        assert phrase in page, (language, phrase)
    headings = [VA_REPORT[language][i] for i in (1, 4, 8, 9)]
    assert all(f"\n## {heading}\n" in documents.text for heading in headings)  # the plain-text email too
    others = [VA_REPORT[other][1] for other in VA_REPORT if other != language]
    assert not any(heading in page for heading in others)
    reports = [client_report(config, c, practice_source(), WEEK, MONDAY_AFTER) for c in config.clients]
    assert PRACTICE[language] in practice_documents(practice_report(config, WEEK, reports), ["html"]).subject


@pytest.mark.parametrize("client", sorted(CLIENT_SAFE))
def test_client_safe_reports_are_in_the_clients_language_without_internal_notes(client: str) -> None:
    config = practice_config("en")
    report = client_report(config, config.client(client), practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT)
    documents = client_documents(report, ["html", "markdown", "csv"], "client")
    title, request = CLIENT_SAFE[client]
    for shown in (_visible(documents.html), collapse(documents.text)):
        assert title in shown and request in shown
        assert not [phrase for phrase in INTERNAL if phrase in shown], client
        assert "keyword" not in shown and "in title" not in shown  # the rules' evidence


def test_markdown_escapes_what_clients_write_and_the_plain_text_email_keeps_it() -> None:
    config = practice_config()
    title = "Instagram *launch* [draft] | urgent_ish #1"
    source = StatusSource({"Maison Pivoine": [card("Newsletter de la semaine", "2026-11-16T09:00:00Z", hours=10),
                                              card(title, "2026-11-17T09:00:00Z", hours=1)]})
    report = client_report(config, config.client("Maison Pivoine"), source, WEEK, MONDAY_AFTER)
    documents = client_documents(report, ["markdown"], "maison-pivoine")
    markdown = documents.files["clients/maison-pivoine.md"].decode()
    assert r"[Instagram \*launch\* \[draft\] \| urgent\_ish \#1](https://trello.com/c/" in markdown
    assert f"[{title}](https://trello.com/c/" in documents.text
