"""`scopekeeper connect trello` against the sandbox: checks the token, adds boards, keeps secrets out of the file."""
from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from integrations.sandbox.trello import SANDBOX_KEY, SANDBOX_TOKEN, TrelloSandbox, synthetic_export
from scheduler.cli.connect_trello import command
from scheduler.testing_hooks import TRELLO_URL_ENV

CONFIG = """\
# ScopeKeeper configuration of a test VA
[scopekeeper]
mode = "review"   # keep an eye on comments first

[connections.trello]
api_key_env = "VA_TRELLO_KEY"     # not the default names
token_env = "VA_TRELLO_TOKEN"

[[clients]]
name = "Bright Path Coaching"
language = "en"
boards = []   # filled by connect
"""
AUTHORIZE = ("https://trello.com/1/authorize?expiration=never&name=ScopeKeeper&scope=read,write"
             "&response_type=token&key=<your API key>")


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "scopekeeper.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def boards(sandbox) -> list[str]:
    return [sandbox.load_export(synthetic_export(2, seed=seed)) for seed in (1, 2, 3)]


@pytest.fixture
def secrets(monkeypatch):
    monkeypatch.setenv("VA_TRELLO_KEY", SANDBOX_KEY)
    monkeypatch.setenv("VA_TRELLO_TOKEN", SANDBOX_TOKEN)


def _run(config, *args, input=None):
    return CliRunner().invoke(command, ["--config", str(config), "--client", "Bright Path Coaching", *args],
                              input=input)


def _boards_in(config) -> list[dict]:
    return tomllib.loads(config.read_text(encoding="utf-8"))["clients"][0]["boards"]


def test_boards_given_by_id_are_added_keeping_comments_and_no_secret(config, boards, secrets, api):
    result = _run(config, "--board", boards[2], "--board", boards[0])

    assert result.exit_code == 0, result.output
    assert "Connected to Trello as Virtual Assistant (@va)" in result.output
    assert _boards_in(config) == [{"provider": "trello", "id": boards[2]}, {"provider": "trello", "id": boards[0]}]
    text = config.read_text(encoding="utf-8")
    assert "# keep an eye on comments first" in text and "# filled by connect" in text
    assert SANDBOX_TOKEN not in text and SANDBOX_KEY not in text and SANDBOX_TOKEN not in result.output
    assert "export VA_TRELLO_KEY='<your API key>'" in result.output
    assert "export VA_TRELLO_TOKEN='<your token>'" in result.output


def test_boards_are_chosen_interactively_and_not_added_twice(config, boards, secrets, api):
    first = _run(config, input="3, 1\n")
    again = _run(config, input="9\n1\n")

    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "1. Synthetic board 1" in first.output
    assert [b["id"] for b in _boards_in(config)] == [boards[2], boards[0]]
    assert "give numbers between 1 and 3" in again.output and "already in" in again.output


def test_missing_token_explains_how_to_get_a_key_and_a_token(config, monkeypatch, api):
    monkeypatch.setenv("VA_TRELLO_KEY", SANDBOX_KEY)
    monkeypatch.delenv("VA_TRELLO_TOKEN", raising=False)
    before = config.read_text(encoding="utf-8")

    result = _run(config)

    assert result.exit_code == 1
    assert "https://trello.com/power-ups/admin" in result.output and AUTHORIZE in result.output
    assert "VA_TRELLO_TOKEN is not set" in result.output
    assert config.read_text(encoding="utf-8") == before


def test_a_refused_token_says_how_to_make_a_new_one(config, boards, monkeypatch, api):
    monkeypatch.setenv("VA_TRELLO_KEY", SANDBOX_KEY)
    monkeypatch.setenv("VA_TRELLO_TOKEN", "an-expired-token")

    result = _run(config, "--board", boards[0])

    assert result.exit_code == 1
    assert "invalid token" in result.output and AUTHORIZE in result.output
    assert _boards_in(config) == []


def test_a_board_the_token_cannot_see_is_refused(config, boards, secrets, api):
    result = _run(config, "--board", "5f0c1a2b3c4d5e6f7a8b9c0d")

    assert result.exit_code == 1
    assert "not among the open boards" in result.output and boards[0] in result.output
    assert _boards_in(config) == []


def test_an_unknown_client_is_reported(config, boards, secrets, api):
    result = CliRunner().invoke(command, ["--config", str(config), "--client", "Nobody", "--board", boards[0]])

    assert result.exit_code == 1 and "no client named 'Nobody'" in result.output


def test_the_api_url_variable_of_the_worker_reaches_a_served_sandbox(config, clock, secrets):
    served = TrelloSandbox(clock=clock)
    board = served.load_export(synthetic_export(2))

    with served.serve() as server:
        result = CliRunner().invoke(command, ["--config", str(config), "--client", "Bright Path Coaching",
                                              "--board", board], env={TRELLO_URL_ENV: server.url + "/1"})

    assert result.exit_code == 0, result.output
    assert _boards_in(config) == [{"provider": "trello", "id": board}]
    assert [entry["path"] for entry in served.log] == ["/1/members/me", "/1/members/me/boards"]


def test_the_hidden_api_url_reaches_a_served_sandbox(config, clock, secrets):
    served = TrelloSandbox(clock=clock)
    board = served.load_export(synthetic_export(2))

    with served.serve() as server:
        result = _run(config, "--api-url", server.url + "/1", "--board", board)

    assert result.exit_code == 0, result.output
    assert _boards_in(config) == [{"provider": "trello", "id": board}]


def test_with_a_public_url_connect_says_the_running_worker_registers_the_webhook(config, boards, secrets, api):
    plain = _run(config, "--board", boards[0])
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[connections.trello]', '[scopekeeper.web]\npublic_url = "https://sk.example.org"\n\n[connections.trello]'),
        encoding="utf-8")
    public = _run(config, "--board", boards[1])

    assert plain.exit_code == 0 and public.exit_code == 0, plain.output + public.output
    assert "webhook" not in plain.output
    assert "a running `scopekeeper run` registers their webhooks" in public.output
