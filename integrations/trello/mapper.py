"""Trello board JSON (an export, or the adapter's live read) -> provider-neutral cards."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from integrations import _parse as p
from integrations.clean import clean_card, clean_comment, clean_text
from integrations.errors import MalformedItem
from integrations.models import BoardSnapshot, Card, Comment, DueChange, FieldValue
from integrations.plus import plus_entries

# JSON objects decode as dicts; checking for dict first is 8x cheaper than the ABC's check alone, per action.
OBJECT = (dict, Mapping)
Dated = tuple[datetime | None, Mapping[str, Any]]  # (its date, parsed once; None for kinds read without it; an action)


def board_snapshot(board: Mapping[str, Any], actions: Sequence[Mapping[str, Any]] | None = None) -> BoardSnapshot:
    """Normalise a board with its cards; `actions` defaults to the export's own list."""
    if actions is None:
        actions = list(board.get("actions") or [])
    lists: dict[Any, Mapping[str, Any]] = {lst.get("id"): lst for lst in board.get("lists") or [] if isinstance(lst, OBJECT)}
    labels = {lab.get("id"): lab.get("name") or "" for lab in board.get("labels") or [] if isinstance(lab, OBJECT)}
    fields = {f.get("id"): f for f in board.get("customFields") or [] if isinstance(f, OBJECT)}
    warnings: list[str] = []
    by_card = _actions_by_card(actions, warnings)
    cards: list[Card] = []
    for index, raw in enumerate(board.get("cards") or []):
        if isinstance(raw, OBJECT) and (raw.get("closed") or lists.get(raw.get("idList"), {}).get("closed")):
            continue
        try:
            if not isinstance(raw, OBJECT):
                raise MalformedItem(f"expected an object, got {type(raw).__name__}")
            cards.append(clean_card(_card(raw, lists, labels, fields, by_card.get(str(raw.get("id")), ()))))
        except MalformedItem as err:
            warnings.append(f"card {_describe(index, raw)} skipped: {err}")
    return BoardSnapshot(
        provider="trello",
        id=str(board.get("id", "")),
        name=clean_text(str(board.get("name", ""))),
        cards=tuple(cards),
        warnings=tuple(warnings),
        last_activity=quiet_timestamp(board.get("dateLastActivity")),
    )


def _card(raw, lists, labels, fields, actions: Sequence[Dated]) -> Card:
    card_id = p.text(raw, "id")
    title = p.text(raw, "name")
    created = p.objectid_time(card_id) or next((at for at, a in actions if a.get("type") == "createCard"), None)
    if created is None:
        raise MalformedItem("no creation time: the id is not a Trello object id and there is no createCard action")
    said = tuple(_comment(action, at) for at, action in actions if action.get("type") == "commentCard")
    return Card(
        id=card_id,
        title=title,
        created_at=created,
        provider="trello",
        board_id=str(raw.get("idBoard") or ""),
        description=p.text(raw, "desc", default=""),
        labels=_label_names(raw, labels),
        list=str(lists.get(raw.get("idList"), {}).get("name") or ""),
        due=p.timestamp(raw.get("due"), "due"),
        due_changes=_due_changes(actions),
        custom_fields=custom_fields(raw.get("customFieldItems") or [], fields),
        comments=said,
        time_entries=plus_entries(said),
        url=str(raw.get("url") or raw.get("shortUrl") or ""),
        completed=bool(raw.get("dueComplete")),
        modified_at=quiet_timestamp(raw.get("dateLastActivity")),
    )


def _label_names(raw, board_labels) -> tuple[str, ...]:
    names = [lab.get("name") for lab in raw.get("labels") or [] if isinstance(lab, OBJECT)]
    if not names:
        names = [board_labels.get(i) for i in raw.get("idLabels") or []]
    return tuple(n for n in names if isinstance(n, str) and n)


def custom_fields(items: Iterable[Any], fields: Mapping[str, Mapping[str, Any]]) -> dict[str, FieldValue]:
    """Custom field items by their field's name: numbers (and text, kept for the rules), list options as text."""
    values: dict[str, FieldValue] = {}
    for item in items:
        if not isinstance(item, OBJECT):
            continue
        definition = fields.get(str(item.get("idCustomField"))) or {}
        name = definition.get("name")
        if not isinstance(name, str):
            continue
        value = item.get("value") or {}
        if item.get("idValue"):
            options = {o.get("id"): (o.get("value") or {}).get("text") for o in definition.get("options") or []}
            values[name] = options.get(item["idValue"])
        elif isinstance(value, OBJECT) and "number" in value:
            values[name] = p.number(value["number"])
        elif isinstance(value, OBJECT) and "text" in value:
            values[name] = p.number(value["text"])
    return values


def _actions_by_card(actions: Sequence[Any], warnings: list[str]) -> dict[str, list[Dated]]:
    """The readable actions of each card, oldest first, with their dates; an unreadable one is left out with a
    warning, not its card."""
    grouped: dict[str, list[Dated]] = defaultdict(list)
    for index, action in enumerate(actions):
        if not isinstance(action, OBJECT) or not isinstance(action.get("data") or {}, OBJECT):
            continue
        card = (action.get("data") or {}).get("card") or {}
        if not isinstance(card, OBJECT) or not isinstance(card.get("id"), str):
            continue
        try:
            grouped[card["id"]].append((_date_read(action), action))
        except MalformedItem as err:
            warnings.append(f"action #{index} ({str(action.get('type'))!r:.20}, id {action.get('id')!r:.40}) on card "
                            f"{card['id']!r:.40} ignored: {err}")
    for group in grouped.values():
        group.sort(key=lambda dated: str(dated[1].get("date") or ""))
    return grouped


def _unreadable(action: Mapping[str, Any]) -> str | None:
    """Why the fields this mapper reads from `action` cannot be read, or None when they can."""
    try:
        _date_read(action)
    except MalformedItem as err:
        return str(err)
    return None


def _date_read(action: Mapping[str, Any]) -> datetime | None:
    """The date of an action whose fields this mapper reads (None for other kinds); MalformedItem when they
    cannot be read."""
    kind = action.get("type")
    if kind not in ("createCard", "updateCard", "commentCard"):
        return None
    data = action.get("data") or {}
    if not isinstance(data, OBJECT) or not isinstance(data.get("old") or {}, OBJECT) \
            or not isinstance(data.get("card") or {}, OBJECT):
        raise MalformedItem("its 'data' is not an object")
    moment = p.instant(action.get("date"), "date")
    if kind == "updateCard" and (data.get("old") or {}).get("due"):
        p.timestamp(data["old"]["due"], "old.due")
        p.timestamp((data.get("card") or {}).get("due"), "card.due")
    return moment


def _due_changes(actions: Sequence[Dated]) -> tuple[DueChange, ...]:
    changes = []
    for at, action in actions:
        data = action.get("data") or {}
        old = data.get("old") or {}
        # Setting a due date for the first time is planning, not rescheduling.
        if at is None or action.get("type") != "updateCard" or "due" not in old or not old.get("due"):
            continue  # (updateCard actions always come dated)
        changes.append(DueChange(
            at=at,
            old=p.timestamp(old.get("due"), "old.due"),
            new=p.timestamp((data.get("card") or {}).get("due"), "card.due"),
        ))
    return tuple(changes)


def comments(actions) -> tuple[Comment, ...]:
    """Comment actions (commentCard) as comments, in the order given."""
    return tuple(_comment(action, p.instant(action.get("date"), "date")) for action in actions
                 if action.get("type") == "commentCard" and not _unreadable(action))


def _comment(action: Mapping[str, Any], at: Any) -> Comment:
    """A readable commentCard action, dated `at`, as a comment."""
    creator = action.get("memberCreator")
    author = (creator.get("fullName") if isinstance(creator, OBJECT) else "") or ""
    return clean_comment(Comment(id=str(action.get("id") or ""), text=str((action.get("data") or {}).get("text") or ""),
                                 created_at=at, author=str(author)))


def quiet_timestamp(value):
    """A timestamp, or None when it is missing or malformed (for optional fields)."""
    try:
        return p.timestamp(value, "date")
    except MalformedItem:
        return None


def _describe(index: int, raw: Any) -> str:
    if isinstance(raw, OBJECT):
        return f"#{index} (id {raw.get('id')!r:.40}, {str(raw.get('name'))!r:.60})"
    return f"#{index}"
