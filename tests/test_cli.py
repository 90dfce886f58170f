"""The scan command: formats, exit codes, and clear errors for bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
BASE = ["scan", "--config", str(REPO / "config.example.toml"), "--client", "Bright Path Coaching",
        "--from-export", str(REPO / "examples" / "bright_path_trello.json")]
NOW = ["--now", "2026-11-20T18:00:00-05:00"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_table_shows_verdicts_totals_and_the_comments_to_post() -> None:
    result = run(*BASE, *NOW, "--format", "table")
    assert result.exit_code == 0, result.output
    assert "Bright Path Coaching — November 2026 (current)" in result.output
    assert "24.5 h used of 20 h contracted; extra 4.5 h = $202.50 to bill" in " ".join(result.output.split())
    assert "https://calendly.com/example/consultation" in result.output
    assert "3 card(s) need your review" in result.output  # discount, vague and podcast cards


def test_the_table_fits_80_columns_names_each_period_and_shows_money_in_the_client_locale() -> None:
    fixtures = REPO.parent / "shared" / "fixtures"
    if not (fixtures / "config.toml").is_file():
        pytest.skip("../shared is not beside this clone")
    args = ["scan", "--config", str(fixtures / "config.toml"), "--client", "Studio Jogi Lotos",
            "--from-export", str(fixtures / "pl_trello_export.json"), "--now", "2026-12-03T18:00:00+01:00"]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Studio Jogi Lotos — the week of 16–22 November 2026" in result.output  # the rows' own week
    assert "Hours in the week of 30 November–6 December 2026" in result.output      # the current one
    flat = " ".join(result.output.split())
    assert "165,00 zł" in flat and "PLN" not in result.output
    titles = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)["cards"]
    table_words = {w for line in lines if line.startswith("│") for cell in line.split("│") for w in cell.split()}
    for card in titles:  # every word of every title whole in the Card column, and every flag visible
        assert set(card["title"].split()) <= table_words, card["title"]
        for flag in card["flags"]:
            assert set(flag.replace("_", " ").split()) <= table_words


def test_client_template_from_the_config_is_used() -> None:
    found = json.loads(run(*BASE, *NOW, "--format", "json").stdout)
    discount = next(c for c in found["cards"] if "discount_request" in c["flags"])
    assert discount["comment"].startswith("Thanks for asking! My rate is already my best rate")


def test_now_without_offset_is_read_in_the_va_timezone() -> None:
    # 23:30 on Nov 30 in Warsaw (the VA's timezone) is still November in New York: same period.
    found = json.loads(run(*BASE, "--now", "2026-11-30T23:30:00", "--format", "json").stdout)
    assert found["period"] == {"start": "2026-11-01", "end": "2026-11-30"}


def test_unknown_client_lists_the_known_ones() -> None:
    result = run("scan", "--config", str(REPO / "config.example.toml"), "--client", "Nobody",
                 "--from-export", str(REPO / "examples" / "bright_path_trello.json"))
    assert result.exit_code == 2
    assert "no client named 'Nobody'; clients: 'Bright Path Coaching', 'Estudio Sol'" in result.output


def test_bad_now_is_a_usage_error() -> None:
    result = run(*BASE, "--now", "yesterday")
    assert result.exit_code == 2 and "--now 'yesterday' is not an ISO 8601 date and time" in result.output


def test_unreadable_export_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    export = tmp_path / "board.json"
    export.write_text('{"cards": [', encoding="utf-8")
    result = run("scan", "--config", str(REPO / "config.example.toml"), "--client", "Estudio Sol",
                 "--from-export", str(export), *NOW)
    assert result.exit_code == 2 and f"error: {export}: the JSON ends early" in result.output
    assert "Traceback" not in result.output


def test_a_page_long_title_is_cut_in_the_table_and_kept_whole_in_json(tmp_path: Path) -> None:
    board = json.loads((REPO / "examples" / "bright_path_trello.json").read_text(encoding="utf-8"))
    title = "Cn you pls redo our **whole** website 🙏 " + "and the shop and the blog " * 4000
    board["cards"][0]["name"] = title
    export = tmp_path / "board.json"
    export.write_text(json.dumps(board), encoding="utf-8")
    args = ["scan", "--config", str(REPO / "config.example.toml"), "--client", "Bright Path Coaching",
            "--from-export", str(export), *NOW]
    table = CliRunner().invoke(cli, [*args, "--format", "table"], env={"COLUMNS": "80"}, terminal_width=80)
    assert table.exit_code == 0, table.output
    words = {w for line in table.output.splitlines() for cell in line.split("│") for w in cell.split()}
    assert {"Cn", "pls", "**whole**", "website", "🙏"} <= words and "…" in table.output
    assert table.output.count("the shop") < 20 and len(table.output) < 20_000
    cards = json.loads(run(*args, "--format", "json").stdout)["cards"]
    assert any(card["title"] == title.strip() or card["title"] == title for card in cards)


def test_skipped_cards_are_warned_about_and_the_rest_still_scanned(tmp_path: Path) -> None:
    board = json.loads((REPO / "examples" / "bright_path_trello.json").read_text(encoding="utf-8"))
    board["cards"][0]["name"] = None
    export = tmp_path / "board.json"
    export.write_text(json.dumps(board), encoding="utf-8")
    result = run("scan", "--config", str(REPO / "config.example.toml"), "--client", "Bright Path Coaching",
                 "--from-export", str(export), *NOW, "--format", "json")
    assert result.exit_code == 0
    assert "warning: card #0 (id '6ae89e6865c5cb154ef80afb', 'None') skipped: field 'name' is missing" in result.stderr
    assert len(json.loads(result.stdout)["cards"]) == 19


def test_live_scan_without_secrets_says_which_variable_to_set(monkeypatch) -> None:
    monkeypatch.delenv("TRELLO_API_KEY", raising=False)
    result = run("scan", "--config", str(REPO / "config.example.toml"), "--client", "Bright Path Coaching", *NOW)
    assert result.exit_code == 2 and "the secret TRELLO_API_KEY is not set: run `export TRELLO_API_KEY=...`" in result.output


def test_version_and_help() -> None:
    assert run("--version").output.startswith("scopekeeper, version ")
    assert "--from-export" in run("scan", "--help").output


def test_completion_script_for_each_shell() -> None:
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "#compdef scopekeeper"), ("fish", "complete --no-files")):
        result = run("completion", shell)
        assert result.exit_code == 0 and marker in result.output and "_SCOPEKEEPER_COMPLETE" in result.output


def _all_commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _all_commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example() -> None:
    for path, _ in _all_commands(cli):
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"scopekeeper {' '.join(path)} --help shows no example"
