"""`scopekeeper connect asana`: check the token, choose projects, add them to a client in the config."""
from __future__ import annotations

import tomllib
from pathlib import Path

import click

from integrations.asana.adapter import DEFAULT_HOST, AsanaAdapter
from integrations.errors import IntegrationError
from scheduler.cli.common import webhook_note
from scheduler.config.edit import ConfigEditError, add_board
from scheduler.config.secrets import MissingSecret, get_secret
from scheduler.testing_hooks import ASANA_URL_ENV, TEST_HOOK

TOKEN_HELP = "Create one in Asana: My Settings > Apps > Developer apps > Create new token (https://app.asana.com/0/my-apps)."


@click.command("asana")
@click.option("--config", "config_path", default="scopekeeper.toml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The configuration file to add the projects to.")
@click.option("--client", "client_name", help="The client (its name in the configuration) the projects belong to.")
@click.option("--project", "project_gids", multiple=True, help="A project gid to add (repeatable); otherwise choose.")
@click.option("--api-url", default=DEFAULT_HOST, envvar=ASANA_URL_ENV, hidden=True,
              help=TEST_HOOK + f"Asana API root (the sandbox's, for the demo); {ASANA_URL_ENV}, as for `run`.")
def command(config_path: Path, client_name: str | None, project_gids: tuple[str, ...], api_url: str) -> None:
    """Connect Asana projects to a client, with your personal access token.

    \b
    Example:
      export ASANA_TOKEN=...
      scopekeeper connect asana --config scopekeeper.toml --client "Estudio Sol"
    """
    config = _read_config(config_path)
    client_name = _client(config, config_path, client_name)
    token_env = (config.get("connections") or {}).get("asana", {}).get("token_env") or "ASANA_TOKEN"
    try:
        token = get_secret(token_env)
    except MissingSecret as err:
        raise click.ClickException(f"{err}. {TOKEN_HELP}") from None
    try:
        with AsanaAdapter(token, host=api_url, token_env=token_env) as adapter:
            user = adapter.me()
            click.echo(f"Connected to Asana as {user.get('name', '?')} <{user.get('email', '?')}>.")
            visible = [(workspace, project) for workspace in adapter.workspaces()
                       for project in adapter.projects(workspace["gid"])]
    except IntegrationError as err:
        raise click.ClickException(str(err)) from None
    for workspace, project in _choose(visible, project_gids):
        try:
            added = add_board(config_path, client_name, "asana", project["gid"])
        except ConfigEditError as err:
            raise click.ClickException(str(err)) from None
        state = "added to" if added else "already in"
        click.echo(f"Project {project.get('name', '')!r} ({project['gid']}, workspace {workspace.get('name', '')!r}) "
                   f"{state} client {client_name!r} in {config_path}.")
    if note := webhook_note(config_path):
        click.echo(note)
    # The token stays where it is (environment or keyring); the file only names the variable.
    click.echo(f"ScopeKeeper reads the token from {token_env} at every scan. In the shell or service that runs it:\n"
               f"  export {token_env}=<your Asana personal access token>")


def _read_config(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file; start from config.example.toml") from None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise click.ClickException(f"{path}: cannot read the configuration: {err}") from None


def _client(config: dict, path: Path, wanted: str | None) -> str:
    names = [str(c.get("name")) for c in config.get("clients") or [] if isinstance(c, dict) and c.get("name")]
    if not names:
        raise click.ClickException(f"{path}: has no [[clients]]; add the client first")
    if wanted is not None:
        if wanted not in names:
            raise click.ClickException(f"{path}: no client named {wanted!r} (clients: {', '.join(names)})")
        return wanted
    if len(names) == 1:
        return names[0]
    for number, name in enumerate(names, 1):
        click.echo(f"  {number}. {name}")
    return names[click.prompt("Client", type=click.IntRange(1, len(names))) - 1]


def _choose(visible: list[tuple[dict, dict]], gids: tuple[str, ...]) -> list[tuple[dict, dict]]:
    if not visible:
        raise click.ClickException("this token sees no projects; ask the client to share theirs with your Asana user")
    if gids:
        by_gid = {project["gid"]: (workspace, project) for workspace, project in visible}
        unknown = [gid for gid in gids if gid not in by_gid]
        if unknown:
            raise click.ClickException(f"project {', '.join(unknown)} is not among the projects this token can see; "
                                       "run without --project to choose from the list")
        return [by_gid[gid] for gid in dict.fromkeys(gids)]
    for number, (workspace, project) in enumerate(visible, 1):
        click.echo(f"  {number}. {project.get('name', '')}  (workspace {workspace.get('name', '')}, gid {project['gid']})")
    return [visible[i] for i in click.prompt("Projects to add (numbers separated by commas)",
                                             value_proc=lambda text: _numbers(text, len(visible)))]


def _numbers(text: str, count: int) -> list[int]:
    try:
        picked = [int(part) - 1 for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise click.BadParameter("numbers separated by commas, e.g. 1,3") from None
    if not picked or any(not 0 <= i < count for i in picked):
        raise click.BadParameter(f"numbers from 1 to {count}")
    return list(dict.fromkeys(picked))
