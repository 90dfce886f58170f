"""Reports in the VA's voice: fully in the report's language, a client version ready to forward (plain dates,
city time zones, the VA's name, the work done), one weekly digest for the VA, the client's own email, and
invoice CSVs in the locale's conventions."""
from __future__ import annotations

import csv
import io
import re
import tomllib
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomli_w
from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.config.models import parse_config
from scheduler.reports.documents import client_documents, practice_documents
from scheduler.reports.model import CLIENT, client_report, practice_report
from scheduler.reports.weekly import send_weekly_reports
from tests.reports.support import (
    CLIENTS,
    MONDAY_AFTER,
    PASSWORD_ENV,
    QUIET_SMTP,
    SMTP_PASSWORD,
    WEEK,
    StatusSource,
    card,
    practice_source,
    practice_toml,
    smtp_server,
)

pytestmark = QUIET_SMTP


def config(language: str = "en", *, clients: dict[str, dict] | None = None, smtp_port: int | None = None,
           signature: str | None = "Anna Nowak", contact: str | None = "anna@example.com · +48 600 100 200"):
    data = tomllib.loads(practice_toml(language, smtp_port=smtp_port))
    data["scopekeeper"] |= {k: v for k, v in (("signature", signature), ("contact", contact)) if v}
    for client in data["clients"]:
        client.update((clients or {}).get(client["name"], {}))
    return parse_config(tomli_w.dumps(data))


def visible(html: str) -> str:
    """The HTML's text; no-break spaces kept (collapse would turn them into spaces)."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&")
    return "\n".join(" ".join(re.split(r"[ \t\r\n]+", line.strip())) for line in text.split("\n") if line.strip())


def squeeze(text: str) -> str:
    return "\n".join(" ".join(re.split(r"[ \t]+", line.strip())) for line in text.splitlines() if line.strip())


def va_report(language: str, client: str = "Harbor Lane Bakery"):
    c = config(language)
    return client_documents(client_report(c, c.client(client), practice_source(), WEEK, MONDAY_AFTER),
                            ["html", "markdown"], "x")


# The rules' evidence, as `scan --format json` gives it: never in a French, Spanish or Polish report.
ENGLISH_EVIDENCE = ("no service, category or label matched", "keyword '", "in title", "h from field",
                    "outside business hours", "created fri", "no description and a", "Prepared with")
EVIDENCE = {
    "fr": ["aucun service, aucune catégorie ni étiquette ne correspond",
           "demande de réduction\u00a0: «\u00a0discount\u00a0» dans le titre", "délai urgent\u00a0: «\u00a0ASAP\u00a0»"],
    "es": ["no coincide ningún servicio, categoría ni etiqueta", "petición de descuento: «discount» en el título",
           "plazo urgente: «ASAP» en el título"],
    "pl": ["nie pasuje żadna usługa, kategoria ani etykieta", "prośba o zniżkę: „discount” – tytuł",
           "pilny termin: „ASAP” – tytuł"],
    "en": ["no service, category or label matched", "discount request: “discount” in the title"],
}


@pytest.mark.parametrize("language", sorted(EVIDENCE))
def test_evidence_lines_are_in_the_report_s_language(language: str) -> None:
    documents = va_report(language)
    for shown in (" ".join(visible(documents.html).split("\n")), squeeze(documents.text)):
        for phrase in EVIDENCE[language]:
            assert phrase in shown, (language, phrase)
        if language != "en":
            assert not [e for e in ENGLISH_EVIDENCE if e in shown], language


@pytest.mark.parametrize("language, after_hours", [
    ("en", "sent after hours: created Thu November 19 9:30\u202fPM (CET), outside business hours (Mon, Tue, Wed, Thu, Fri"),
    ("fr", "envoyée hors horaires\u00a0: créée le jeu. 19 novembre 21:30 (CET), hors horaires (lun., mar., mer., jeu."),
    ("es", "fuera de horario: creada el jue 19 de noviembre 21:30 (CET), fuera del horario (lun, mar, mié, jue, vie"),
    ("pl", "poza godzinami pracy: utworzono czw. 19 listopada 21:30 (CET), poza godzinami pracy (pon., wt., śr."),
])
def test_after_hours_evidence_names_the_day_and_time_in_words(language: str, after_hours: str) -> None:
    assert after_hours in squeeze(va_report(language, "Zielony Ogród").text)


CLIENT_VERSION = {
    "Harbor Lane Bakery": ["Here is where your plan stands (November 2026).", "(New York time)",
                           "Work done this period", "Send the sourdough newsletter", "Newsletter · 8\u00a0h",
                           "Plan used up", "on November 9", "Prepared by Anna Nowak · anna@example.com"],
    "Maison Pivoine": ["Voici où en est votre forfait (16–22 novembre 2026).", "(heure de Paris)",
                       "Travail réalisé sur la période", "Réseaux sociaux · 6\u00a0h",
                       "Forfait épuisé", "le 17 novembre", "Préparé par Anna Nowak"],
    "Café Tortuga": ["Así va su plan (noviembre de 2026).", "(hora de Madrid)", "Trabajo realizado en el periodo",
                     "Boletín · 5\u00a0h", "Plan agotado", "el 5 de noviembre", "Preparado por Anna Nowak"],
    "Zielony Ogród": ["Oto stan pakietu (16–22 listopada 2026).", "(czas: Warszawa)", "Prace wykonane w tym okresie",
                      "Newsletter · 4\u00a0godz.", "Pakiet wyczerpany", "17 listopada", "Opracowanie: Anna Nowak"],
}


@pytest.mark.parametrize("client", sorted(CLIENT_VERSION))
def test_the_client_version_is_ready_to_forward(client: str) -> None:
    c = config("en")
    report = client_report(c, c.client(client), practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT)
    documents = client_documents(report, ["html", "markdown"], "x")
    for shown in (" ".join(visible(documents.html).split("\n")), " ".join(squeeze(documents.text).split("\n"))):
        for phrase in CLIENT_VERSION[client]:
            assert phrase in shown, (client, phrase)
        # No ISO week, no IANA zone, no tool name, no ‘used up: used up on’.
        assert "2026-W47" not in shown and "Europe/" not in shown and "America/" not in shown
        assert "ScopeKeeper" not in shown and "W47" not in documents.subject
        assert not re.search(r"(épuisé|agotado|wyczerpany|used up)\W+\w*\W*(épuisé|agotado|wyczerpany|used up)",
                             shown)


def test_the_client_sees_no_comparison_with_a_period_that_was_not_tracked() -> None:
    c = config("en")
    tracked = client_report(c, c.client("Harbor Lane Bakery"), practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT)
    untracked = client_report(c, c.client("Maison Pivoine"), practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT)
    assert tracked.previous_tracked and not untracked.previous_tracked
    assert "Compared with the previous period (October 2026)" in client_documents(tracked, ["markdown"], "x").text
    assert "Compar" not in client_documents(untracked, ["markdown"], "x").text
    assert "Compar" not in va_report("en", "Maison Pivoine").text  # nor does the VA: 0 h would be a lie


@pytest.mark.parametrize("address, polish, french", [
    ("formal", "Oto stan pakietu", "Voici où en est votre forfait"),
    ("informal", "Oto stan Twojego pakietu", "Voici où en est ton forfait"),
])
def test_the_client_version_follows_the_client_s_form_of_address(address: str, polish: str, french: str) -> None:
    c = config(clients={"Zielony Ogród": {"address": address}, "Maison Pivoine": {"address": address}})
    for name, phrase in (("Zielony Ogród", polish), ("Maison Pivoine", french)):
        report = client_report(c, c.client(name), practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT)
        text = client_documents(report, ["markdown"], "x").text
        assert phrase in text and (address == "informal") == ("Twojego" in text or " ton " in text)


def test_french_reports_use_french_spacing() -> None:
    page = va_report("fr").html + va_report("fr").text
    assert "\u00a0:" in page and "«\u00a0" in page and "\u00a0»" in page
    assert not re.search(r"\w :|« | »| ;", page)


def csv_rows(data: bytes, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize("language, delimiter, decimal", [("en", ",", "."), ("fr", ";", ","), ("es", ";", ","),
                                                          ("pl", ";", ",")])
def test_the_invoice_csv_follows_the_locale_and_reads_back(language: str, delimiter: str, decimal: str) -> None:
    c = config(language)
    source = StatusSource({"Maison Pivoine": [
        card("Newsletter; de la semaine", "2026-11-16T09:00:00Z", hours=10),
        card("Instagram, stories \"Avent\"", "2026-11-17T09:00:00Z", hours=1.5),
        card("Newsletter 1,5 h de plus", "2026-11-18T09:00:00Z", hours=0.25)]})
    reports = [client_report(c, c.client("Maison Pivoine"), source, WEEK, MONDAY_AFTER)]
    data = practice_documents(practice_report(c, WEEK, reports), ["csv"]).files["practice.csv"]
    rows = csv_rows(data, delimiter)
    assert [r["card"] for r in rows] == ["Instagram, stories \"Avent\"", "Newsletter 1,5 h de plus"]
    assert [Decimal(r["amount"].replace(decimal, ".")) for r in rows] == [Decimal("60.00"), Decimal("10.00")]
    assert [r["extra_hours"] for r in rows] == [f"1{decimal}5", f"0{decimal}25"]
    assert data.decode("utf-8-sig").splitlines()[0].count(delimiter) == 8


@pytest.fixture(autouse=True)
def smtp_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)


def test_for_client_send_goes_to_the_client_from_the_va_s_name(tmp_path: Path) -> None:
    with smtp_server("none") as (inbox, port):
        c = {"Maison Pivoine": {"email": ["claire@pivoine.example", "compta@pivoine.example"], "address": "informal"}}
        data = tomllib.loads(practice_toml("en", smtp_port=port, state_url=f"sqlite:///{tmp_path / 'state.db'}"))
        data["scopekeeper"]["signature"] = "Anna Nowak"
        for client in data["clients"]:
            client.update(c.get(client["name"], {}))
        path = tmp_path / "scopekeeper.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        sent = CliRunner().invoke(cli, ["report", "--config", str(path), "--client", "Maison Pivoine", "--for-client",
                                        "--send", "--week", "2026-W47", "--out", str(tmp_path / "out")])
        refused = CliRunner().invoke(cli, ["report", "--config", str(path), "--client", "Café Tortuga",
                                           "--for-client", "--send", "--week", "2026-W47", "--out", str(tmp_path)])
    assert sent.exit_code == 0, sent.output
    assert "sent 1 email(s) to claire@pivoine.example, compta@pivoine.example" in sent.output
    assert inbox.envelopes == [("reports@example.com", ["claire@pivoine.example", "compta@pivoine.example"])]
    mail = inbox.messages[0]
    assert mail["From"] == "Anna Nowak <reports@example.com>"
    assert mail["Subject"] == "Récapitulatif de ton forfait\u00a0: Maison Pivoine · 16–22 novembre 2026"
    assert refused.exit_code == 2 and "no email for: Café Tortuga" in refused.output


def test_the_weekly_job_sends_the_va_one_digest_and_each_chosen_client_their_report(tmp_path: Path) -> None:
    from scheduler.store import open_store

    with smtp_server("none") as (inbox, port):
        c = config(smtp_port=port, clients={"Café Tortuga": {"email": "hola@tortuga.example", "send_report": True}})
        store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
        monday = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
        produced = send_weekly_reports(c, store, monday, out_dir=tmp_path)
        again = send_weekly_reports(c, store, monday, out_dir=tmp_path)
        store.close()
    assert again == []
    assert [p.target for p in produced] == [f"client:{x['name']}" for x in CLIENTS] + [
        "practice", "for-client:Café Tortuga"]
    assert all(p.emailed for p in produced)
    assert sorted((m["Subject"], m["To"]) for m in inbox.messages) == [
        ("Practice summary · 2026-W47", "va@example.com"),
        ("Resumen de su plan: Café Tortuga · 16–22 de noviembre de 2026", "hola@tortuga.example")]
    assert (tmp_path / "2026-W47" / "for-client" / "cafe-tortuga.html").is_file()
    assert len(list((tmp_path / "2026-W47" / "clients").glob("*.html"))) == len(CLIENTS)  # files stay on disk
