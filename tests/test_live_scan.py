"""Acceptance for the live integrations: `scan` against the sandboxes equals `scan --from-export`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from integrations.sandbox.asana import SANDBOX_TOKEN as ASANA_TOKEN
from integrations.sandbox.asana import AsanaSandbox
from integrations.sandbox.trello import SANDBOX_KEY, TrelloSandbox
from integrations.sandbox.trello import SANDBOX_TOKEN as TRELLO_TOKEN
from scheduler.cli.main import cli
from scheduler.testing_hooks import ASANA_URL_ENV, TRELLO_URL_ENV


def _scan(fixtures: Path, board: dict, *extra: str) -> dict:
    result = CliRunner().invoke(cli, ["scan", "--config", str(fixtures / "config.toml"), "--client", board["client"],
                                      "--now", board["now"], "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def sandboxes(shared_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Both sandboxes on loopback, seeded with every fixture export, and the CLI pointed at them."""
    fixtures = shared_dir / "fixtures"
    trello, asana = TrelloSandbox(), AsanaSandbox()
    for name in sorted(p.name for p in fixtures.glob("*_export.json")):
        document = json.loads((fixtures / name).read_text(encoding="utf-8"))
        (trello if "trello" in name else asana).load_export(document)
    monkeypatch.setenv("TRELLO_API_KEY", SANDBOX_KEY)
    monkeypatch.setenv("TRELLO_TOKEN", TRELLO_TOKEN)
    monkeypatch.setenv("ASANA_TOKEN", ASANA_TOKEN)
    with trello.serve() as trello_server, asana.serve() as asana_server:
        monkeypatch.setenv(TRELLO_URL_ENV, trello_server.url + "/1")
        monkeypatch.setenv(ASANA_URL_ENV, asana_server.host)
        yield trello, asana


def test_live_scan_of_every_fixture_board_equals_the_export_scan(shared_dir: Path, manifest: dict, sandboxes) -> None:
    fixtures = shared_dir / "fixtures"
    for board in manifest["boards"]:
        live = _scan(fixtures, board)
        offline = _scan(fixtures, board, "--from-export", str(fixtures / board["export"]))
        assert live == offline, board["client"]
        assert len(live["cards"]) >= 8


def test_a_deleted_board_is_skipped_with_a_note(shared_dir: Path, manifest: dict, sandboxes, tmp_path: Path) -> None:
    config = (shared_dir / "fixtures" / "config.toml").read_text(encoding="utf-8")
    config = config.replace('boards = [\n    { provider = "trello", id = "5f0c1a2b3c4d5e6f7a8b9c0d" },\n]',
                            'boards = [\n    { provider = "trello", id = "5f0c1a2b3c4d5e6f7a8b9c0d" },\n'
                            '    { provider = "trello", id = "0123456789abcdef01234567" },\n]')
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", "--config", str(path), "--client", "Bright Path Coaching",
                                      "--now", manifest["boards"][0]["now"], "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "trello board 0123456789abcdef01234567 of Bright Path Coaching was not found" in result.stderr
    assert len(json.loads(result.stdout)["cards"]) == 20


def test_a_refused_token_is_a_clear_error(shared_dir: Path, manifest: dict, sandboxes, monkeypatch) -> None:
    monkeypatch.setenv("TRELLO_TOKEN", "expired-token-0000")
    result = CliRunner().invoke(cli, ["scan", "--config", str(shared_dir / "fixtures" / "config.toml"),
                                      "--client", "Bright Path Coaching", "--now", manifest["boards"][0]["now"]])
    assert result.exit_code == 1
    assert "Bright Path Coaching:" in result.output and "expired-token-0000" not in result.output
    assert "trello.com/1/authorize" in result.output
