"""`scopekeeper connect asana` against the sandbox: token from the environment, projects into the config."""
from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from integrations.sandbox.asana import SANDBOX_TOKEN
from scheduler.cli.connect_asana import command as connect_asana
from scheduler.testing_hooks import ASANA_URL_ENV

CONFIG = """\
# ScopeKeeper configuration (kept by hand)
[connections.asana]
token_env = "{env}"   # the variable holding the personal access token

[[clients]]
name = "Estudio Sol"   # Spanish-speaking client
language = "es"
boards = [{{ provider = "trello", id = "5f0c1a2b3c4d5e6f7a8b9c0d" }}]

[[clients]]
name = "Bright Path Coaching"
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "scopekeeper.toml"
    path.write_text(CONFIG.format(env="ASANA_TOKEN"), encoding="utf-8")
    return path


@pytest.fixture
def projects(sandbox):
    second = sandbox.add_workspace("Second workspace")
    return [sandbox.add_project("Estudio Sol", gid="1207654321098765"), sandbox.add_project("Internal"),
            sandbox.add_project("Other client", workspace=second)]


def _run(server, config, *args, token=SANDBOX_TOKEN, env="ASANA_TOKEN", input=None):
    return CliRunner().invoke(connect_asana, ["--config", str(config), "--api-url", server.host, *args],
                              env={env: token} if token else {"ASANA_TOKEN": ""}, input=input)


def test_the_api_url_variable_of_the_worker_reaches_the_sandbox(server, sandbox, config, projects):
    result = CliRunner().invoke(connect_asana, ["--config", str(config), "--client", "Estudio Sol",
                                                "--project", projects[0]],
                                env={"ASANA_TOKEN": SANDBOX_TOKEN, ASANA_URL_ENV: server.host})

    assert result.exit_code == 0, result.output
    assert "Connected to Asana as Sandbox VA" in result.output
    assert ("GET", "/users/{user_gid}") in sandbox.requests


def test_a_named_project_is_added_to_the_client_keeping_comments(server, sandbox, config, projects):
    result = _run(server, config, "--client", "Estudio Sol", "--project", projects[0])

    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert tomllib.loads(text)["clients"][0]["boards"] == [
        {"provider": "trello", "id": "5f0c1a2b3c4d5e6f7a8b9c0d"}, {"provider": "asana", "id": "1207654321098765"}]
    assert "# Spanish-speaking client" in text and "# the variable holding" in text
    assert "Connected to Asana as Sandbox VA <va@example.com>" in result.output
    assert "export ASANA_TOKEN=<your Asana personal access token>" in result.output
    assert SANDBOX_TOKEN not in result.output + text
    assert ("GET", "/users/{user_gid}") in sandbox.requests


def test_without_project_the_va_chooses_from_every_workspace(server, config, projects):
    result = _run(server, config, "--client", "Bright Path Coaching", input="3, 2\n")

    assert result.exit_code == 0, result.output
    assert "Other client  (workspace Second workspace" in result.output
    text = config.read_text(encoding="utf-8")
    assert f'id = "{projects[2]}"' in text and f'id = "{projects[1]}"' in text
    assert text.index(projects[2]) < text.index(projects[1])


def test_the_client_is_asked_for_when_there_are_several(server, config, projects):
    result = _run(server, config, "--project", projects[1], input="2\n")

    assert result.exit_code == 0, result.output
    assert "added to client 'Bright Path Coaching'" in result.output


def test_adding_the_same_project_twice_changes_nothing(server, config, projects):
    _run(server, config, "--client", "Estudio Sol", "--project", projects[0])
    before = config.read_text(encoding="utf-8")

    result = _run(server, config, "--client", "Estudio Sol", "--project", projects[0])

    assert result.exit_code == 0 and "already in client 'Estudio Sol'" in result.output
    assert config.read_text(encoding="utf-8") == before


def test_a_project_the_token_cannot_see_is_refused(server, config, projects):
    before = config.read_text(encoding="utf-8")

    result = _run(server, config, "--client", "Estudio Sol", "--project", "999")

    assert result.exit_code != 0 and "project 999 is not among the projects this token can see" in result.output
    assert config.read_text(encoding="utf-8") == before


def test_the_token_variable_named_in_the_config_is_used(server, tmp_path, projects):
    config = tmp_path / "scopekeeper.toml"
    config.write_text(CONFIG.format(env="ESTUDIO_ASANA"), encoding="utf-8")

    result = _run(server, config, "--client", "Estudio Sol", "--project", projects[0], env="ESTUDIO_ASANA")

    assert result.exit_code == 0, result.output
    assert "export ESTUDIO_ASANA=" in result.output


def test_a_missing_token_says_how_to_set_one(server, sandbox, config, projects):
    result = _run(server, config, "--client", "Estudio Sol", token=None)

    assert result.exit_code != 0
    assert "export ASANA_TOKEN=" in result.output and "https://app.asana.com/0/my-apps" in result.output
    assert sandbox.total_requests() == 0


def test_a_refused_token_says_how_to_make_a_new_one(server, config, projects):
    result = _run(server, config, "--client", "Estudio Sol", token="revoked-0042")

    assert result.exit_code != 0
    assert "Developer apps" in result.output and "revoked-0042" not in result.output


def test_an_unknown_client_is_refused_before_asking_asana(server, sandbox, config, projects):
    result = _run(server, config, "--client", "Nobody", "--project", projects[0])

    assert result.exit_code != 0 and "no client named 'Nobody'" in result.output
    assert sandbox.total_requests() == 0
