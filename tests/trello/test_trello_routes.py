"""Every route and query parameter the adapter sends exists in Trello's OpenAPI description, or is a known deviation."""
from __future__ import annotations

import json
import re

from integrations.reference import with_reference
from integrations.sandbox.trello import synthetic_export

# The live API takes more than the published description shows (the specs' README says it is thin).
KNOWN_DEVIATIONS = {
    # Nested-resource parameters, documented in Trello's guide to nested resources, not in the operation.
    ("GET", "/boards/{id}"): {"list_fields", "card_fields", "card_customFieldItems", "label_fields"},
    # The card's actions take the same paging and shape parameters as the board's (the spec lists only page).
    ("GET", "/cards/{id}/actions"): {"limit", "before", "fields", "memberCreator_fields"},
}
# The comment's text goes in the JSON body, as py-trello's Card.comment sends it; the spec puts it in the query.
BODY_NOT_QUERY = {("POST", "/cards/{id}/actions/comments"): {"text"}}


def _operations(spec: dict) -> dict[tuple[str, str], set[str]]:
    """(METHOD, path template) -> names of its query parameters, path-level ones included."""
    def names(params) -> set[str]:
        resolved = (spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in params)
        return {p["name"] for p in resolved if p.get("in") == "query"}
    return {(method.upper(), path): names(item.get("parameters", []) + op.get("parameters", []))
            for path, item in spec["paths"].items() for method, op in item.items() if method != "parameters"}


def _template(operations, method: str, path: str) -> tuple[str, str] | None:
    """The most literal spec template matching a concrete path ('/boards/{id}/actions' over '/boards/{id}/{field}')."""
    matching = [t for m, t in operations if m == method
                and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", t), path)]
    return (method, max(matching, key=lambda t: len(re.sub(r"\{[^}]+\}", "", t)))) if matching else None


def test_every_route_and_parameter_the_adapter_uses_is_in_the_spec(shared_dir, sandbox, adapter):
    board_id = sandbox.load_export(synthetic_export(3))
    card_id = next(iter(sandbox.cards))
    snapshot = adapter.read_board(board_id)
    posted = adapter.post_comment(card_id, with_reference("Hello", "SK-00000a"))
    for n in range(1000):  # a busy card: its comments come in two pages
        sandbox.add_comment(card_id, f"Reply {n}")
    assert adapter.find_comment(card_id, "SK-00000a").id == posted
    adapter.changed_boards([board_id], {board_id: snapshot.last_activity})  # with the check of own comments
    adapter.me()
    adapter.open_boards()
    operations = _operations(json.loads((shared_dir / "specs" / "trello-swagger.v3.json").read_text("utf-8")))

    used: dict[tuple[str, str], set[str]] = {}
    for entry in sandbox.log:
        template = _template(operations, entry["method"], entry["path"].removeprefix("/1"))
        assert template, f"{entry['method']} {entry['path']} is not in the Trello spec"
        used.setdefault(template, set()).update(entry["query"])

    assert set(used) == {("GET", "/boards/{id}"), ("GET", "/boards/{boardId}/actions"),
                         ("GET", "/cards/{id}/actions"), ("POST", "/cards/{id}/actions/comments"),
                         ("GET", "/members/{id}"), ("GET", "/members/{id}/boards")}
    for template, params in used.items():
        unknown = params - operations[template] - KNOWN_DEVIATIONS.get(template, set())
        assert not unknown, f"{template}: parameters not in the spec: {sorted(unknown)}"
    for template, params in KNOWN_DEVIATIONS.items():
        assert params <= used[template] and not params & operations[template], f"stale deviation {template}"
    for template, params in BODY_NOT_QUERY.items():
        assert params <= operations[template] and not params & used[template]
