"""What every CLI module shares: exit codes, the default config path, messages, config loading, --now."""
from __future__ import annotations

import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from rich.console import Console

from scheduler.config.models import AppConfig, ConfigError, load_config
from scheduler.config.secrets import use_secrets_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_CONFIG = "scopekeeper.toml"


def stdout() -> Console:
    """Rich output at the terminal's width; to a file or a pipe, $COLUMNS wide, else 120."""
    if sys.stdout.isatty():
        return Console()
    columns = os.environ.get("COLUMNS", "")
    return Console(width=int(columns) if columns.isdigit() and int(columns) >= 40 else 120)


def say(prefix: str, colour: str, message: str) -> None:
    """One unwrapped line on stderr; click drops the colour when stderr is not a terminal."""
    click.echo(click.style(prefix, fg=colour) + " " + message, err=True)


def fail(message: str, code: int = EXIT_USAGE) -> click.exceptions.Exit:
    """Print the error and return the exit to raise."""
    say("error:", "red", message)
    return click.exceptions.Exit(code)


def load(path: str) -> AppConfig:
    """The configuration, or every problem printed and exit 2."""
    use_secrets_file(path)
    try:
        return load_config(path)
    except ConfigError as err:
        for problem in err.problems:
            say("config error:", "red", f"{err.path}: {problem}")
        raise click.exceptions.Exit(EXIT_USAGE) from None


def parse_now(text: str | None, va_timezone: str) -> datetime:
    """--now as an aware datetime (read in the VA's timezone without an offset); the clock without it."""
    if not text:
        return datetime.now(ZoneInfo(va_timezone))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise fail(f"--now {text!r} is not an ISO 8601 date and time, e.g. 2026-11-20T18:00:00-05:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(va_timezone))


def webhook_note(config_path: str | os.PathLike) -> str | None:
    """After `connect`: how the new boards' webhooks get registered, when the configuration has a public_url."""
    import tomllib
    from pathlib import Path

    try:
        document = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    web = (document.get("scopekeeper") or {}).get("web") or {}
    if not web.get("public_url"):
        return None
    return ("Changes on these boards will reach ScopeKeeper within seconds: a running `scopekeeper run` registers "
            "their webhooks as soon as it sees the configuration changed (or when it next starts).")
