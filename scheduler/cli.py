"""The `scopekeeper` command line."""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from importlib import metadata
from zoneinfo import ZoneInfo

import click
from rich.console import Console

from integrations.errors import ExportError, IntegrationError

from .config import AppConfig, ConfigError, load_config
from .config_report import print_config_summary
from .output import print_table
from .scan import scan_export, scan_live
from .secrets import MissingSecret

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_CONFIG = "scopekeeper.toml"


def _version() -> str:
    try:
        return metadata.version("scopekeeper")
    except metadata.PackageNotFoundError:
        return "unknown"


def _stdout() -> Console:
    """Rich output; wider than 80 columns when it goes to a file or a pipe."""
    return Console() if sys.stdout.isatty() else Console(width=120)


def _say(prefix: str, colour: str, message: str) -> None:
    """One unwrapped line on stderr; click drops the colour when stderr is not a terminal."""
    click.echo(click.style(prefix, fg=colour) + " " + message, err=True)


def _fail(message: str, code: int = EXIT_USAGE) -> "click.exceptions.Exit":
    _say("error:", "red", message)
    return click.exceptions.Exit(code)


def _load(path: str) -> AppConfig:
    try:
        return load_config(path)
    except ConfigError as err:
        for problem in err.problems:
            _say("config error:", "red", f"{err.path}: {problem}")
        raise click.exceptions.Exit(EXIT_USAGE) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="scopekeeper")
def cli() -> None:
    """ScopeKeeper keeps a VA's client work inside the contract.

    \b
    Try it on the bundled example (no account needed):
      scopekeeper scan --config config.example.toml --client "Bright Path Coaching" \\
        --from-export examples/bright_path_trello.json --now 2026-11-20T18:00:00-05:00
    """


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCOPEKEEPER_CONFIG",
              default=DEFAULT_CONFIG, show_default=True, help="Configuration file (or $SCOPEKEEPER_CONFIG).")
@click.option("--client", "client_name", required=True, help="Client name as in the configuration.")
@click.option("--from-export", "export", type=click.Path(dir_okay=False),
              help="Evaluate a Trello board export or Asana project export instead of the live boards.")
@click.option("--now", "now_text", metavar="ISO8601",
              help="Fix the clock, e.g. 2026-11-20T18:00:00-05:00 (default: the current time). "
                   "Without an offset it is read in the VA's timezone.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def scan(config_path: str, client_name: str, export: str | None, now_text: str | None, fmt: str) -> None:
    """Evaluate a client's cards against the contract and print the findings.

    \b
    Examples:
      scopekeeper scan --client "Bright Path Coaching" --from-export board.json --format json
      scopekeeper scan --config scopekeeper.toml --client "Estudio Sol"      # live boards
    """
    config = _load(config_path)
    try:
        client = config.client(client_name)
    except KeyError as err:
        raise _fail(str(err.args[0])) from None
    now = _parse_now(now_text, config.scopekeeper.timezone)
    try:
        output = scan_export(client, export, now) if export else scan_live(config, client, now)
    except ExportError as err:
        raise _fail(str(err)) from None
    except MissingSecret as err:
        raise _fail(str(err)) from None
    except IntegrationError as err:
        raise _fail(f"{client.name}: {err}", EXIT_FAILED) from None
    for warning in output.warnings:
        _say("warning:", "yellow", warning)
    if fmt == "json":
        click.echo(json.dumps(output.result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_table(output.result, _stdout(), config.scopekeeper.language)


def _parse_now(text: str | None, va_timezone: str) -> datetime:
    if not text:
        return datetime.now(ZoneInfo(va_timezone))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(f"--now {text!r} is not an ISO 8601 date and time, e.g. 2026-11-20T18:00:00-05:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(va_timezone))


@cli.group()
def config() -> None:
    """Check the configuration, or print its JSON Schema.

    \b
    Examples:
      scopekeeper config check scopekeeper.toml
      scopekeeper config schema > scopekeeper.schema.json
    """


@config.command("check")
@click.argument("path", type=click.Path(dir_okay=False), default=DEFAULT_CONFIG, envvar="SCOPEKEEPER_CONFIG")
def config_check(path: str) -> None:
    """Validate PATH and summarise each client and your weekly capacity (exit 1 when overbooked).

    \b
    Example:
      scopekeeper config check scopekeeper.toml
    """
    if not print_config_summary(_load(path), _stdout(), path):
        raise click.exceptions.Exit(EXIT_FAILED)


@config.command("schema")
def config_schema() -> None:
    """Print the configuration's JSON Schema (for editor completion, e.g. with Taplo or Even Better TOML).

    \b
    Example:
      scopekeeper config schema > scopekeeper.schema.json
    """
    schema = AppConfig.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ScopeKeeper configuration"
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Examples:
      eval "$(scopekeeper completion bash)"                       # in ~/.bashrc
      scopekeeper completion fish > ~/.config/fish/completions/scopekeeper.fish
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)(cli, {}, "scopekeeper", "_SCOPEKEEPER_COMPLETE")
    click.echo(completer.source())


@cli.group()
def connect() -> None:
    """Connect a Trello or Asana account and add boards to a client.

    \b
    Examples:
      scopekeeper connect trello --client "Bright Path Coaching"
      scopekeeper connect asana --client "Estudio Sol"
    """


def _register() -> None:
    """Commands that live in their own modules: connectors, the worker's and the reports'."""
    from . import connect_asana, connect_trello

    connect.add_command(connect_trello.command, "trello")
    connect.add_command(connect_asana.command, "asana")
    for module in ("scheduler.cli_worker", "scheduler.cli_reports", "scheduler.demo.command"):
        try:
            commands = __import__(module, fromlist=["commands"]).commands
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
            continue  # that part of the product is not built yet
        for command in commands:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("NO_COLOR") is None and not sys.stdout.isatty():
        os.environ.setdefault("NO_COLOR", "1")
    cli(prog_name="scopekeeper")
