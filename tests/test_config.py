"""Configuration: DESIGN.md's names load; every user mistake gets one clear, specific message."""
from __future__ import annotations

import json
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.cli.main import cli
from scheduler.config.models import ConfigError, load_config, parse_config
from scheduler.config.state_dir import data_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = (REPO / "config.example.toml").read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "my.toml")
    return caught.value.problems


def edited(**changes: object) -> str:
    """The example config with values replaced at dotted paths ('clients.1.contract.period')."""
    data = tomllib.loads(EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return tomli_w.dumps(data)


_DELETE = object()


def test_the_example_config_loads_with_every_design_name() -> None:
    config = parse_config(EXAMPLE)
    s = config.scopekeeper
    assert (s.mode, s.scan_every, s.max_comments_per_run, s.weekly_capacity_hours) == ("review", timedelta(minutes=15), 30, 35)
    assert (s.report.day, s.report.formats, config.smtp.sender) == ("monday", ["html", "markdown"], "ScopeKeeper <va@example.com>")
    assert [b.provider for c in config.clients for b in c.boards] == ["trello", "asana"]
    assert config.client("estudio sol").contract.business_hours.end.hour == 18


def test_defaults_fill_everything_but_the_clients_contract() -> None:
    config = parse_config('[[clients]]\nname = "A"\n[clients.contract]\nhours = 5\noverage_rate = 30\ncurrency = "EUR"\n'
                          '[[clients.contract.services]]\nname = "Mail"\nkeywords = ["email"]\n')
    # The state's default place is the user's data folder, whatever the working directory.
    assert config.scopekeeper.state_url == f"sqlite:///{data_dir() / 'scopekeeper.db'}"
    assert Path(config.scopekeeper.state_url.removeprefix("sqlite:///")).is_absolute()
    assert config.scopekeeper.mode == "review"
    assert config.clients[0].contract.min_notice_hours == 48 and config.connections.trello.token_env == "TRELLO_TOKEN"


@pytest.mark.parametrize("changes, expected", [
    ({"clients__1__contract__period": "fortnight"},
     'clients[1].contract.period (client \'Estudio Sol\'): "fortnight" is not allowed; use one of: \'week\' or \'month\''),
    ({"scopekeeper__langauge": "en"}, "scopekeeper.langauge: unknown key 'langauge'; did you mean 'language'?"),
    ({"clients__0__contract__hours": "20"}, "clients[0].contract.hours (client 'Bright Path Coaching'): should be a number, got text \"20\""),
    ({"clients__0__contract__hours": 0}, "clients[0].contract.hours (client 'Bright Path Coaching'): must be greater than 0, got 0"),
    ({"clients__0__contract__hours": -2.5}, "must be greater than 0, got -2.5"),
    ({"clients__0__timezone": "Europe/Pariss"}, '"Europe/Pariss" is not an IANA time zone such as Europe/Warsaw'),
    ({"clients__0__language": "de"}, 'clients[0].language (client \'Bright Path Coaching\'): "de" is not allowed; use one of: \'en\', \'fr\', \'es\' or \'pl\''),
    ({"clients__1__contract__services": []}, "clients[1].contract.services (client 'Estudio Sol'): must not be empty"),
    ({"clients__1__name": "Bright Path Coaching"}, "clients: clients[0] and clients[1] are both named 'Bright Path Coaching'"),
    ({"clients__0__contract__out_of_scope__0__keywords": ["newsletters"]},
     "keyword 'newsletters' of out_of_scope 'Content strategy' also matches 'newsletter' of service 'Newsletter'"),
    ({"scopekeeper__mode": "yolo"}, "scopekeeper.mode: \"yolo\" is not allowed; use one of: 'dry-run', 'review' or 'auto'"),
    ({"scopekeeper__scan_every": "soon"}, 'scopekeeper.scan_every: "soon" should be a duration such as "15m"'),
    ({"scopekeeper__scan_every": "10s"}, "scan_every must be at least 1m"),
    ({"clients__0__contract__business_hours__start": "9am"}, 'business_hours.start (client \'Bright Path Coaching\'): "9am" should be a time of day as "HH:MM"'),
    ({"clients__0__contract__business_hours__start": "18:00"}, "start 18:00 must be before end 17:00"),
    ({"clients__0__contract__currency": "Dollars"}, '"Dollars" is not valid; expected a 3-letter ISO 4217 code'),
    ({"clients__0__contract__currency": "XYZ"}, "'XYZ' is not an ISO 4217 currency code"),
    ({"clients__0__contract__out_of_scope__2__referral": _DELETE}, 'response = "referral" needs referral'),
    ({"clients__0__contract__consultation_url": _DELETE}, "consultation_url is required"),
    ({"clients__0__boards__0__id": "not-a-board"}, "trello board id 'not-a-board' should be the 24-character id"),
    ({"clients__0__boards__0__provider": "jira"}, "clients[0].boards[0].provider (client 'Bright Path Coaching'): \"jira\" is not allowed"),
    ({"clients__0__contract__services__0__keywords": ["!!"]}, '"!!" is not valid; expected words or phrases containing letters'),
    ({"clients__0__contract__services__2__keywords": []}, "needs at least one keyword or label"),
    ({"clients__0__templates__decline": "Sorry about {price}"}, "uses unknown placeholder {price}"),
    ({"smtp": _DELETE}, "scopekeeper.report.email_to needs an [smtp] table"),
    ({"clients": []}, "clients: must not be empty"),
    ({"clients__0__contract": _DELETE}, "clients[0].contract (client 'Bright Path Coaching'): is required but missing"),
])
def test_each_mistake_gets_one_message_with_path_value_and_what_is_allowed(changes: dict, expected: str) -> None:
    found = problems(edited(**changes))
    assert len(found) == 1, found
    assert expected in found[0], found[0]


@pytest.mark.parametrize("secret", [
    "3f2a9cdeadbeef0123456789abcdef01",                                     # a Trello API key
    "ATTA3f2a9cdeadbeef0123456789abcdef0123456789abcdef0123456789abcdef01",  # a Trello token
    "2/1201234567890123/1209876543210987:5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c",  # an Asana PAT
])
@pytest.mark.parametrize("key", ["connections__trello__api_key_env", "connections__trello__token_env",
                                 "connections__asana__token_env", "smtp__password_env"])
def test_a_secret_where_an_env_name_belongs_is_refused_without_echoing_it(key: str, secret: str) -> None:
    found = problems(edited(**{key: secret}))
    assert len(found) == 1 and "looks like a secret itself" in found[0]
    assert secret not in found[0] and secret[:10] not in found[0]


def test_a_password_written_into_smtp_is_not_echoed() -> None:
    found = problems(EXAMPLE.replace('password_env = "SMTP_PASSWORD"', 'password = "hunter2-hunter2"'))
    assert "unknown key 'password'; did you mean 'password_env'?" in found[0]
    assert "Secrets belong in the environment" in found[0] and "hunter2" not in " ".join(found)


def test_several_mistakes_are_all_reported_in_file_order() -> None:
    found = problems(edited(scopekeeper__mode="yolo", clients__1__contract__period="fortnight"))
    assert [p.split(":")[0] for p in found] == ["scopekeeper.mode", "clients[1].contract.period (client 'Estudio Sol')"]


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(EXAMPLE + "\n[[clients]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: not valid TOML") and re.search(r"line \d+", str(caught.value))


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"file not found; copy config\.example\.toml"):
        load_config(tmp_path / "scopekeeper.toml")


_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
                     st.floats(), st.text(max_size=30),
                     st.sampled_from(["week", "month", "en", "pl", "UTC", "09:00", "15m", "trello", "EUR"]))
_keys = st.one_of(st.text(min_size=1, max_size=12),
                  st.sampled_from(["scopekeeper", "clients", "contract", "services", "name", "hours", "period",
                                   "keywords", "labels", "timezone", "language", "boards", "provider", "id",
                                   "out_of_scope", "response", "business_hours", "days", "start", "end"]))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(_keys, inner, max_size=5)), max_leaves=20)


def _without_none(value):
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _values, max_size=6))
def test_any_toml_document_loads_or_raises_config_error(document: dict) -> None:
    text = tomli_w.dumps(_without_none(document))
    try:
        parse_config(text)
    except ConfigError as err:
        assert err.problems and all(isinstance(p, str) and p for p in err.problems)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_mutation_of_the_example_loads_or_raises_config_error(data) -> None:
    document = tomllib.loads(EXAMPLE)
    node = document
    for _ in range(data.draw(st.integers(1, 4))):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = data.draw(st.integers(0, len(node) - 1))
        else:
            break
        if data.draw(st.booleans()) and isinstance(node[key], (dict, list)):
            node = node[key]
        else:
            node[key] = data.draw(_values)
            break
    try:
        parse_config(tomli_w.dumps(_without_none(document)))
    except ConfigError as err:
        assert err.problems


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_raises_config_error(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_config(text)


def test_config_check_summarises_clients_and_capacity(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["config", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "Bright Path Coaching" in result.output and "asana:1207654321098765" in result.output
    # 20 h/month = 4.6 h/week, plus 8 h/month = 1.8 h/week, against 35 h of capacity.
    assert "6.5 of 35 h/week contracted; 28.5 h/week free" in result.output


def test_config_check_warns_when_overbooked(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(edited(scopekeeper__weekly_capacity_hours=5), encoding="utf-8")
    result = CliRunner().invoke(cli, ["config", "check", str(path)])
    assert result.exit_code == 1 and "Overbooked: clients contract 6.5 h/week, 1.5 h more than your capacity of 5 h" in result.output


def test_config_check_reports_errors_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(edited(clients__0__contract__period="fortnight"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["config", "check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"config error: {path}: clients[0].contract.period" in result.output


def test_config_schema_is_json_schema_with_design_names() -> None:
    result = CliRunner().invoke(cli, ["config", "schema"])
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) == {"scopekeeper", "smtp", "notify", "connections", "clients"}
    assert "from" in schema["$defs"]["Smtp"]["properties"] and schema["$defs"]["Contract"]["additionalProperties"] is False
