"""The `scopekeeper` command line: a group that imports each command's module only when that command runs."""
from __future__ import annotations

import os
import sys

import click

from scheduler.cli.lazy import LazyGroup

# name: ("module:command", its short help for `scopekeeper --help`; tests/test_cli_startup.py keeps them equal)
COMMANDS = {
    "scan": ("scheduler.cli.scan:scan", "Evaluate a client's cards against the contract and print the findings."),
    "config": ("scheduler.cli.config_check:config", "Check the configuration, or print its JSON Schema."),
    "connect": ("scheduler.cli.connect:connect", "Connect a Trello or Asana account and add boards to a client."),
    "run": ("scheduler.cli.worker:run", "Scan every client on schedule and act on the findings."),
    "review": ("scheduler.cli.worker:review", "List the comments waiting for your approval, with card links, why, and text."),
    "status": ("scheduler.cli.worker:status", "Per client: the last scan, its outcome, comments waiting for review, "
                                             "and unknown outcomes."),
    "report": ("scheduler.cli.reports:report", "Write scope reports (hours, burn-up chart, extra hours to bill, "
                                             "out-of-scope requests, red flags)."),
    "notify": ("scheduler.cli.notify:notify", "Notifications: how ScopeKeeper tells you about problems and clients' "
                                             "hours ([notify] in the config)."),
    "service": ("scheduler.cli.service:service", "Keep ScopeKeeper running by itself: it starts when you log in and "
                                                "restarts after a problem."),
    "web": ("scheduler.cli.web:web", "Serve the web app alone (inbox, clients, connect, reports), over the same state "
                                     "as `scopekeeper run`."),
    "open": ("scheduler.cli.web:open_command", "Print a fresh one-time sign-in link to the running web app (and "
                                              "open the browser)."),
    "client-page": ("scheduler.cli.web:client_page", "Print a new link to a client's own read-only page (replacing "
                                                    "any earlier link), or turn the page off."),
    "demo": ("scheduler.demo.command:demo", "Run ScopeKeeper end to end on four sample clients, without any account."),
}


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print the installed version, looked up only when asked (the package metadata costs a directory scan)."""
    if not value or ctx.resilient_parsing:
        return
    from importlib import metadata

    try:
        version = metadata.version("scopekeeper")
    except metadata.PackageNotFoundError:
        version = "unknown"
    click.echo(f"scopekeeper, version {version}")
    ctx.exit()


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
def cli() -> None:
    """ScopeKeeper keeps a VA's client work inside the contract.

    \b
    Try it on the bundled example (no account needed):
      scopekeeper scan --config config.example.toml --client "Bright Path Coaching" \\
        --from-export examples/bright_path_trello.json --now 2026-11-20T18:00:00-05:00
    """


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

    completion = get_completion_class(shell)
    if completion is None:  # click.Choice lets only the shells click knows through
        raise click.BadParameter(f"no completion for {shell}", param_hint="SHELL")
    completer = completion(cli, {}, "scopekeeper", "_SCOPEKEEPER_COMPLETE")
    click.echo(completer.source())


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("NO_COLOR") is None and not sys.stdout.isatty():
        os.environ.setdefault("NO_COLOR", "1")
    cli(prog_name="scopekeeper")
