"""Exports read as a stream from disk: any order of fields, a BOM, a bad card among thousands, the same cards."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from integrations.exports import parse_export, read_export
from tests.test_exports import ASANA, TRELLO

# Cards the way clients write them, in four languages: typos, markdown, emoji, negations, their own promotions.
REQUESTS = (
    "Newsletter de décembre — **pas** de promo cette fois 🙏",
    "Posty na IG x3, bez reklam!! (dzięki)",
    "Actualizar la web: nueva página de precios 😊 (no urgente)",
    "Can u also do the Black Friday banner? Same as last yr",
)


def _many_cards(count: int) -> dict:
    """The example board with `count` more cards, each with a client's comment."""
    board = copy.deepcopy(TRELLO)
    template = board["cards"][0]
    for n in range(count):
        card_id = f"6ae89e6865c5cb15{n:08x}"
        board["cards"].append(dict(copy.deepcopy(template), id=card_id, name=f"{REQUESTS[n % 4]} #{n}"))
        board["actions"].append({"id": f"6af35ba0df9a6650{n:08x}", "type": "commentCard",
                                 "date": "2026-11-05T10:00:00.000Z", "memberCreator": {"fullName": "Client"},
                                 "data": {"text": REQUESTS[(n + 1) % 4], "card": {"id": card_id}}})
    return board


def test_fields_in_any_order_with_a_bom_give_the_same_cards(tmp_path: Path):
    board = _many_cards(200)
    reordered = {"cards": board["cards"], "actions": board["actions"], **board}  # the board's own fields last
    export = tmp_path / "board.json"
    export.write_bytes(b"\xef\xbb\xbf" + json.dumps(reordered, ensure_ascii=False, indent=1).encode())

    streamed = read_export(export)

    assert streamed == parse_export(json.dumps(board), "board.json")
    assert len(streamed.cards) == 220 and not streamed.warnings
    mine = next(c for c in streamed.cards if c.title.endswith("#7"))
    assert [c.text for c in mine.comments] == [REQUESTS[0]] and mine.custom_fields == {"Hours": 2.0}


def test_one_bad_card_among_thousands_costs_only_itself_and_is_named(tmp_path: Path):
    board = _many_cards(3000)
    board["cards"][1500]["name"] = ["Newsletter", "FR"]
    board["cards"][2500]["due"] = "jeudi prochain"
    export = tmp_path / "big.json"
    export.write_text(json.dumps(board), encoding="utf-8")

    snapshot = read_export(export)

    assert len(snapshot.cards) == 3020 - 2
    bad_name, bad_due = snapshot.warnings
    assert board["cards"][1500]["id"] in bad_name and "field 'name'" in bad_name and "['Newsletter', 'FR']" in bad_name
    assert "'due'" in bad_due and "'jeudi prochain'" in bad_due


def test_an_asana_export_streams_its_tasks(tmp_path: Path):
    export = tmp_path / "project.json"
    export.write_text(json.dumps({"next_page": None, **ASANA}, ensure_ascii=False), encoding="utf-8")

    assert read_export(export) == parse_export(json.dumps(ASANA), "project.json")
    assert read_export(export).id == "1207654321098765"
