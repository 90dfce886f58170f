"""Read a Trello board export or an Asana project export from disk."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from integrations.asana.mapper import project_snapshot
from integrations.errors import ExportError
from integrations.models import BoardSnapshot
from integrations.trello.mapper import board_snapshot


def read_export(path: str | Path) -> BoardSnapshot:
    """Detect the export's service and normalise it; raises ExportError naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ExportError(f"{path}: cannot read the export: {err.strerror or err}") from None
    return parse_export(raw, str(path))


def parse_export(raw: bytes | str, source: str) -> BoardSnapshot:
    """Normalise export content; `source` names it in errors."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ExportError(f"{source}: not UTF-8 text (byte {err.start}); export the board as JSON again") from None
    if not raw.strip():
        raise ExportError(f"{source}: the file is empty; export the board as JSON again")
    try:
        document = json.loads(raw)
    except RecursionError:  # the parser recurses once per level: a thousand levels exhaust Python's stack
        raise ExportError(f"{source}: the JSON is nested too deeply to be a board export (a board export is a few "
                          "levels deep); export the board as JSON again") from None
    except json.JSONDecodeError as err:
        if _truncated(raw, err):
            raise ExportError(f"{source}: the JSON ends early at line {err.lineno}, column {err.colno}: "
                              "the file looks truncated; download the export again") from None
        raise ExportError(f"{source}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    return _dispatch(document, source)


def _truncated(text: str, err: json.JSONDecodeError) -> bool:
    """A download cut short: the parser ran off the end, or a document never closes."""
    body = text.strip()
    return (err.pos >= len(body) or err.msg.startswith("Unterminated string")
            or (body[:1] in "{[" and body[-1:] not in "}]"))


def _dispatch(document: Any, source: str) -> BoardSnapshot:
    if isinstance(document, dict) and isinstance(document.get("cards"), list) and isinstance(document.get("lists"), list):
        snapshot = board_snapshot(document)
        if document.get("actions") is not None and not isinstance(document["actions"], list):
            raise ExportError(f"{source}: field 'actions' should be a list in a Trello export")
        return snapshot
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        tasks = document["data"]
        return project_snapshot(_asana_project_id(tasks), tasks)
    found = f"an object with keys {sorted(document)[:6]}" if isinstance(document, dict) else f"a JSON {type(document).__name__}"
    raise ExportError(
        f"{source}: neither a Trello board export (an object with 'cards' and 'lists') nor an Asana "
        f"project export (an object with a 'data' list of tasks); found {found}"
    )


def _asana_project_id(tasks: list[Any]) -> str:
    for task in tasks:
        for membership in (task.get("memberships") or []) if isinstance(task, dict) else []:
            gid = (membership.get("project") or {}).get("gid") if isinstance(membership, dict) else None
            if isinstance(gid, str):
                return gid
    return ""
