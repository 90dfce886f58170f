"""The HTML reports in a real headless Chromium: what a phone and a desktop show, and nothing overflowing."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.reports.documents import client_documents, file_stems, practice_documents
from scheduler.reports.model import CLIENT, client_report, practice_report
from tests.reports.support import (
    DESKTOP,
    MONDAY_AFTER,
    OVERFLOWING,
    PHONE,
    WEEK,
    collapse,
    practice_config,
    practice_source,
)

CHART_SIZE = """() => { const c = document.querySelector('svg'); const box = c.viewBox.baseVal;
  return [box.width, box.height, c.getBoundingClientRect().width, c.getBoundingClientRect().height]; }"""

pytestmark = pytest.mark.slow  # Chromium


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The practice's HTML files as `scopekeeper report` writes them."""
    folder = tmp_path_factory.mktemp("reports")
    config = practice_config()
    stems = file_stems(c.name for c in config.clients)
    va = [client_report(config, c, practice_source(), WEEK, MONDAY_AFTER) for c in config.clients]
    pivoine = client_report(config, config.client("Maison Pivoine"), practice_source(), WEEK, MONDAY_AFTER,
                            audience=CLIENT)
    documents = [client_documents(r, ["html"], stems[r.client]) for r in [*va, pivoine]]
    documents.append(practice_documents(practice_report(config, WEEK, va), ["html"]))
    for d in documents:
        d.write(folder)
    return {"bakery": folder / "clients/harbor-lane-bakery.html", "pivoine": folder / "for-client/maison-pivoine.html",
            "practice": folder / "practice.html"}


def _open(browser, path: Path, device: dict, screenshot: Path):
    page = browser.new_context(**device).new_page()
    page.goto(path.as_uri())
    page.screenshot(path=str(screenshot), full_page=True)
    return page


def test_client_report_reads_on_a_phone(browser, reports, tmp_path: Path) -> None:
    page = _open(browser, reports["bakery"], PHONE, tmp_path / "bakery-375.png")
    text = collapse(page.inner_text("body"))
    assert "Scope report: Harbor Lane Bakery" in text
    assert "Used 24 h" in text and "Contracted 20 h" in text and "Extra hours 4 h" in text
    assert "To bill $180.00" in text and "Plan used up on November 9" in text
    assert "Facebook event for the rye tasting" in text and "1 h × $45.00 = $45.00" in text
    assert "Plan a content strategy for the bakery" in text and "Content strategy · consultation offered" in text
    assert "Bookkeeping · referred to Maria Lopez, bookkeeper - maria@example.com" in text
    assert "Croissants ASAP" in text and "urgent deadline" in text and "vague request" in text
    assert "Hours used 24 h 5 h +19 h" in text  # against October
    assert "Newsletter for the December fair" not in text  # created after the report's week

    natural_width, natural_height, width, height = page.evaluate(CHART_SIZE)
    assert natural_width > 0 and natural_height > 0 and page.locator("svg").is_visible()
    assert 300 <= width <= 375 and height > 100
    assert abs(height / width - natural_height / natural_width) < 0.01  # scaled, not squashed
    chart = collapse(page.locator("svg").text_content())
    assert "Hours used" in chart and "Contracted" in chart and "Nov 1" in chart
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert (tmp_path / "bakery-375.png").stat().st_size > 10_000


def test_links_lead_to_the_cards(browser, reports, tmp_path: Path) -> None:
    page = _open(browser, reports["bakery"], DESKTOP, tmp_path / "bakery-desktop.png")
    link = page.get_by_role("link", name="Croissants ASAP").first
    assert link.get_attribute("href").startswith("https://trello.com/c/")
    assert page.locator("script").count() == 0


def test_client_report_on_a_desktop_keeps_a_readable_width(browser, reports, tmp_path: Path) -> None:
    page = _open(browser, reports["bakery"], DESKTOP, tmp_path / "bakery-1280.png")
    _, _, width, _ = page.evaluate(CHART_SIZE)
    assert width == 600
    sheet = page.evaluate("document.querySelector('h1').closest('table').getBoundingClientRect().width")
    assert 600 < sheet <= 640


def test_client_safe_report_is_in_the_clients_language_without_internal_notes(browser, reports, tmp_path: Path) -> None:
    page = _open(browser, reports["pivoine"], PHONE, tmp_path / "pivoine-375.png")
    text = collapse(page.inner_text("body"))
    assert "Récapitulatif de votre forfait : Maison Pivoine" in text
    assert "Utilisées 12 h" in text and "Montant des heures supplémentaires 80,00 €" in text
    assert "Nouveau logo pour la boutique" in text and "Contact recommandé : Julie Petit" in text
    for internal in ("Signaux d'alerte", "demande de réduction", "À examiner", "keyword", "commentaire",
                     "Peux-tu me faire une réduction"):
        assert internal not in text
    assert page.locator("svg").is_visible() and "Heures utilisées" in page.locator("svg").text_content()
    assert page.evaluate(OVERFLOWING) == []


def test_practice_summary_on_a_phone(browser, reports, tmp_path: Path) -> None:
    page = _open(browser, reports["practice"], PHONE, tmp_path / "practice-375.png")
    text = collapse(page.inner_text("body"))
    assert "Contracted per week, all clients 22.5 h" in text and "Weekly capacity 30 h" in text
    assert "7.5 h a week free for a new client." in text
    assert "Total (EUR) €110.00" in text and "Total (USD) $180.00" in text
    flagged = text.split("Clients with the most red flags", 1)[1]
    assert flagged.index("Harbor Lane Bakery 3") < flagged.index("Zielony Ogród 2") < flagged.index("Maison Pivoine 1")
    assert page.evaluate(OVERFLOWING) == []
