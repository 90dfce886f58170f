"""Hostile exports: JSON nested thousands of levels deep, and malformed actions that must cost only themselves."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import ijson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.errors import ExportError
from integrations.exports import MAX_DEPTH, _outline, _scan, _skeleton, parse_export, read_export
from scheduler.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
TRELLO = json.loads((REPO / "examples" / "bright_path_trello.json").read_text(encoding="utf-8"))
HOURS_FIELD = "6553f100aa3bc88c53c30530"
OPENERS = {"[": "]", "{": "}"}

# Cards in the client's own words, each with hours and one action Trello (or an export tool) garbled.
CARDS = (  # (id, title, hours, the garbled action)
    ("6ae89e6865c5cb154ef81001", "Update the webinar landing page :rocket: [3h]", "3",
     {"type": "updateCard", "date": "yesterday-ish", "data": {"old": {"due": "2026-11-19T15:00:00.000Z"},
                                                           "card": {"due": "2026-11-21T15:00:00.000Z"}}}),
    ("6ae89e6865c5cb154ef81002", "Mettre à jour la bannière du site (urgent!!)", "1.5",
     {"type": "updateCard", "date": "2026-11-12T09:00:00.000Z", "data": {"old": {"due": "mardi prochain"},
                                                                      "card": {"due": None}}}),
    ("6ae89e6865c5cb154ef81003", "Preparar el boletín de diciembre, **no** el de enero", "2",
     {"type": "commentCard", "date": 1731400000, "data": {"text": "¿Lo tienes para el viernes?"}}),
    ("6ae89e6865c5cb154ef81004", "Przygotuj posty na Instagram 📸 — bez pośpiechu", "2.5",
     {"type": "updateCard", "date": "2026-11-13T11:00:00.000Z", "data": ["not", "an", "object"]}),
)


def _board_with_garbled_actions() -> dict:
    board = copy.deepcopy(TRELLO)
    template = board["cards"][0]
    for number, (card_id, title, hours, action) in enumerate(CARDS):
        board["cards"].append(dict(copy.deepcopy(template), id=card_id, name=title, customFieldItems=[
            {"id": f"cfi{number}", "value": {"number": hours}, "idCustomField": HOURS_FIELD}]))
        data = action["data"]
        action = dict(action, id=f"6af35ba0df9a6650235b{number:04d}",
                      data=dict(data, card={**data.get("card", {}), "id": card_id}) if isinstance(data, dict) else data)
        board["actions"].append(action)
        # A good due-date move on the same card, after the garbled action: it must still count.
        board["actions"].append({"id": f"6af35ba0df9a6650235c{number:04d}", "type": "updateCard",
                                 "date": "2026-11-14T10:00:00.000Z",
                                 "data": {"card": {"id": card_id, "due": "2026-11-28T15:00:00.000Z"},
                                          "old": {"due": "2026-11-24T15:00:00.000Z"}}})
    return board


def test_a_garbled_action_is_ignored_with_a_warning_and_its_card_keeps_its_hours_and_moves():
    snapshot = parse_export(json.dumps(_board_with_garbled_actions()), "board.json")

    by_id = {card.id: card for card in snapshot.cards}
    assert len(snapshot.cards) == 20 + 4
    for card_id, title, hours, _ in CARDS:
        card = by_id[card_id]
        assert card.title == title and card.custom_fields["Hours"] == float(hours)
        assert [(c.old.day, c.new.day) for c in card.due_changes] == [(24, 28)]
    assert len(snapshot.warnings) == 3  # the action whose data is a list names no card: nothing to warn about
    assert "'yesterday-ish'" in snapshot.warnings[0] and "6ae89e6865c5cb154ef81001" in snapshot.warnings[0]
    assert "'mardi prochain'" in snapshot.warnings[1] and "ignored" in snapshot.warnings[1]
    assert "1731400000" in snapshot.warnings[2] and "'commentCard'" in snapshot.warnings[2]


def test_an_offline_scan_counts_the_hours_of_cards_with_garbled_actions(tmp_path: Path):
    export = tmp_path / "board.json"
    export.write_text(json.dumps(_board_with_garbled_actions()), encoding="utf-8")

    result = CliRunner().invoke(cli, ["scan", "--config", str(REPO / "config.example.toml"), "--client",
                                      "Bright Path Coaching", "--from-export", str(export),
                                      "--now", "2026-11-20T18:00:00-05:00", "--format", "json"])

    assert result.exit_code == 0, result.output
    titles = {c["title"] for c in json.loads(result.stdout)["cards"]}
    assert {title for _, title, _, _ in CARDS} <= titles


@pytest.mark.parametrize("opener", ["[", "{", "mixed"])
def test_an_export_nested_100000_levels_deep_is_a_clear_error(opener: str):
    with pytest.raises(ExportError, match="nested too deeply to be a board export") as caught:
        parse_export(_nested(100_000, opener), "exports/deep.json")
    assert str(caught.value).startswith("exports/deep.json: ")


def test_the_scan_command_says_so_without_a_traceback(tmp_path: Path):
    export = tmp_path / "deep.json"
    export.write_text(_nested(100_000, "["), encoding="utf-8")

    result = CliRunner().invoke(cli, ["scan", "--config", str(REPO / "config.example.toml"), "--client",
                                      "Bright Path Coaching", "--from-export", str(export)])

    assert result.exit_code == 2 and f"error: {export}: the JSON is nested too deeply" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(1, 150_000), opener=st.sampled_from(["[", "{", "mixed"]),
       where=st.sampled_from(["top", "desc", "field", "action"]))
def test_nesting_of_any_depth_anywhere_is_read_or_refused_clearly(depth: int, opener: str, where: str):
    nested = _nested(depth, opener)
    if where == "top":
        text = nested
    else:
        board = copy.deepcopy(TRELLO)
        board["cards"][0]["desc"] = "<nested>" if where == "desc" else board["cards"][0]["desc"]
        if where == "field":
            board["cards"][0]["customFieldItems"][0]["value"] = "<nested>"
        if where == "action":
            board["actions"][0]["data"]["card"]["extra"] = "<nested>"
        text = json.dumps(board).replace('"<nested>"', nested)
    try:
        snapshot = parse_export(text, "board.json")
    except ExportError as err:
        assert str(err).startswith("board.json: ")
    else:
        assert where != "top" and len(snapshot.cards) >= 19


def _nested(depth: int, opener: str) -> str:
    """`depth` levels of arrays, objects ({"a": ...}) or both in turn."""
    kinds = ["[", "{"] if opener == "mixed" else [opener]
    opens = "".join('{"a":' if kinds[i % len(kinds)] == "{" else "[" for i in range(depth))
    closes = "".join(OPENERS[kinds[i % len(kinds)]] for i in reversed(range(depth)))
    return opens + "0" + closes


# Brackets, quotes and backslashes inside texts are not nesting: the byte scan that bounds the depth must skip them.
TRICKY = (
    "Liste à faire : [[[[[ " * 60 + "(copié de Notion)",
    'Cytat klientki: \\"]]]]]\\" i jeszcze {{{{ — bez pośpiechu \\\\',
    "Precios: [1] [2] [3]… y el \\u00abdescuento\\u00bb }}}}}}",
    "plus! 1.5 [[ ok ]] \\\\\\\\ done 🙂",
)


def test_brackets_and_escaped_quotes_in_texts_over_a_chunk_boundary_are_read_as_text(tmp_path: Path):
    board = copy.deepcopy(TRELLO)
    for n, card in enumerate(board["cards"][:4]):
        card["desc"] = json.loads(f'"{TRICKY[n]}"')
    # A description long enough that the first megabyte ends inside it, on a backslash.
    filler = json.dumps(board)
    board["cards"][4]["desc"] = "x" * ((1 << 20) - filler.index('"desc": "', filler.index(board["cards"][4]["id"]))
                                       - len('"desc": "') - 1) + "\\[[[ fin"
    export = tmp_path / "board.json"
    export.write_text(json.dumps(board), encoding="utf-8")
    assert export.read_bytes()[(1 << 20) - 1:(1 << 20)] == b"\\"

    with export.open("rb") as file:
        assert _scan(file, 0).shallow
    snapshot = read_export(export)

    descriptions = {c.id: c.description for c in snapshot.cards}
    assert [descriptions[c["id"]] for c in board["cards"][:5]] == [c["desc"] for c in board["cards"][:5]]


@pytest.mark.parametrize(("depth", "refused"), [(MAX_DEPTH - 10, False), (MAX_DEPTH + 10, True)])
def test_nesting_just_within_the_bound_is_read_and_just_past_it_refused(tmp_path: Path, depth: int, refused: bool):
    board = copy.deepcopy(TRELLO)
    board["cards"][0]["customFieldItems"][0]["value"] = "<nested>"
    export = tmp_path / "board.json"
    export.write_text(json.dumps(board).replace('"<nested>"', _nested(depth, "mixed")), encoding="utf-8")

    with export.open("rb") as file:
        assert _scan(file, 0).shallow is not refused
    if refused:
        with pytest.raises(ExportError, match="nested too deeply"):
            read_export(export)
    else:
        assert len(read_export(export).cards) == len(board["cards"])


def test_a_board_field_holding_an_object_is_outlined_event_by_event():
    board = copy.deepcopy(TRELLO)
    del board["labels"]
    board["labels"] = {"Newsletter": {"color": "green"}}  # no export has it; after 'checklists', the parser's
    raw = json.dumps(board).encode()                    # outline has already made the object a throwaway

    assert list(board)[-2:] == ["checklists", "labels"] and _skeleton(ijson, io.BytesIO(raw), 0) is None
    outline = _outline(ijson, io.BytesIO(raw), 0, "board.json")
    assert outline.types["labels"] == "object" and outline.board["labels"] == board["labels"]
    assert len(parse_export(raw, "board.json").cards) == len(board["cards"])
    for shown in (TRELLO, {**TRELLO, "labels": board["labels"]}):  # after 'dateLastActivity', a field kept whole
        raw = json.dumps(shown).encode()
        assert _skeleton(ijson, io.BytesIO(raw), 0) == _outline(ijson, io.BytesIO(raw), 0, "board.json")
