"""Configuration of the VA's voice: signature, address, the client's email and the automatic client report."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from scheduler.config.models import ConfigError, parse_config

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = tomllib.loads((REPO / "config.example.toml").read_text(encoding="utf-8"))


def config_with(settings: dict | None = None, *clients: dict, smtp: bool = True):
    data = {**EXAMPLE, "scopekeeper": {**EXAMPLE["scopekeeper"], **(settings or {})}}
    data["clients"] = [{**EXAMPLE["clients"][i], **c} for i, c in enumerate(clients or ({},))]
    if not smtp:
        data.pop("smtp")
        data["scopekeeper"]["report"] = {k: v for k, v in data["scopekeeper"]["report"].items() if k != "email_to"}
    return parse_config(tomli_w.dumps(data), "my.toml")


def test_the_example_sets_the_voice_with_design_names() -> None:
    config = config_with()
    bright, sol = config_with(None, {}, {}).clients
    assert config.scopekeeper.signature == "Anna" and "anna@example.com" in config.scopekeeper.contact
    assert (bright.address, bright.email, bright.send_report) == ("formal", ["sam@brightpath.example"], False)
    assert sol.address == "informal" and sol.email == []


def test_a_client_signature_overrides_the_practice_one() -> None:
    config = config_with(None, {"signature": "Anna K."}, {})
    assert [config.signature(c) for c in config.clients] == ["Anna K.", "Anna"]
    data = {**EXAMPLE, "scopekeeper": {k: v for k, v in EXAMPLE["scopekeeper"].items() if k != "signature"}}
    unsigned = parse_config(tomli_w.dumps(data))
    assert unsigned.signature(unsigned.clients[0]) is None


def test_one_email_address_or_several() -> None:
    one = config_with(None, {"email": "sam@brightpath.example"})
    many = config_with(None, {"email": ["sam@brightpath.example", "books@brightpath.example"]})
    assert one.clients[0].email == ["sam@brightpath.example"]
    assert many.clients[0].email == ["sam@brightpath.example", "books@brightpath.example"]


@pytest.mark.parametrize("client, smtp, expected", [
    ({"address": "casual"}, True, "clients[0].address (client 'Bright Path Coaching'): \"casual\" is not allowed"),
    ({"email": ["sam at brightpath"]}, True, "clients[0].email[0]"),
    ({"email": [], "send_report": True}, True, "send_report = true needs the client's email"),
    ({"send_report": True}, False, "send_report = true (client 'Bright Path Coaching') needs an [smtp] table"),
    ({"signature": "  "}, True, "clients[0].signature"),
])
def test_mistakes_name_the_client_and_the_key(client: dict, smtp: bool, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_with(None, client, smtp=smtp)
    assert len(caught.value.problems) == 1 and expected in caught.value.problems[0], caught.value.problems
