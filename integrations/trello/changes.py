"""Trello actions since the previous read, applied to the cards it left: a changed board without reading it whole.

Every change is replayed in date order and each one sets a state (a title, a label present, a comment there or
deleted), so replaying actions already applied leaves the cards as they were: reads may overlap.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from integrations import _parse as p
from integrations.clean import clean_card
from integrations.errors import MalformedItem
from integrations.models import Card, Comment, DueChange
from integrations.plus import plus_entries
from integrations.trello.mapper import comments as comments_of
from integrations.trello.mapper import custom_fields

# What changes a card as the rules see it. Trello's filter takes 'updateCard:field' for an update of that field:
# position changes, covers, members and checklists, most of a board's history, never come.
CARD_CHANGES = (
    "createCard", "copyCard", "convertToCardFromCheckItem", "emailCard", "moveCardToBoard",
    "moveCardFromBoard", "deleteCard", "commentCard", "copyCommentCard", "updateComment", "deleteComment",
    "updateCard:name", "updateCard:desc", "updateCard:due", "updateCard:dueComplete", "updateCard:idList",
    "updateCard:closed", "addLabelToCard", "removeLabelFromCard", "updateCustomFieldItem",
)
# A renamed or archived list, a renamed or deleted label or field reaches many cards at once: read the board whole.
BOARD_CHANGES = ("updateList:name", "updateList:closed", "moveListToBoard", "moveListFromBoard", "updateLabel",
                 "deleteLabel", "updateCustomField", "deleteCustomField")
ACTION_FILTER = ",".join(CARD_CHANGES + BOARD_CHANGES)
ARRIVALS = frozenset({"createCard", "copyCard", "convertToCardFromCheckItem", "emailCard", "moveCardToBoard"})
DEPARTURES = frozenset({"deleteCard", "moveCardFromBoard"})
RESTRUCTURING = frozenset(kind.partition(":")[0] for kind in BOARD_CHANGES)


@dataclass
class Delta:
    """The board's cards after the actions, and what the actions could not tell on their own."""

    cards: dict[str, Card]                             # the live cards now, by id (arrivals not yet among them)
    touched: set[str] = field(default_factory=set)     # cards an action changed
    removed: set[str] = field(default_factory=set)     # cards that left: deleted, archived, moved away
    arrivals: list[str] = field(default_factory=list)  # cards to read whole: created, moved in, unarchived
    rebuild: str | None = None                         # why the board must be read whole instead
    warnings: list[str] = field(default_factory=list)
    newest: datetime | None = None                     # the newest action's date


def apply_actions(cards: Iterable[Card], actions: Sequence[Any], board: Mapping[str, Any]) -> Delta:
    """Replay `actions` (any order; CARD_CHANGES and BOARD_CHANGES) on `cards`, the board's live cards as last
    read; `board` is the board with its lists and customFields now. An unreadable action is left out with a
    warning, not its card."""
    lists = {lst.get("id"): lst for lst in board.get("lists") or [] if isinstance(lst, Mapping)}
    fields = {f.get("id"): f for f in board.get("customFields") or [] if isinstance(f, Mapping)}
    delta = Delta({card.id: card for card in cards})
    for action, card_id, moment in _readable(actions, delta.warnings):
        delta.newest = max(delta.newest or moment, moment)
        kind = str(action["type"])
        if kind in RESTRUCTURING:
            if _restructures(action):
                delta.rebuild = f"{kind} on {moment.isoformat()}: the board's lists, labels or fields changed"
                return delta
            continue
        if card_id is None:
            continue
        try:
            _apply(delta, action, kind, card_id, moment, lists, fields)
        except MalformedItem as err:
            delta.warnings.append(f"action {kind!r:.30} (id {action.get('id')!r:.40}) on card {card_id!r:.40} "
                                  f"ignored: {err}")
    return delta


def _apply(delta: Delta, action: Mapping[str, Any], kind: str, card_id: str, moment: datetime,
           lists: Mapping[Any, Mapping[str, Any]], fields: Mapping[Any, Mapping[str, Any]]) -> None:
    data = action["data"]
    if kind in DEPARTURES:
        _remove(delta, card_id)
        return
    reopened = kind == "updateCard" and "closed" in (data.get("old") or {}) and not data["card"].get("closed")
    if kind in ARRIVALS or reopened:
        if card_id not in delta.cards and card_id not in delta.arrivals:
            delta.arrivals.append(card_id)  # its fields and history come with it when it is read
            delta.removed.discard(card_id)
        return
    card = delta.cards.get(card_id)
    if card is None:  # a card being read whole, or one the rules do not see (archived, in an archived list)
        return
    changed = _changed(card, action, kind, moment, lists, fields)
    if changed is None:
        _remove(delta, card_id)
    elif changed is not card:
        delta.cards[card_id] = clean_card(replace(changed, modified_at=max(moment, card.modified_at or moment)))
        delta.touched.add(card_id)


def _changed(card: Card, action: Mapping[str, Any], kind: str, moment: datetime,
             lists: Mapping[Any, Mapping[str, Any]], fields: Mapping[Any, Mapping[str, Any]]) -> Card | None:
    """The card after one action; None when it left what the rules see (archived, moved to an archived list)."""
    data = action["data"]
    if kind == "updateCard":
        return _updated(card, data, moment, lists)
    if kind in ("commentCard", "copyCommentCard"):
        [comment] = comments_of([action]) or [None]
        return _with_comment(card, comment) if comment else card
    if kind in ("updateComment", "deleteComment"):
        said = data.get("action") or {}
        if not isinstance(said, Mapping) or not isinstance(said.get("id"), str):
            raise MalformedItem("its 'data.action' names no comment")
        if kind == "deleteComment":
            return _without_comment(card, said["id"])
        creator = action.get("memberCreator")
        author = str((creator.get("fullName") if isinstance(creator, Mapping) else "") or "")
        created = p.objectid_time(said["id"]) or moment
        return _with_comment(card, Comment(said["id"], p.text(said, "text"), created, author))
    if kind in ("addLabelToCard", "removeLabelFromCard"):
        name = (data.get("label") or {}).get("name")
        if not isinstance(name, str) or not name:
            return card  # a label without a name is no label to the rules
        labels = tuple(label for label in card.labels if label != name)
        return replace(card, labels=(*labels, name) if kind == "addLabelToCard" else labels)
    if kind == "updateCustomFieldItem":
        return _with_field(card, data, fields)
    return card


def _updated(card: Card, data: Mapping[str, Any], moment: datetime, lists: Mapping[Any, Mapping[str, Any]]) -> Card | None:
    old, now = data.get("old") or {}, data["card"]
    if not isinstance(old, Mapping):
        raise MalformedItem("its 'data.old' is not an object")
    if old.get("closed") is False and now.get("closed"):
        return None
    changes: dict[str, Any] = {}
    if "idList" in old:
        target = lists.get(now.get("idList")) or data.get("listAfter") or {}
        if target.get("closed"):
            return None
        changes["list"] = str(target.get("name") or "")
    if "name" in old:
        changes["title"] = p.text(now, "name")
    if "desc" in old:
        changes["description"] = p.text(now, "desc", default="")
    if "dueComplete" in old:
        changes["completed"] = bool(now.get("dueComplete"))
    if "due" in old:
        changes["due"] = p.timestamp(now.get("due"), "card.due")
        if old.get("due"):  # setting a first due date is planning, not rescheduling (as the full read says)
            move = DueChange(moment, p.timestamp(old["due"], "old.due"), changes["due"])
            if move not in card.due_changes:
                changes["due_changes"] = tuple(sorted((*card.due_changes, move), key=lambda c: c.at))
    return replace(card, **changes) if changes else card


def _with_comment(card: Card, comment: Comment) -> Card:
    said = (*(c for c in card.comments if c.id != comment.id), comment)
    entries = (*(e for e in card.time_entries if e.id != comment.id), *plus_entries([comment]))
    return replace(card, comments=tuple(sorted(said, key=lambda c: c.created_at)), time_entries=entries)


def _without_comment(card: Card, comment_id: str) -> Card:
    return replace(card, comments=tuple(c for c in card.comments if c.id != comment_id),
                   time_entries=tuple(e for e in card.time_entries if e.id != comment_id))


def _with_field(card: Card, data: Mapping[str, Any], fields: Mapping[Any, Mapping[str, Any]]) -> Card:
    item = data.get("customFieldItem") or {}
    if not isinstance(item, Mapping):
        raise MalformedItem("its 'data.customFieldItem' is not an object")
    field_id = item.get("idCustomField") or (data.get("customField") or {}).get("id")
    name = (fields.get(field_id) or {}).get("name")
    if not isinstance(name, str):
        raise MalformedItem(f"custom field {field_id!r:.40} is not on the board")
    value = custom_fields([{**item, "idCustomField": field_id}], fields)
    values = {k: v for k, v in card.custom_fields.items() if k != name} | value
    return replace(card, custom_fields=values)


def _remove(delta: Delta, card_id: str) -> None:
    delta.cards.pop(card_id, None)
    delta.touched.discard(card_id)
    if card_id in delta.arrivals:
        delta.arrivals.remove(card_id)
    delta.removed.add(card_id)


def _restructures(action: Mapping[str, Any]) -> bool:
    """A list renamed or archived, a label renamed or deleted, a field changed: not a list moved or recoloured."""
    kind, old = action["type"], (action["data"].get("old") or {})
    if kind == "updateList":
        return isinstance(old, Mapping) and ("name" in old or "closed" in old)
    if kind == "updateLabel":
        return isinstance(old, Mapping) and "name" in old
    return True


def _readable(actions: Sequence[Any], warnings: list[str]) -> list[tuple[Mapping[str, Any], str | None, datetime]]:
    """The actions oldest first, with their card's id and date; unreadable ones left out with a warning."""
    readable = []
    for index, action in enumerate(actions):
        try:
            if not isinstance(action, Mapping) or not isinstance(action.get("type"), str):
                raise MalformedItem("it is not an action with a type")
            data = action.get("data")
            if not isinstance(data, Mapping) or not isinstance(data.get("card") or {}, Mapping):
                raise MalformedItem("its 'data' is not an object")
            moment = p.instant(action.get("date"), "date")
            card_id = (data.get("card") or {}).get("id")
            if card_id is not None and not isinstance(card_id, str):
                raise MalformedItem(f"its card id is not text: {card_id!r:.40}")
        except MalformedItem as err:
            shown = action.get("id") if isinstance(action, Mapping) else None
            warnings.append(f"action #{index} (id {shown!r:.40}) ignored: {err}")
            continue
        readable.append((action, card_id, moment))
    readable.sort(key=lambda r: (r[2], str(r[0].get("id") or "")))
    return readable
