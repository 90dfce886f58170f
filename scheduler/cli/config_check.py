"""`config check` (what each client buys, and whether the week still fits) and `config schema`."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click
from rich.console import Console

from scheduler.cli.common import DEFAULT_CONFIG, EXIT_FAILED, EXIT_USAGE, load, stdout
from scheduler.config.models import AppConfig, capacity
from scheduler.config.retainer_words import retainer_words
from scheduler.config.team import team_conflicts, team_files


@click.group()
def config() -> None:
    """Check the configuration, or print its JSON Schema.

    \b
    Examples:
      scopekeeper config check scopekeeper.toml
      scopekeeper config schema > scopekeeper.schema.json
    """


@config.command("check")
@click.argument("path", type=click.Path(), default=DEFAULT_CONFIG, envvar="SCOPEKEEPER_CONFIG")
def config_check(path: str) -> None:
    """Validate PATH and summarise each client and your weekly capacity (exit 1 when overbooked).

    PATH may be a team folder (`scopekeeper run --config FOLDER`): each VA's file is checked, alone and
    against the others, in one line each (exit 2 when one cannot run).

    \b
    Examples:
      scopekeeper config check scopekeeper.toml
      scopekeeper config check team/
    """
    if os.path.isdir(path):
        if not check_team(Path(path), stdout()):
            raise click.exceptions.Exit(EXIT_USAGE)
        return
    if not print_config_summary(load(path), stdout(), path):
        raise click.exceptions.Exit(EXIT_FAILED)


def check_team(folder: Path, console: Console) -> bool:
    """One line per VA's file of a team folder; False when one cannot run (its problems are printed)."""
    configs: dict[Path, AppConfig] = {}
    paths = team_files(folder)
    for path in paths:
        try:
            configs[path] = load(str(path))
        except click.exceptions.Exit:
            continue
    conflicts = team_conflicts(configs)
    for path, config in configs.items():
        if path in conflicts:
            console.print(f"[red]✗[/] {path}: not run: {conflicts[path]}", highlight=False)
        else:
            console.print(f"[green]✓[/] {path}: {len(config.clients)} client(s), mode {config.scopekeeper.mode}, "
                          f"scan every {_duration(config.scopekeeper.scan_every.total_seconds())}.", highlight=False)
    if not paths:
        console.print(f"[red]✗[/] {folder}: no configuration (*.toml) in this folder", highlight=False)
    return bool(paths) and len(configs) == len(paths) and not conflicts


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


def print_config_summary(config: AppConfig, console: Console, path: str) -> bool:
    """Print per-client summary and the capacity check; False when the clients overbook the VA."""
    console.print(f"[green]✓[/] {path} is valid: {len(config.clients)} client(s), mode {config.scopekeeper.mode}, "
                  f"scan every {_duration(config.scopekeeper.scan_every.total_seconds())}.", highlight=False)
    for client in config.clients:
        c = client.contract
        boards = ", ".join(f"{b.provider}:{b.id}" for b in client.boards) or "[yellow]none yet[/] (scopekeeper connect)"
        console.print(f"\n[bold]{client.name}[/] ({client.language}, {client.timezone})", highlight=False)
        console.print(f"  boards:       {boards}", highlight=False)
        console.print(f"  contract:     {c.hours:g} h per {c.period} = {client.weekly_hours:.1f} h/week, "
                      f"extra hours at {c.overage_rate:g} {c.currency}/h", highlight=False)
        console.print(f"  retainer:     {retainer_words(c)}", highlight=False)
        console.print(f"  services:     {', '.join(s.name for s in c.services)}", highlight=False)
        console.print("  out of scope: " + (", ".join(f"{o.name} ({o.response})" for o in c.out_of_scope) or "none"),
                      highlight=False)
    console.print()
    booked, available = capacity(config)
    if available is None:
        console.print(f"Contracted: {booked:.1f} h/week. Set scopekeeper.weekly_capacity_hours to check your capacity.")
        return True
    if booked > available:
        console.print(f"[red]Overbooked:[/] clients contract {booked:.1f} h/week, {booked - available:.1f} h more "
                      f"than your capacity of {available:g} h. Say no to new work, or renegotiate.", highlight=False)
        return False
    console.print(f"[green]Capacity:[/] {booked:.1f} of {available:g} h/week contracted; "
                  f"{available - booked:.1f} h/week free for a new client.", highlight=False)
    return True


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
