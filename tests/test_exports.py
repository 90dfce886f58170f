"""Export readers: Trello board exports and Asana project exports -> cards, with clear errors."""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from integrations.errors import ExportError
from integrations.exports import parse_export, read_export

REPO = Path(__file__).resolve().parent.parent
TRELLO = json.loads((REPO / "examples" / "bright_path_trello.json").read_text(encoding="utf-8"))
ASANA = json.loads((REPO / "examples" / "estudio_sol_asana.json").read_text(encoding="utf-8"))


def _trello(board: dict):
    return parse_export(json.dumps(board), "board.json")


def test_trello_export_gives_cards_with_creation_time_hours_and_due_changes() -> None:
    snapshot = _trello(TRELLO)
    assert snapshot.provider == "trello" and len(snapshot.cards) == 20 and not snapshot.warnings
    first = snapshot.cards[0]
    assert first.created_at == datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
    assert first.custom_fields == {"Hours": 2.0} and first.list == "To Do"
    video = next(c for c in snapshot.cards if c.title == "Upload the webinar video")
    assert [(d.old.day, d.new.day) for d in video.due_changes] == [(17, 19), (19, 21)]


def test_asana_export_gives_cards_with_tracked_minutes_and_sections() -> None:
    snapshot = parse_export(json.dumps(ASANA), "project.json")
    assert snapshot.provider == "asana" and snapshot.id == "1207654321098765" and len(snapshot.cards) == 9
    first = snapshot.cards[0]
    assert first.time_tracked_minutes == 120 and first.list == "To do"
    assert first.url.startswith("https://app.asana.com/")


def test_asana_date_only_due_is_the_end_of_that_day() -> None:
    data = copy.deepcopy(ASANA)
    data["data"][0]["due_on"] = "2026-11-20"
    card = parse_export(json.dumps(data), "p.json").cards[0]
    assert card.due == datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)


def test_archived_cards_and_cards_in_archived_lists_are_left_out() -> None:
    board = copy.deepcopy(TRELLO)
    board["cards"][0]["closed"] = True
    board["lists"][1]["closed"] = True
    board["cards"][1]["idList"] = board["lists"][1]["id"]
    titles = {c.title for c in _trello(board).cards}
    assert len(titles) == 18 and "Send the weekly newsletter" not in titles


def test_labels_resolve_from_board_label_ids() -> None:
    board = copy.deepcopy(TRELLO)
    board["cards"][0]["labels"] = []
    board["cards"][0]["idLabels"] = [board["labels"][0]["id"]]
    assert _trello(board).cards[0].labels == ("Newsletter",)


def test_creation_falls_back_to_the_create_card_action_for_non_object_ids() -> None:
    board = copy.deepcopy(TRELLO)
    board["cards"] = [dict(board["cards"][0], id="imported-1")]
    board["actions"] = [{"type": "createCard", "date": "2026-11-05T10:00:00.000Z",
                         "data": {"card": {"id": "imported-1"}}}]
    assert _trello(board).cards[0].created_at == datetime(2026, 11, 5, 10, tzinfo=UTC)


def test_a_malformed_card_is_skipped_with_a_warning_naming_it_and_the_rest_survive() -> None:
    board = copy.deepcopy(TRELLO)
    board["cards"][3]["name"] = 42
    board["cards"][5]["due"] = "next tuesday"
    board["cards"].append("not a card")
    snapshot = _trello(board)
    assert len(snapshot.cards) == 18
    assert any("'6aea2f30f48e2f36997e292e'" in w and "field 'name'" in w for w in snapshot.warnings)
    assert any("Set up an online course platform" in w and "'due'" in w for w in snapshot.warnings)
    assert any(w.startswith("card #20") for w in snapshot.warnings)


def test_a_malformed_asana_task_is_skipped_with_a_warning() -> None:
    data = copy.deepcopy(ASANA)
    del data["data"][2]["created_at"]
    data["data"][4]["actual_time_minutes"] = "lots"
    snapshot = parse_export(json.dumps(data), "p.json")
    assert len(snapshot.cards) == 7 and len(snapshot.warnings) == 2
    assert "Limpiar la bandeja de entrada" in snapshot.warnings[0]


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"<html>Sign in</html>", "not valid JSON at line 1, column 1"),
    (json.dumps(TRELLO).encode()[:5000], "looks truncated"),
    (b"[1, 2, 3]", "neither a Trello board export"),
    (b'{"name": "x"}', "found an object with keys ['name']"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
])
def test_unreadable_exports_get_a_clear_error_naming_the_file(content: bytes, message: str) -> None:
    with pytest.raises(ExportError) as caught:
        parse_export(content, "exports/board.json")
    assert str(caught.value).startswith("exports/board.json: ") and message in str(caught.value)


def test_a_missing_export_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read the export"):
        read_export(tmp_path / "nope.json")
