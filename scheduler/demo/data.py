"""The demo's sample boards, moved in time so that they always look like last week's work."""
from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

# The sample cards were written during ISO week 2026-W47 (Monday 16 November 2026).
SAMPLE_WEEK = date(2026, 11, 16)
BOARD_FILES = ("bright_path_trello.json", "atelier_lumiere_trello.json", "estudio_sol_asana.json",
               "jogi_lotos_trello.json")

_TIMESTAMP = re.compile(r'"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)"')
_DAY = re.compile(r'"(\d{4}-\d{2}-\d{2})"')


def weeks_to_last_week(now: datetime, tz: ZoneInfo) -> int:
    """Whole weeks that move the sample week onto the last complete ISO week before `now`."""
    today = now.astimezone(tz).date()
    last_monday = today - timedelta(days=today.weekday() + 7)
    return (last_monday - SAMPLE_WEEK).days // 7


def sample_boards(weeks: int) -> list[dict[str, Any]]:
    """The four sample exports, every date moved by `weeks` (weekday and time of day unchanged)."""
    folder = resources.files("scheduler.demo") / "boards"
    return [shifted(json.loads((folder / name).read_text(encoding="utf-8")), weeks) for name in BOARD_FILES]


def shifted(document: dict[str, Any], weeks: int) -> dict[str, Any]:
    """A Trello or Asana export with its timestamps, dates and Trello card ids moved by `weeks`."""
    delta = timedelta(weeks=weeks)
    text = json.dumps(document, ensure_ascii=False)
    for card in document.get("cards") or []:
        # A Trello card's creation time is the first 4 bytes of its id.
        old = card["id"]
        new = f"{int(old[:8], 16) + int(delta.total_seconds()):08x}{old[8:]}"
        text = text.replace(f'"{old}"', f'"{new}"')
    text = _TIMESTAMP.sub(lambda m: f'"{_moved_instant(m[1], delta)}"', text)
    text = _DAY.sub(lambda m: f'"{date.fromisoformat(m[1]) + delta}"', text)
    return json.loads(text)


def _moved_instant(value: str, delta: timedelta) -> str:
    moved = datetime.fromisoformat(value) + delta
    return moved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moved.microsecond // 1000:03d}Z"
