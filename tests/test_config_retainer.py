"""Retainer terms in the configuration: loaded, checked with clear errors, and said in words by `config check`."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli.main import cli
from scheduler.config.models import parse_config
from tests.test_config import EXAMPLE, edited, problems


def _uncommented(text: str) -> str:
    """The example with its commented retainer terms switched on."""
    for key in ("rollover =", "rollover_cap_hours", "rollover_expires_after", "grace_hours", "billing_increment"):
        text = text.replace(f"# {key}", key)
    return text


def test_example_terms_load_and_are_said_in_words(tmp_path: Path) -> None:
    text = _uncommented(EXAMPLE)
    contract = parse_config(text).clients[1].contract
    assert (contract.rollover, contract.rollover_cap_hours, contract.rollover_expires_after) == ("unused", 8, 2)
    assert (contract.grace_hours, contract.billing_increment_minutes) == (0.5, 15)
    assert parse_config(text).clients[0].contract.rollover == "none"
    assert parse_config(EXAMPLE).clients[1].contract.rollover == "none"
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(cli, ["config", "check", str(path)]).output
    assert ("Unused hours roll over and stay usable for 2 months (at most 8 h carried into one month); hours past "
            "the plan are billed at 30 EUR/h; the first 0.5 h past the plan each month are not billed; billed time "
            "is rounded up to 15 minutes each month.") in " ".join(out.split())
    assert "Unused hours expire at the end of each month; hours past the plan are billed at 45 USD/h." in out


def test_overrun_and_weekly_terms_in_words(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(edited(clients__0__contract__rollover="both", clients__0__contract__period="week",
                           clients__0__contract__rollover_expires_after=1), encoding="utf-8")
    out = " ".join(CliRunner().invoke(cli, ["config", "check", str(path)]).output.split())
    assert ("Unused hours roll over and stay usable for the next week; hours past the plan come out of the next "
            "week's hours instead of being billed (up to 20 h; beyond that they are billed).") in out


@pytest.mark.parametrize("key,value,expected", [
    ("rollover", "monthly", "clients[0].contract.rollover"),
    ("billing_increment_minutes", 10, "clients[0].contract.billing_increment_minutes"),
    ("rollover_expires_after", 0, "clients[0].contract.rollover_expires_after"),
    ("grace_hours", -1, "clients[0].contract.grace_hours"),
    ("rollover_cap_hours", "ten", "clients[0].contract.rollover_cap_hours"),
])
def test_bad_terms_name_the_key(key, value, expected) -> None:
    found = problems(edited(**{f"clients__0__contract__{key}": value}))
    assert len(found) == 1 and expected in found[0] and str(value) in found[0], found
