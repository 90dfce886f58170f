"""Lone surrogates (a JSON escape such as \\ud800 whose pair was cut off) are cleaned where cards come in:
no card text can stop a store, a terminal or a log."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.clean import REPLACEMENT, clean_text
from integrations.exports import parse_export
from scheduler.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
TRELLO = json.loads((REPO / "examples" / "bright_path_trello.json").read_text(encoding="utf-8"))
ASANA = json.loads((REPO / "examples" / "estudio_sol_asana.json").read_text(encoding="utf-8"))

# Real clients' phones cut emoji in half when a title is shortened: the high surrogate stays behind.
BROKEN_TITLES = (
    "Newsletter for December \ud83d",                      # en: 📰 cut in half
    "Publication Instagram \ud83c pour lundi stp",          # fr
    "Boletín de diciembre \udc4d gracias!!",                # es: the low half of 👍
    "Przygotuj faktury na piątek \ud800 **pilne**",         # pl, markdown
)
# Any text, with lone surrogates mixed in (Hypothesis's characters() never draws them by itself).
ANY_TEXT = st.lists(st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF).map(str)),
                    max_size=40).map("".join)


def _strings(card) -> list[str]:
    values = [card.id, card.title, card.board_id, card.description, card.list, card.url, *card.labels]
    values += list(card.custom_fields) + [v for v in card.custom_fields.values() if isinstance(v, str)]
    values += [s for c in card.comments for s in (c.id, c.text, c.author)]
    return values


def _as_read(text: str) -> str:
    """What a card shows of `text` sent in JSON: an escaped surrogate pair joins up, a lone one is replaced."""
    return clean_text(json.loads(json.dumps(text)))


def _encodable(values: list[str]) -> bool:
    for value in values:
        value.encode("utf-8")  # raises on a lone surrogate
    return True


@settings(max_examples=60, deadline=None)
@given(title=ANY_TEXT, desc=ANY_TEXT, label=ANY_TEXT, list_name=ANY_TEXT, comment=ANY_TEXT, author=ANY_TEXT,
       field_text=ANY_TEXT)
def test_every_string_of_a_trello_card_can_be_encoded_whatever_the_export_holds(title, desc, label, list_name,
                                                                               comment, author, field_text):
    board = copy.deepcopy(TRELLO)
    card = board["cards"][0]
    card.update(name=title, desc=desc, labels=[{"id": "x", "name": label}])
    next(lst for lst in board["lists"] if lst["id"] == card["idList"])["name"] = list_name
    board["actions"].append({"id": "6a1b2c3d4e5f6a7b8c9d0e1f", "type": "commentCard", "date": "2026-11-05T10:00:00.000Z",
                             "memberCreator": {"fullName": author}, "data": {"text": comment, "card": {"id": card["id"]}}})
    board["customFields"].append({"id": "cf-note", "name": field_text, "type": "text"})
    card.setdefault("customFieldItems", []).append({"idCustomField": "cf-note", "value": {"text": field_text}})

    snapshot = parse_export(json.dumps(board), "board.json")  # json.dumps escapes a lone surrogate as \udXXX

    [read] = [c for c in snapshot.cards if c.id == card["id"]]
    assert _encodable(_strings(read))
    assert read.title == _as_read(title) and read.description == _as_read(desc)
    assert len(snapshot.cards) == 20 and not snapshot.warnings  # no card lost over its text


@settings(max_examples=60, deadline=None)
@given(name=ANY_TEXT, notes=ANY_TEXT, tag=ANY_TEXT, section=ANY_TEXT)
def test_every_string_of_an_asana_task_can_be_encoded_whatever_the_export_holds(name, notes, tag, section):
    document = copy.deepcopy(ASANA)
    task = document["data"][0]
    task.update(name=name, notes=notes, tags=[{"gid": "1", "name": tag}])
    task["memberships"][0]["section"] = {"gid": "2", "name": section}

    snapshot = parse_export(json.dumps(document), "project.json")

    read = snapshot.cards[0]
    assert _encodable(_strings(read)) and read.title == _as_read(name) and read.list == _as_read(section)
    assert len(snapshot.cards) == len(document["data"])


@given(ANY_TEXT)
def test_cleaning_changes_only_lone_surrogates(text):
    cleaned = clean_text(text)
    assert len(cleaned) == len(text)
    assert all(a == b or (0xD800 <= ord(a) <= 0xDFFF and b == REPLACEMENT) for a, b in zip(text, cleaned, strict=True))
    cleaned.encode("utf-8")


def test_text_in_four_languages_keeps_its_accents_and_emoji_and_loses_only_the_broken_half():
    assert clean_text("Zażółć gęślą jaźń 📰 — ¿Boletín? Très bien 👍") == "Zażółć gęślą jaźń 📰 — ¿Boletín? Très bien 👍"
    assert [clean_text(t) for t in BROKEN_TITLES] == [
        "Newsletter for December \ufffd", "Publication Instagram \ufffd pour lundi stp",
        "Boletín de diciembre \ufffd gracias!!", "Przygotuj faktury na piątek \ufffd **pilne**"]


def test_an_offline_scan_of_an_export_with_broken_titles_shows_every_card(tmp_path):
    board = copy.deepcopy(TRELLO)
    for card, title in zip(board["cards"], BROKEN_TITLES, strict=False):
        card["name"] = title
    export = tmp_path / "board.json"
    export.write_text(json.dumps(board), encoding="utf-8")

    result = CliRunner().invoke(cli, ["scan", "--config", str(REPO / "config.example.toml"), "--client",
                                      "Bright Path Coaching", "--from-export", str(export),
                                      "--now", "2026-11-20T18:00:00-05:00", "--format", "json"])

    assert result.exit_code == 0, result.output
    titles = [c["title"] for c in json.loads(result.stdout)["cards"]]
    assert "Newsletter for December \ufffd" in titles and "Przygotuj faktury na piątek \ufffd **pilne**" in titles
    assert len(titles) == 20
