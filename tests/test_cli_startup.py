"""Start-up: each command imports only what it needs; `--help` lists every command without importing any."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scheduler.cli.connect import connect
from scheduler.cli.lazy import LazyGroup
from scheduler.cli.main import COMMANDS, cli

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "alembic", "matplotlib", "asana", "trello", "jinja2", "httpx", "requests")


def _imported(*args: str) -> tuple[set[str], str]:
    """The top-level packages a fresh `scopekeeper ARGS` process has imported when it ends, and its output."""
    code = ("import sys\n"
            f"sys.argv = ['scopekeeper', *{list(args)!r}]\n"
            "from scheduler.cli.main import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    output, _, modules = done.stdout.rpartition("MODULES ")
    return {m.split(".")[0] for m in modules.split()} | set(modules.split()), output


@pytest.mark.parametrize("args", [("--version",), ("--help",)])
def test_version_and_help_import_no_store_sdk_chart_or_config(args: tuple[str, ...]) -> None:
    modules, output = _imported(*args)
    assert output.strip(), "the command printed nothing"
    assert not modules & {*HEAVY, "pydantic", "rich", "rules", "integrations"}, sorted(modules & {*HEAVY, "pydantic"})


def test_config_check_needs_neither_the_store_nor_the_sdks_nor_the_charts() -> None:
    modules, output = _imported("config", "check", "config.example.toml")
    assert "is valid: 2 client(s)" in output
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert not any(m.startswith(("scheduler.store", "scheduler.reports.chart", "scheduler.worker")) for m in modules)


@pytest.mark.parametrize("group", [cli, connect], ids=["scopekeeper", "connect"])
def test_each_declared_short_help_is_the_commands_own(group: LazyGroup) -> None:
    for name, (_, short_help) in group.lazy_subcommands.items():
        assert short_help == group.load(name).get_short_help_str(10**6), name


def test_help_lists_every_command_with_its_short_help() -> None:
    shown = CliRunner().invoke(cli, ["--help"], terminal_width=200).output
    for name, (_, short_help) in COMMANDS.items():
        assert f"  {name} " in shown and short_help in shown, name
    assert "completion" in shown and "Print the shell completion script for SHELL." in shown


def test_a_lazy_command_runs_and_a_wrong_name_is_a_usage_error() -> None:
    runner = CliRunner()
    assert "check" in runner.invoke(cli, ["config", "--help"]).output
    wrong = runner.invoke(cli, ["sacn"])
    assert wrong.exit_code == 2 and "No such command 'sacn'" in wrong.output


def test_a_lazy_entry_that_is_no_command_is_refused() -> None:
    group = LazyGroup(lazy_subcommands={"odd": ("scheduler.cli.main:COMMANDS", "Not a command.")})
    with pytest.raises(TypeError, match=r"scheduler\.cli\.main:COMMANDS is not a click command"):
        group.get_command(click.Context(group), "odd")
