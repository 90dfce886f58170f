"""The README's commands exist and accept the flags it shows: a newcomer can copy them."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from scheduler.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _command_lines() -> list[str]:
    """`scopekeeper ...` lines of the README's shell blocks, continuation lines joined."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("scopekeeper "):
                lines.append(line)
    return lines


def _resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = cli
    rest = list(words)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        assert sub is not None, f"no command {rest[0]!r} under {command.name!r}"
        command, rest = sub, rest[1:]
    return command, rest


COMMANDS = _command_lines()


def test_the_readme_shows_commands() -> None:
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_exists_with_its_flags(line: str) -> None:
    command, rest = _resolve(shlex.split(line)[1:])
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for word in rest:
        if word.startswith("--"):
            assert word.split("=", 1)[0] in known, f"{line!r}: {word} is not an option of {command.name!r}"
