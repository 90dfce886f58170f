"""A team folder's configurations side by side: what one worker process cannot run together."""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from scheduler.config.models import AppConfig

TEAM_PATTERN = "*.toml"  # each file in a team folder is one VA's configuration


def team_files(folder: Path) -> list[Path]:
    """The folder's configurations, in name order (the order their first scans start in)."""
    return sorted(path for path in folder.glob(TEAM_PATTERN) if path.is_file())


def team_conflicts(configs: Mapping[Path, AppConfig]) -> dict[Path, str]:
    """Per configuration that cannot run beside the others, why: two VAs' state in one store, or two VAs'
    tokens under one name (secrets are found by name, so one of them would read the other's boards as her)."""
    owners: dict[tuple[str, str], list[Path]] = {}
    for path, config in configs.items():
        providers = {board.provider for client in config.clients for board in client.boards}
        connections = config.connections
        claims = [("state", _same_store(config.scopekeeper.state_url))]
        claims += [("trello", connections.trello.token_env)] if "trello" in providers else []
        claims += [("asana", connections.asana.token_env)] if "asana" in providers else []
        for claim in claims:
            owners.setdefault(claim, []).append(path)
    why: dict[Path, str] = {}
    for (kind, value), paths in owners.items():
        if len(paths) < 2:
            continue
        names = " and ".join(path.name for path in paths)
        for path in paths:
            suffix = re.sub(r"\W", "_", path.stem).upper()
            why[path] = (f"{names} keep their state in the same store ({_store(value)}): give each its own "
                         "state_url" if kind == "state" else
                         f"{names} both read their {kind.title()} token from {value}: in one worker each VA "
                         f"needs her own, e.g. token_env = \"{value}_{suffix}\"")
    return why


def _same_store(url: str) -> str:
    """One spelling per store: a SQLite file by its absolute path (relative ones are read from the working folder)."""
    return f"sqlite:///{Path(url[len('sqlite:///'):]).resolve()}" if url.startswith("sqlite:///") else url


def _store(url: str) -> str:
    return url.rsplit("@", 1)[-1]  # no password in a message
