"""`scopekeeper report`: which files it writes, its defaults, and clear usage errors (exit 2)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli.main import cli
from tests.reports.support import practice_toml


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The four-client practice, with a state store that does not exist yet (an empty one is read)."""
    path = tmp_path / "scopekeeper.toml"
    path.write_text(practice_toml(formats=("html", "csv"), state_url=f"sqlite:///{tmp_path / 'state.db'}"),
                    encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(cli, ["report", *args])


def test_all_clients_from_the_state_store_with_the_configured_formats(config: Path, tmp_path: Path) -> None:
    result = _run("--config", str(config), "--all", "--week", "2026-W47", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    week = tmp_path / "out" / "2026-W47"
    written = sorted(p.relative_to(week).as_posix() for p in week.rglob("*") if p.is_file())
    assert written == sorted([f"clients/{stem}.{ext}" for stem in ("harbor-lane-bakery", "maison-pivoine",
                                                                    "cafe-tortuga", "zielony-ogrod")
                              for ext in ("html", "csv")] + ["practice.html", "practice.csv"])
    assert "warning: no cards known for Harbor Lane Bakery" in result.stderr
    assert not (tmp_path / "state.db").exists()  # reports only read the store


def test_for_client_writes_client_safe_files_and_no_practice_summary(config: Path, tmp_path: Path) -> None:
    result = _run("--config", str(config), "--all", "--for-client", "--format", "md", "--week", "2026-W47",
                  "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    week = tmp_path / "2026-W47"
    assert sorted(p.name for p in (week / "for-client").glob("*.md")) == [
        "cafe-tortuga.md", "harbor-lane-bakery.md", "maison-pivoine.md", "zielony-ogrod.md"]
    assert not (week / "practice.md").exists() and not (week / "clients").exists()
    assert "Podsumowanie pakietu: Zielony Ogród" in (week / "for-client" / "zielony-ogrod.md").read_text("utf-8")


def test_the_default_week_is_the_last_one_that_ended(config: Path, tmp_path: Path) -> None:
    result = _run("--config", str(config), "--client", "maison pivoine", "--now", "2026-11-23T00:30:00",
                  "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2026-W47" / "clients" / "maison-pivoine.html").is_file()


@pytest.mark.parametrize(("args", "message"), [
    ([], "give --client NAME for one client, or --all"),
    (["--all", "--client", "Café Tortuga"], "give --client NAME for one client, or --all"),
    (["--client", "Nobody"], "no client named 'Nobody'; clients: 'Harbor Lane Bakery'"),
    (["--all", "--week", "2026-47"], "--week '2026-47' is not an ISO week such as 2026-W47"),
    (["--all", "--week", "2026-W52", "--now", "2026-11-22T12:00:00"], "error: week 2026-W52 has not started yet"),
    (["--all", "--send"], "--send needs scopekeeper.report.email_to and an [smtp] table"),
    (["--all", "--format", "pdf"], "Invalid value for '--format'"),
])
def test_usage_errors_exit_with_2(config: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = _run("--config", str(config), "--out", str(tmp_path), *args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_an_export_of_no_clients_board_is_refused_with_all(shared_dir: Path, config: Path, tmp_path: Path) -> None:
    export = shared_dir / "fixtures" / "en_trello_export.json"
    result = _run("--config", str(config), "--all", "--from-export", str(export), "--out", str(tmp_path))
    assert result.exit_code == 2
    assert f"{export}: trello board 5f0c1a2b3c4d5e6f7a8b9c0d belongs to no client in the configuration" in result.output


def test_an_export_of_another_clients_board_is_refused(shared_dir: Path, manifest: dict, tmp_path: Path) -> None:
    fixtures = shared_dir / "fixtures"
    export = fixtures / "en_trello_export.json"
    result = _run("--config", str(fixtures / manifest["config"]), "--client", "Atelier Lumière",
                  "--from-export", str(export), "--out", str(tmp_path))
    assert result.exit_code == 2 and not any(tmp_path.iterdir())
    assert "belongs to 'Bright Path Coaching' in the configuration, not to 'Atelier Lumière'" in result.output
