"""`scopekeeper scan`: one client's findings, from the live boards or an export."""
from __future__ import annotations

import json

import click

from integrations.errors import ExportError, IntegrationError, MissingCredentials
from scheduler.cli.common import DEFAULT_CONFIG, EXIT_FAILED, fail, load, parse_now, say, stdout
from scheduler.cli.output import print_table
from scheduler.worker.scan import scan_export, scan_live


@click.command()
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
        _echo_json(output.result.to_json())
    else:
        print_table(output.result, stdout(), client.language)


def _echo_json(document: object) -> None:
    """`document` as indented JSON on stdout, written as it is encoded: 50,000 cards never become one string."""
    batch: list[str] = []
    size = 0
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document):
        batch.append(chunk)
        size += len(chunk)
        if size > 1 << 16:
            click.echo("".join(batch), nl=False)
            batch, size = [], 0
    click.echo("".join(batch))
