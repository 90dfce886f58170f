"""`scopekeeper notify test`: one test message through every channel of [notify]."""
from __future__ import annotations

import click

from scheduler import logs
from scheduler.cli.common import EXIT_FAILED, say
from scheduler.cli.worker import load_registered, open_checked
from scheduler.notify.notifier import Notifier


@click.group()
def notify() -> None:
    """Notifications: how ScopeKeeper tells you about problems and clients' hours ([notify] in the config).

    \b
    Example:
      scopekeeper notify test --config scopekeeper.toml
    """


@notify.command("test")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCOPEKEEPER_CONFIG",
              help="Configuration file (or $SCOPEKEEPER_CONFIG; default scopekeeper.toml).")
def test(config_path: str | None) -> None:
    """Send a test message to every channel: the email of [notify] and each of its urls.

    \b
    Example:
      scopekeeper notify test --config scopekeeper.toml
    """
    logs.configure(default_level="ERROR")
    config = load_registered(config_path)
    notifier = Notifier(config, open_checked(config))
    if not notifier.channels:
        say("error:", "red", "no channel to test: [notify] has email = false or no [smtp] and address, and no urls")
        raise click.exceptions.Exit(EXIT_FAILED)
    results = notifier.test()
    for name, error in results:
        if error:
            say("failed:", "red", f"{name}: {logs.redact(error)}")
        else:
            click.echo(f"sent: {name}")
    if any(error for _, error in results):
        raise click.exceptions.Exit(EXIT_FAILED)


commands = [notify]
