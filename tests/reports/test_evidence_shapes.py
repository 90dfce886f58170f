"""Every evidence line the rules write has a shape the reports put in the client's words."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from integrations.models import Comment
from integrations.plus import plus_entries
from rules.hours import logged_evidence, logged_hours
from scheduler.cli.main import cli
from scheduler.reports.evidence import known, translate
from scheduler.reports.i18n import Texts

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [("Bright Path Coaching", "bright_path_trello.json", "2026-11-20T18:00:00-05:00"),
            ("Estudio Sol", "estudio_sol_asana.json", "2026-11-20T18:00:00+01:00")]


def _evidence(config: Path, client: str, export: Path, now: str) -> set[str]:
    result = CliRunner().invoke(cli, ["scan", "--config", str(config), "--client", client, "--from-export",
                                      str(export), "--now", now, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {line for card in json.loads(result.stdout)["cards"] for line in card["evidence"]}


def test_every_evidence_line_of_the_bundled_and_shared_boards_has_a_known_shape() -> None:
    lines = set()
    for client, export, now in EXAMPLES:
        lines |= _evidence(REPO / "config.example.toml", client, REPO / "examples" / export, now)
    fixtures = REPO.parent / "shared" / "fixtures"
    if (fixtures / "manifest.json").is_file():
        for board in json.loads((fixtures / "manifest.json").read_text(encoding="utf-8"))["boards"]:
            lines |= _evidence(fixtures / "config.toml", board["client"], fixtures / board["export"], board["now"])
    assert len(lines) > 20  # the boards do exercise the rules' wording
    assert [line for line in lines if not known(line)] == []


def _logged_lines() -> list[str]:
    comments = [Comment(id=str(n), text=text, created_at=datetime(2026, 11, 18, 9, tzinfo=UTC))
                for n, text in enumerate(["plus! 1.5/2 newsletter 📨", "plus! @ana -1d 2/", "plus! dwie godziny"])]
    counted, problems = logged_hours(plus_entries(comments), "plus")
    return [logged_evidence(sum((hours for _, hours in counted), Decimal(0)), len(counted), "plus"),
            logged_evidence(Decimal("4.5"), 3, "asana"), *problems]


@pytest.mark.parametrize("language, words", [
    ("fr", ("saisies de temps Asana", "commentaires plus!", "compté 0 h", "« plus! dwie godziny »")),
    ("es", ("registros de tiempo de Asana", "comentarios plus!", "contado como 0 h", "«plus! dwie godziny»")),
    ("pl", ("wpisy czasu w Asanie", "komentarze plus!", "policzono 0 godz.", "„plus! dwie godziny”")),
])
def test_hours_sources_and_uncounted_entries_are_in_the_report_s_language(language: str, words) -> None:
    lines = _logged_lines()
    assert lines[0].startswith("3.5 h from Plus for Trello") and "counted 0 h" in lines[2]  # the rules' wording
    shown = " | ".join(translate(line, Texts(language)) for line in lines)
    for phrase in words:
        assert phrase in shown.replace("\u00a0", " ").replace("\u202f", " "), (phrase, shown)
    assert not [english for english in (" from ", "counted", "expected", "entries (") if english in shown]
