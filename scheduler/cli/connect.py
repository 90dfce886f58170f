"""`scopekeeper connect`: the Trello and Asana connectors, each imported only when it runs."""
from __future__ import annotations

import click

from scheduler.cli.lazy import LazyGroup


@click.group(cls=LazyGroup, lazy_subcommands={
    "trello": ("scheduler.cli.connect_trello:command", "Connect Trello boards to a client: check the API key and "
                                                        "token, then add the chosen boards to the config."),
    "asana": ("scheduler.cli.connect_asana:command", "Connect Asana projects to a client, with your personal access token."),
})
def connect() -> None:
    """Connect a Trello or Asana account and add boards to a client.

    \b
    Examples:
      scopekeeper connect trello --client "Bright Path Coaching"
      scopekeeper connect asana --client "Estudio Sol"
    """
