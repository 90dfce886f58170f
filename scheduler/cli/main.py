"""The `scopekeeper` command line."""
from __future__ import annotations

import json
import os
import sys
from importlib import metadata

import click

from integrations.errors import ExportError, IntegrationError

from scheduler.cli.common import DEFAULT_CONFIG, EXIT_FAILED, fail, load, parse_now, say, stdout
from scheduler.config.models import AppConfig
from scheduler.cli.config_check import print_config_summary
from scheduler.cli.output import print_table
from scheduler.worker.scan import scan_export, scan_live
from integrations.errors import MissingCredentials

def _version() -> str:
    try:
        return metadata.version("scopekeeper")
    except metadata.PackageNotFoundError:
        return "unknown"


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
    config = load(config_path)
    try:
        client = config.client(client_name)
    except KeyError as err:
        raise fail(str(err.args[0])) from None
    now = parse_now(now_text, config.scopekeeper.timezone)
    try:
        output = scan_export(client, export, now) if export else scan_live(config, client, now)
    except ExportError as err:
        raise fail(str(err)) from None
    except MissingCredentials as err:
        raise fail(str(err)) from None
    except IntegrationError as err:
        raise fail(f"{client.name}: {err}", EXIT_FAILED) from None
    for warning in output.warnings:
        say("warning:", "yellow", warning)
    if fmt == "json":
        click.echo(json.dumps(output.result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_table(output.result, stdout(), client.language)


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
    if not print_config_summary(load(path), stdout(), path):
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
    """Commands that live in their own modules: connectors, the worker's, the reports' and the demo."""
    from scheduler.cli import connect_asana, connect_trello, notify, reports, worker
    from scheduler.demo import command as demo

    connect.add_command(connect_trello.command, "trello")
    connect.add_command(connect_asana.command, "asana")
    for command in (*worker.commands, *reports.commands, *notify.commands, *demo.commands):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("NO_COLOR") is None and not sys.stdout.isatty():
        os.environ.setdefault("NO_COLOR", "1")
    cli(prog_name="scopekeeper")
