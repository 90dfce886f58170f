"""`scopekeeper connect trello`: check a Trello key and token, then add chosen boards to a client's config."""
from __future__ import annotations

import tomllib
from pathlib import Path

import click

from integrations.errors import IntegrationError
from integrations.trello.adapter import TrelloAdapter
from integrations.trello.http import API, AUTHORIZE_URL, KEY_PAGE
from scheduler.cli.common import webhook_note
from scheduler.config.edit import ConfigEditError, add_board
from scheduler.config.secrets import KEYRING_SERVICE, get_secret
from scheduler.testing_hooks import TEST_HOOK, TRELLO_URL_ENV

DEFAULT_ENV = {"api_key_env": "TRELLO_API_KEY", "token_env": "TRELLO_TOKEN"}


@click.command("trello")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default="scopekeeper.toml", show_default=True, help="The configuration file to add the boards to.")
@click.option("--client", required=True, help="The [[clients]] name the boards belong to.")
@click.option("--board", "boards", multiple=True, metavar="ID",
              help="A board id to add (repeatable); without it, choose among your open boards.")
@click.option("--api-url", default=API, envvar=TRELLO_URL_ENV, hidden=True,
              help=TEST_HOOK + f"Trello API root (the sandbox's, for the demo); {TRELLO_URL_ENV}, as for `run`.")
def command(config_path: Path, client: str, boards: tuple[str, ...], api_url: str) -> None:
    """Connect Trello boards to a client: check the API key and token, then add the chosen boards to the config.

    The key and token are read from the environment (or the OS keyring), never written to the config.

    \b
    Example:
      export TRELLO_API_KEY=... TRELLO_TOKEN=...
      scopekeeper connect trello --config scopekeeper.toml --client "Bright Path Coaching"
    """
    names = _env_names(config_path)
    key, token = (get_secret(names[n], required=False) for n in ("api_key_env", "token_env"))
    if not key or not token:
        missing = [names[n] for n, v in (("api_key_env", key), ("token_env", token)) if not v]
        click.echo(_how_to(names), err=True)
        raise click.ClickException(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set; "
                                   "set as shown above, then run this command again")
    adapter = TrelloAdapter(key, token, base_url=api_url)
    try:
        member = adapter.me()
        available = adapter.open_boards()
    except IntegrationError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Connected to Trello as {member.get('fullName') or '?'} (@{member.get('username') or '?'}).")
    chosen = _validated(boards, available) if boards else _choose(available, client)
    for board in chosen:
        try:
            added = add_board(config_path, client, "trello", board["id"])
        except ConfigEditError as err:
            raise click.ClickException(str(err)) from None
        state = "added to" if added else "already in"
        click.echo(f"Board {board.get('name', '')!r} ({board['id']}) {state} client {client!r} in {config_path}.")
    if note := webhook_note(config_path):
        click.echo(note)
    click.echo("\nScopeKeeper reads the key and token from its environment; in the shell or service that runs it:")
    click.echo(_exports(names))


def _env_names(config_path: Path) -> dict[str, str]:
    """The variable names [connections.trello] gives for the key and the token (with the design's defaults)."""
    try:
        document = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except OSError as err:
        raise click.ClickException(f"{config_path}: cannot read the configuration: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise click.ClickException(f"{config_path}: not valid TOML: {err}") from None
    section = (document.get("connections") or {}).get("trello") or {}
    return {name: str(section.get(name) or default) for name, default in DEFAULT_ENV.items()}


def _how_to(names: dict[str, str]) -> str:
    return "\n".join([
        "To connect Trello, ScopeKeeper needs an API key and a token:",
        f"  1. API key: open {KEY_PAGE}, create (or open) a Power-Up, and on its 'API key' tab",
        "     generate a new API key.",
        "  2. Token: open this address in a browser, with <your API key> replaced by that key, and press Allow:",
        f"     {AUTHORIZE_URL}",
        "     The token it shows never expires, so ScopeKeeper keeps working without you renewing it every month.",
        "     The trade-off: anyone who gets hold of it can read and write your boards until you revoke it",
        "     (Trello: your avatar > Settings > Applications > Revoke). Keep it in the environment or keyring only.",
        "     Prefer a token that expires? Replace expiration=never with expiration=30days in the address;",
        "     ScopeKeeper then warns you a week before it stops working.",
        "  3. Put both in the environment (or the OS keyring), never in the configuration file:",
        _exports(names),
    ])


def _exports(names: dict[str, str]) -> str:
    return "\n".join([
        f"     export {names['api_key_env']}='<your API key>'",
        f"     export {names['token_env']}='<your token>'",
        f"     (or: keyring set {KEYRING_SERVICE} {names['token_env']})",
    ])


def _validated(wanted: tuple[str, ...], available: list[dict]) -> list[dict]:
    by_id = {b.get("id"): b for b in available}
    unknown = [b for b in wanted if b not in by_id]
    if unknown:
        listing = "; ".join(f"{b.get('id')} {b.get('name', '')!r}" for b in available) or "none"
        raise click.ClickException(f"not among the open boards this token can see: {', '.join(unknown)} "
                                   f"(open boards: {listing})")
    return [by_id[b] for b in dict.fromkeys(wanted)]


def _choose(available: list[dict], client: str) -> list[dict]:
    if not available:
        raise click.ClickException("this token sees no open board; open one in Trello, or use another account")
    click.echo("Your open Trello boards:")
    for number, board in enumerate(available, 1):
        click.echo(f"  {number}. {board.get('name', '')}  ({board.get('id')})")

    def parse(answer: str) -> list[int]:
        try:
            numbers = [int(part) for part in answer.replace(",", " ").split()]
        except ValueError:
            raise click.BadParameter("give board numbers, like 1 or 1,3") from None
        if not numbers or any(not 1 <= n <= len(available) for n in numbers):
            raise click.BadParameter(f"give numbers between 1 and {len(available)}")
        return numbers

    numbers = click.prompt(f"Boards to add for {client} (numbers, comma-separated)", value_proc=parse)
    return [available[n - 1] for n in dict.fromkeys(numbers)]
