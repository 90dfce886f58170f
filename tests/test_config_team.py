"""A team folder's configurations checked side by side: one store and one token per VA."""
from __future__ import annotations

from pathlib import Path

from scheduler.config.models import parse_config
from scheduler.config.team import team_conflicts, team_files

VA = """
[scopekeeper]
state_url = "{state}"
[connections.trello]
token_env = "{trello}"
[connections.asana]
token_env = "{asana}"
[[clients]]
name = "Client"
boards = [{boards}]
[clients.contract]
hours = 10
overage_rate = 40
currency = "EUR"
[[clients.contract.services]]
name = "Newsletter"
keywords = ["newsletter"]
"""
TRELLO = '{ provider = "trello", id = "5f0c1a2b3c4d5e6f7a8b9c0d" }'
ASANA = '{ provider = "asana", id = "1204000000000001" }'


def _va(name: str, *, state: str | None = None, trello: str = "", asana: str = "ASANA_TOKEN",
        boards: str = TRELLO) -> tuple[Path, object]:
    path = Path(f"/team/{name}.toml")
    text = VA.format(state=state or f"sqlite:////data/{name}.db", trello=trello or f"TRELLO_TOKEN_{name.upper()}",
                     asana=asana, boards=boards)
    return path, parse_config(text, path)


def test_vas_with_their_own_tokens_and_stores_run_together_even_on_one_asana_token_name_unused():
    team = dict([_va("anna"), _va("ben"), _va("cleo", boards=f"{TRELLO}, {ASANA}")])

    assert team_conflicts(team) == {}  # all say ASANA_TOKEN, but only Cleo reads Asana


def test_two_vas_on_one_token_name_are_both_named_with_a_name_each_could_use():
    anna, ben, dora = _va("anna"), _va("ben"), _va("dora", trello="TRELLO_TOKEN_ANNA")

    why = team_conflicts(dict([anna, ben, dora]))

    assert set(why) == {anna[0], dora[0]}
    assert why[dora[0]] == ("anna.toml and dora.toml both read their Trello token from TRELLO_TOKEN_ANNA: in one "
                            'worker each VA needs her own, e.g. token_env = "TRELLO_TOKEN_ANNA_DORA"')
    assert why[anna[0]].endswith('e.g. token_env = "TRELLO_TOKEN_ANNA_ANNA"')


def test_two_vas_reading_asana_on_one_token_name_conflict_too():
    anna, ben = _va("anna", boards=ASANA), _va("ben", boards=ASANA)

    why = team_conflicts(dict([anna, ben]))

    assert "both read their Asana token from ASANA_TOKEN" in why[ben[0]]


def test_one_store_for_two_vas_is_found_however_its_path_is_spelled_and_no_password_is_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    anna = _va("anna", state="sqlite:///state/shared.db")
    ben = _va("ben", state=f"sqlite:///{tmp_path / 'state' / 'shared.db'}")
    cleo = _va("cleo", state="postgresql://sk:s3cr3t-pw@db.example.com/scopekeeper")
    dora = _va("dora", state="postgresql://sk:s3cr3t-pw@db.example.com/scopekeeper")

    why = team_conflicts(dict([anna, ben, cleo, dora]))

    assert why[anna[0]].startswith("anna.toml and ben.toml keep their state in the same store")
    assert "db.example.com/scopekeeper" in why[cleo[0]] and "s3cr3t" not in why[cleo[0]]
    assert set(why) == {anna[0], ben[0], cleo[0], dora[0]}


def test_a_team_folder_is_its_toml_files_in_name_order(tmp_path):
    for name in ("ben.toml", "anna.toml", "notes.txt", "scopekeeper.env"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "old.toml").mkdir()

    assert [path.name for path in team_files(tmp_path)] == ["anna.toml", "ben.toml"]


def test_the_secrets_files_beside_each_team_configuration_are_all_read(tmp_path, monkeypatch):
    from scheduler.config import secrets

    monkeypatch.setattr(secrets, "_secrets_files", [])
    monkeypatch.setattr(secrets, "_secrets_file", None)
    monkeypatch.setattr(secrets, "_keyring", lambda: None)
    for name in ("TRELLO_TOKEN_ANNA", "TRELLO_TOKEN_BEN", "TRELLO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    for va, token, key in (("anna", "anna-token", "key-anna"), ("ben", "ben-token", "key-ben")):
        (tmp_path / va).mkdir()
        (tmp_path / va / secrets.SECRETS_FILE_NAME).write_text(
            f"TRELLO_TOKEN_{va.upper()}={token}\nTRELLO_API_KEY={key}\n", encoding="utf-8")

    secrets.use_secrets_file(tmp_path / "anna" / "scopekeeper.toml")
    secrets.use_secrets_file(tmp_path / "ben" / "scopekeeper.toml")

    assert secrets.get_secret("TRELLO_TOKEN_ANNA") == "anna-token"
    assert secrets.get_secret("TRELLO_TOKEN_BEN") == "ben-token"
    assert secrets.get_secret("TRELLO_API_KEY") == "key-ben"  # the configuration read last is read first
    secrets.use_secrets_file(tmp_path / "anna" / "scopekeeper.toml")
    assert secrets.get_secret("TRELLO_API_KEY") == "key-anna"


def test_config_check_of_a_team_folder_gives_a_line_per_va_and_names_those_that_cannot_run(tmp_path):
    from click.testing import CliRunner

    from scheduler.cli.main import cli

    team = tmp_path / "team"
    team.mkdir()
    for name, trello in (("anna", "TRELLO_TOKEN_ANNA"), ("ben", "TRELLO_TOKEN_BEN"), ("dora", "TRELLO_TOKEN_ANNA")):
        (team / f"{name}.toml").write_text(VA.format(state=f"sqlite:///{tmp_path / name}.db", trello=trello,
                                                     asana="ASANA_TOKEN", boards=TRELLO), encoding="utf-8")
    (team / "eva.toml").write_text('[scopekeeper]\nmode = "loud"\n', encoding="utf-8")

    result = CliRunner().invoke(cli, ["config", "check", str(team)], terminal_width=80)

    assert result.exit_code == 2
    lines = " ".join(result.output.split())
    assert f"✓ {team / 'ben.toml'}: 1 client(s), mode review, scan every 15m." in lines
    assert f"✗ {team / 'anna.toml'}: not run: anna.toml and dora.toml both read their Trello token" in lines
    assert f"✗ {team / 'dora.toml'}: not run:" in lines
    assert "eva.toml" in lines and "loud" in lines
    ben_alone = CliRunner().invoke(cli, ["config", "check", str(team / "ben.toml")], terminal_width=80)
    assert ben_alone.exit_code == 0 and "Newsletter" in ben_alone.output  # a file still gets the whole summary
