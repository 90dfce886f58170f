"""The reports of every language in a real Chromium at 375 and 1280 px: client versions, VA reports and the
weekly digest fit the screen, show the chart, and read in their own language."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
import tomli_w

from scheduler.config.models import parse_config
from scheduler.reports.documents import client_documents, digest_documents, file_stems, practice_documents
from scheduler.reports.model import CLIENT, client_report, practice_report
from tests.reports.support import (
    DESKTOP,
    MONDAY_AFTER,
    OVERFLOWING,
    PHONE,
    WEEK,
    collapse,
    practice_source,
    practice_toml,
)

CHARTS = """() => Array.from(document.querySelectorAll('svg'))
  .map(c => [c.viewBox.baseVal.width, c.getBoundingClientRect().width])"""
# Where to keep the screenshots for a person to look at (SCOPEKEEPER_SCREENSHOTS), else the test's tmp folder.
SHOTS = os.environ.get("SCOPEKEEPER_SCREENSHOTS")
CLIENT_OF = {"en": "Harbor Lane Bakery", "fr": "Maison Pivoine", "es": "Café Tortuga", "pl": "Zielony Ogród"}
WORK = {"en": "Work done this period", "fr": "Travail réalisé sur la période", "es": "Trabajo realizado en el periodo",
        "pl": "Prace wykonane w tym okresie"}
DIGEST = {"en": "Practice summary", "fr": "Vue d'ensemble de l'activité", "es": "Resumen de la actividad",
          "pl": "Podsumowanie działalności"}

pytestmark = pytest.mark.slow  # Chromium


def _config(language: str):
    data = tomllib.loads(practice_toml(language))
    data["scopekeeper"] |= {"signature": "Anna Nowak", "contact": "anna@example.com · +48 600 100 200"}
    return parse_config(tomli_w.dumps(data))


def _pages(language: str, folder: Path) -> dict[str, Path]:
    """The client version of the client writing `language`, the VA's report on it, and the digest, in `language`."""
    config = _config(language)
    stems = file_stems(c.name for c in config.clients)
    client = config.client(CLIENT_OF[language])
    va = [client_report(config, c, practice_source(), WEEK, MONDAY_AFTER) for c in config.clients]
    own = client_report(config, client, practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT)
    for report in (own, *va):
        client_documents(report, ["html"], stems[report.client]).write(folder)
    practice = practice_report(config, WEEK, va)
    digest = digest_documents(practice, practice_documents(practice, ["html"]))
    (folder / "digest.html").write_text(digest.html, encoding="utf-8")  # as a mail program shows it
    stem = stems[client.name]
    return {"client": folder / f"for-client/{stem}.html", "va": folder / f"clients/{stem}.html",
            "digest": folder / "digest.html"}


@pytest.mark.parametrize("language", ["en", "fr", "es", "pl"])
@pytest.mark.parametrize("device", ["375", "1280"])
def test_every_report_fits_the_screen_in_every_language(browser, language: str, device: str, tmp_path: Path) -> None:
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    for kind, path in _pages(language, tmp_path / language).items():
        page = browser.new_context(**(PHONE if device == "375" else DESKTOP)).new_page()
        page.goto(path.as_uri())
        page.screenshot(path=str(shots / f"{language}-{kind}-{device}.png"), full_page=True)
        text = collapse(page.inner_text("body"))
        assert page.evaluate(OVERFLOWING) == [], (language, kind)
        assert page.evaluate("document.documentElement.scrollWidth") <= int(device)
        charts = page.evaluate(CHARTS)
        assert charts and all(natural > 0 and 300 <= shown <= 600 for natural, shown in charts), charts
        if kind == "client":
            assert WORK[language] in text and "Anna Nowak" in text and "ScopeKeeper" not in text
            assert "W47" not in text and "Europe/" not in text and "America/" not in text
        if kind == "digest":
            assert text.index(DIGEST[language]) < min(text.index(name) for name in CLIENT_OF.values())
            assert len(charts) == len(CLIENT_OF)
