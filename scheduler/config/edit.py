"""Edit the configuration file in place, keeping the VA's comments and layout (tomlkit)."""
from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import AoT, Array, InlineTable

from scheduler.errors import ScopeKeeperError


class ConfigEditError(ScopeKeeperError):
    """The file cannot be edited as asked; the message names the file and the reason."""


def add_board(path: str | Path, client: str, provider: str, board_id: str) -> bool:
    """Add `{provider, id}` to the named client's `boards`; False when it is already there."""
    path = Path(path)
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigEditError(f"{path}: cannot read: {err.strerror or err}") from None
    except ParseError as err:
        raise ConfigEditError(f"{path}: not valid TOML: {err}") from None
    clients = document.get("clients")
    if not isinstance(clients, AoT) and not isinstance(clients, list):
        raise ConfigEditError(f"{path}: has no [[clients]]; add the client first")
    for table in clients:
        if table.get("name") != client:
            continue
        boards = table.get("boards")
        if boards is None:
            boards = tomlkit.array()
            table["boards"] = boards
        if not isinstance(boards, Array):
            raise ConfigEditError(f"{path}: clients '{client}'.boards is not a list")
        if any(b.get("provider") == provider and str(b.get("id")) == board_id for b in boards):
            return False
        boards.append(_board_entry(provider, board_id))
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
        return True
    names = ", ".join(repr(t.get("name")) for t in clients) or "none"
    raise ConfigEditError(f"{path}: no client named {client!r} (clients: {names})")


def _board_entry(provider: str, board_id: str) -> InlineTable:
    """`{ provider = "...", id = "..." }`, spaced like the entries the VA wrote."""
    quoted = [tomlkit.string(value).as_string() for value in (provider, board_id)]
    return tomlkit.parse(f"entry = {{ provider = {quoted[0]}, id = {quoted[1]} }}")["entry"]
