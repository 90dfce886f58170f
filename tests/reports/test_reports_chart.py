"""The burn-up chart: inline SVG in the client's language, and the same figures as table rows."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scheduler.reports.chart import HEIGHT, WIDTH, burnup_rows, burnup_svg
from scheduler.reports.i18n import texts
from scheduler.reports.model import CLIENT, client_report
from scheduler.reports.weeks import parse_week
from tests.reports.support import MONDAY_AFTER, WEEK, practice_config, practice_source

SVG = "{http://www.w3.org/2000/svg}"
LEGENDS = {"Harbor Lane Bakery": ("en", "Hours used", "Contracted", "At this pace"),
           "Maison Pivoine": ("fr", "Heures utilisées", "Prévues au contrat", None),
           "Café Tortuga": ("es", "Horas usadas", "Contratadas", "A este ritmo"),
           "Zielony Ogród": ("pl", "Wykorzystane", "Limit z umowy", None)}


def _chart(name: str, now: datetime = MONDAY_AFTER, week=WEEK):
    config = practice_config()
    report = client_report(config, config.client(name), practice_source(), week, now, audience=CLIENT)
    t = texts(report.language)
    return report, ET.fromstring(burnup_svg(report.burnup, t, f"{name} <chart>")), burnup_rows(report.burnup, t)


@pytest.mark.parametrize("name", LEGENDS)
def test_the_chart_is_well_formed_svg_labelled_in_the_clients_language(name: str) -> None:
    report, svg, _ = _chart(name)
    language, used, contracted, pace = LEGENDS[name]
    assert report.language == language
    assert svg.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}" and svg.find(f"{SVG}title").text == f"{name} <chart>"
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert used in labels and contracted in labels and (pace in labels if pace else "À ce rythme" not in labels)
    # Weekly periods (fr, pl) finish before the report is made: nothing left to project, no dashed line.
    assert bool([line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]) == bool(pace)


def test_the_used_line_climbs_in_steps_to_the_hours_used_and_the_crossing_is_marked() -> None:
    report, svg, rows = _chart("Harbor Lane Bakery")  # 8, 15, 21, 24 h of 20: ran out on Nov 9
    path = next(svg.iter(f"{SVG}path")).get("d")
    assert path.startswith("M") and path.count("V") == len(report.burnup.points) + 1
    contract_y = next(line.get("y1") for line in svg.iter(f"{SVG}line") if line.get("stroke") == "#6b7280")
    (circle,) = svg.iter(f"{SVG}circle")
    assert circle.get("cy") == contract_y
    assert float(path.rsplit("V", 1)[1]) < float(contract_y)  # above the contract line: 24 h > 20 h
    assert rows[0] == ("Nov 7", "15\xa0h", False) and rows[-2] == ("Nov 22", "24\xa0h", True)


def test_the_table_holds_each_week_so_far_today_and_the_pace() -> None:
    _, _, rows = _chart("Café Tortuga")  # 5 h on Nov 3, 9 h on Nov 5, a 12 h month; in Spanish
    assert rows == [("7 nov", "9\xa0h", False), ("14 nov", "9\xa0h", False), ("21 nov", "9\xa0h", False),
                    ("22 nov", "9\xa0h", True), ("A este ritmo · 30 nov", "12,3\xa0h", False)]


def test_a_period_without_hours_yet_draws_a_flat_line_and_projects_nothing() -> None:
    early = datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    report, svg, rows = _chart("Harbor Lane Bakery", early, parse_week("2026-W44"))  # ends on Sunday, Nov 1
    assert report.used == 0 and not list(svg.iter(f"{SVG}circle"))
    assert rows == [("Nov 1", "0\xa0h", True)]
