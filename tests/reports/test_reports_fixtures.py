"""Acceptance: a report on the design's example boards shows what `scopekeeper scan` finds on them."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from rules.comments import money
from scheduler.cli.main import cli
from scheduler.reports.documents import file_stems
from scheduler.reports.i18n import texts
from tests.reports.support import collapse, entries, html_sections, sections, shows

RESPONSES = {"consultation": "consultation offered", "decline": "declined"}
FLAGS = {"discount_request": "discount request", "urgent_deadline": "urgent deadline",
         "after_hours": "sent after hours", "vague_request": "vague request", "rescheduled": "rescheduled repeatedly"}


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("language", ["en", "fr", "es", "pl"])
def test_report_shows_the_scans_hours_amounts_requests_and_flags(shared_dir: Path, manifest: dict, language: str,
                                                                 tmp_path: Path) -> None:
    fixtures = shared_dir / "fixtures"
    board = next(b for b in manifest["boards"] if b["export"].startswith(f"{language}_"))
    common = ["--config", str(fixtures / manifest["config"]), "--client", board["client"],
              "--from-export", str(fixtures / board["export"]), "--now", board["now"]]
    scan = json.loads(_invoke("scan", *common, "--format", "json"))
    _invoke("report", *common, "--week", "2026-W47", "--out", str(tmp_path),
            "--format", "html", "--format", "md", "--format", "csv")

    stem = file_stems([board["client"]])[board["client"]]
    folder = tmp_path / "2026-W47" / "clients"
    page = html_sections((folder / f"{stem}.html").read_text(encoding="utf-8"))
    markdown = sections((folder / f"{stem}.md").read_text(encoding="utf-8"))
    t, hours, cards = texts("en"), scan["hours"], scan["cards"]  # the fixtures' VA reads English
    currency = hours["currency"]
    for shown in (page["Hours this period"], markdown["Hours this period"]):
        assert shows(shown, "Used", t.hours(Decimal(str(hours["used"]))))
        assert shows(shown, "Contracted", t.hours(Decimal(str(hours["contracted"]))))
        assert shows(shown, "Extra hours", t.hours(Decimal(str(hours["extra"]))))
        assert shows(shown, "To bill", money(Decimal(str(hours["extra_amount"])), currency, "en"))

    billable = [c for c in cards if c["extra_hours"]]
    assert billable, "each example board bills extra hours"
    for title, entry in entries(page["Extra hours to bill"], [c["title"] for c in billable]).items():
        card = next(c for c in billable if c["title"] == title)
        assert f"= {money(Decimal(str(card['extra_amount'])), currency, 'en')}" in collapse(entry), title
    rows = list(csv.DictReader(io.StringIO((folder / f"{stem}.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["card"], float(r["extra_hours"]), float(r["amount"])) for r in rows] == [
        (c["title"], c["extra_hours"], c["extra_amount"]) for c in billable]

    out_of_scope = [c for c in cards if c["verdict"] == "out_of_scope"]
    assert out_of_scope
    listed = entries(page["Out-of-scope requests"], [c["title"] for c in out_of_scope])
    for c in out_of_scope:
        assert c["category"] in listed[c["title"]]
        assert RESPONSES.get(c["response"], "referred to") in listed[c["title"]]
        assert "comment not sent" in listed[c["title"]]  # offline: nothing was posted

    # Each card is listed once: a card that needs review shows its flags there, the others under Red flags.
    flagged = [c for c in cards if c["flags"] and c["verdict"] != "needs_review"]
    assert flagged
    listed = entries(page["Red flags"], [c["title"] for c in flagged])
    for c in flagged:
        assert [f for f in FLAGS if FLAGS[f] in listed[c["title"]]] == c["flags"], c["title"]
    review = [c["title"] for c in cards if c["verdict"] == "needs_review"]
    in_review = entries(page["Needs your review"], review)
    assert list(in_review) == review
    for c in cards:
        if c["verdict"] == "needs_review":
            assert [f for f in FLAGS if FLAGS[f] in in_review[c["title"]]] == c["flags"], c["title"]
            assert c["title"] not in page["Red flags"]
