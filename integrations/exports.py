"""Read a Trello board export or an Asana project export from disk, streaming: one card in memory at a time.

A 50,000-card export is never held whole, neither as text nor as a parsed tree. The file's bytes are first
scanned for how deep it nests (and for escapes the fast parser mishandles); then an incremental parser reads it
three times: its outline (what it holds, the board's lists, labels and fields), then the actions the mapper
reads (comments, due-date moves, creations: trimmed to the fields it reads), then the cards one by one. A file
that is not valid JSON is read once more, whole, only to say where it breaks.
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson

from integrations import _parse as p
from integrations.asana.mapper import project_snapshot
from integrations.errors import ExportError
from integrations.models import BoardSnapshot
from integrations.trello.mapper import board_snapshot

BOM = b"\xef\xbb\xbf"
# A board export is a few levels deep; a file deeper than this is refused before anything is built (an
# incremental parser's paths grow with the depth: a hostile file would exhaust memory).
MAX_DEPTH = 256
BUFFER = 1 << 16
# The top-level fields of a Trello export read whole: small. `cards` and `actions` are streamed.
BOARD_FIELDS = frozenset({"id", "name", "dateLastActivity", "lists", "labels", "customFields"})
# An escaped lone surrogate ("\\ud800" without its pair): the fast parser turns it into '?' or refuses the file.
LONE_SURROGATE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
                            rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
ESCAPE = re.compile(rb"\\.", re.S)
# The byte scan keeps quotes and brackets, both kinds of bracket written alike: only the nesting counts.
BRACKETS = bytes.maketrans(b"{}", b"[]")
NOT_BRACKETS = bytes(set(range(256)) - set(b'[]{}"'))
ACTION_KINDS = frozenset({"createCard", "updateCard", "commentCard"})  # what the mapper reads of the actions


def read_export(path: str | Path) -> BoardSnapshot:
    """Detect the export's service and normalise it; raises ExportError naming the file."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            return _read(file, str(path))
    except OSError as err:
        raise ExportError(f"{path}: cannot read the export: {err.strerror or err}") from None


def parse_export(raw: bytes | str, source: str) -> BoardSnapshot:
    """Normalise export content held in memory; `source` names it in errors."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return _read(io.BytesIO(raw), source)


@dataclass
class _Outline:
    """What the first reading found: the document's kind and top-level types, the small board fields."""

    top: str = ""                                          # the JSON type of the document
    types: dict[str, str] = field(default_factory=dict)    # top-level key -> JSON type of its value
    board: dict[str, Any] = field(default_factory=dict)    # BOARD_FIELDS present, whole


def _read(file: IO[bytes], source: str, parser: Any = None) -> BoardSnapshot:
    file.seek(0)
    start = 3 if file.read(3) == BOM else 0
    scanned = _scan(file, start)
    if parser is None:  # the fast parser, unless the text escapes a lone surrogate (clean_text then replaces it)
        parser = ijson.get_backend("python") if scanned.lone_surrogate else ijson
    try:
        # The outline's parser builds values in C, but its paths grow with the nesting: a file the byte scan
        # cannot show to be shallow is outlined event by event instead, which stops at MAX_DEPTH.
        outline = _skeleton(parser, file, start) if scanned.shallow else None
        if outline is None:
            outline = _outline(parser, file, start, source)
        if outline.top == "object" and outline.types.get("cards") == "array" and outline.types.get("lists") == "array":
            if outline.types.get("actions", "array") not in ("array", "null"):
                raise ExportError(f"{source}: field 'actions' should be a list in a Trello export")
            actions = list(_actions(_items(parser, file, start, "actions.item"))) if "actions" in outline.types else []
            return board_snapshot({**outline.board, "cards": _items(parser, file, start, "cards.item")}, actions)
        if outline.top == "object" and outline.types.get("data") == "array":
            project = next(_items(parser, file, start, "data.item.memberships.item.project.gid", str), "")
            return project_snapshot(project, _items(parser, file, start, "data.item"))
    except UnicodeDecodeError:
        if parser is ijson:  # the fast parser refuses an escaped lone surrogate ("\udc00"): the slow one keeps it
            return _read(file, source, ijson.get_backend("python"))
        raise ExportError(f"{source}: not UTF-8 text; export the board as JSON again") from None
    except ijson.JSONError:
        file.seek(0)
        _diagnose(file.read(), source)  # says where the JSON breaks
        raise ExportError(f"{source}: not valid JSON; export the board as JSON again") from None
    found = (f"an object with keys {sorted(outline.types)[:6]}" if outline.top == "object"
             else f"a JSON {_PYTHON_NAMES.get(outline.top, outline.top)}")
    raise ExportError(
        f"{source}: neither a Trello board export (an object with 'cards' and 'lists') nor an Asana "
        f"project export (an object with a 'data' list of tasks); found {found}"
    )


def _outline(parser: Any, file: IO[bytes], start: int, source: str) -> _Outline:
    """One pass over the parser's events: the depth checked, the top-level keys typed, the board fields built."""
    file.seek(start)
    outline = _Outline()
    depth, key, builder = 0, None, None
    for event, value in parser.basic_parse(file, buf_size=BUFFER):
        if builder is not None:
            builder.event(event, value)
        if event == "start_map" or event == "start_array":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExportError(f"{source}: the JSON is nested too deeply to be a board export (a board export "
                                  "is a few levels deep); export the board as JSON again")
            if depth == 1:
                outline.top = _TYPES[event]
            elif depth == 2 and key is not None:  # a top-level field's value begins
                outline.types[key] = _TYPES[event]
        elif event == "end_map" or event == "end_array":
            depth -= 1
            if depth == 1 and key is not None:  # ... and ends
                if builder is not None:
                    outline.board[key] = builder.value
                key = builder = None
        elif depth == 0:
            outline.top = _TYPES[event]
        elif depth == 1 and event == "map_key":
            key, builder = value, ijson.ObjectBuilder() if value in BOARD_FIELDS else None
        elif depth == 1 and key is not None:  # a top-level field with a plain value
            outline.types[key] = _TYPES[event]
            if builder is not None:
                outline.board[key] = builder.value
            key = builder = None
    return outline


class _Skeleton:
    """The outline from one pass of the parser's own builder (C in the fast parser): every object of the file is
    built, but those outside the board's small fields are one shared dict, so the cards and actions it meets
    cost nothing. An object is made before the parser says which key it goes under: a board field whose value
    is an object (no export has one) spoils the outline, and the event by event one is taken instead."""

    def __init__(self) -> None:
        self.outline = _Outline()
        self.key: str | None = None  # the top-level key being read
        self.top: _TopObject | None = None
        self.shared: dict[str, Any] = {}
        self.spoiled = False

    def new_object(self) -> Any:
        if self.top is None:
            self.top = _TopObject(self)
            return self.top
        return {} if self.key in BOARD_FIELDS else self.shared


class _TopObject(dict[str, Any]):
    """The document's top-level object: records each key's type and keeps the board fields."""

    def __init__(self, skeleton: _Skeleton) -> None:
        super().__init__()
        self.skeleton = skeleton

    def __setitem__(self, key: str, value: Any) -> None:  # the parser sets a container as it opens it
        skeleton = self.skeleton
        skeleton.key = key
        skeleton.outline.types[key] = _type_of(value)
        if key in BOARD_FIELDS:
            skeleton.outline.board[key] = value
            skeleton.spoiled |= value is skeleton.shared


def _skeleton(parser: Any, file: IO[bytes], start: int) -> _Outline | None:
    """The outline built by the parser (None if spoiled): a file known to nest no deeper than MAX_DEPTH."""
    file.seek(start)
    skeleton = _Skeleton()
    try:
        for value in parser.items(file, "", map_type=skeleton.new_object, buf_size=BUFFER, use_float=True):
            skeleton.outline.top = "object" if value is skeleton.top else _type_of(value)
    finally:
        skeleton.shared.clear()  # it holds itself (an object in an object of the cards): no cycle left behind
    return None if skeleton.spoiled else skeleton.outline


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return "string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"


@dataclass
class _Scanned:
    """What the byte scan found: an escaped lone surrogate; whether the nesting is shown to be shallow."""

    lone_surrogate: bool = False
    shallow: bool = True


def _scan(file: IO[bytes], start: int) -> _Scanned:
    """One pass over the bytes, a megabyte at a time, at the speed of bytes methods: escaped lone surrogates,
    and a bound on the nesting. Escapes and strings are dropped and the brackets left are paired off, innermost
    first, round after round; a chunk's unpaired brackets carry into the next. The depth reached is at most the
    open brackets carried in and out plus the rounds, so a bound within MAX_DEPTH shows the file shallow."""
    file.seek(start)
    found = _Scanned()
    tail = escaped = carried = b""
    in_string = False
    while chunk := file.read(1 << 20):
        window = tail + chunk
        if (b"\\ud" in window or b"\\uD" in window) and LONE_SURROGATE.search(window):  # the test alone is fast
            found.lone_surrogate = True
        tail = chunk[-12:]  # an escape cut by the chunk's end is whole in the next search
        if not found.shallow:
            continue
        text = escaped + chunk
        whole = text.rstrip(b"\\")  # a backslash ending the chunk escapes the next one's first byte
        escaped = text[len(whole):]
        if b"\\" in whole:
            whole = ESCAPE.sub(b"", whole)
        # Only quotes and brackets are kept; empty strings (most strings, once bracketless) go first, in C.
        parts = whole.translate(BRACKETS, NOT_BRACKETS).replace(b'""', b"").split(b'"')
        outside = b"".join(parts[1::2] if in_string else parts[0::2])
        in_string ^= len(parts) % 2 == 0
        brackets, before, rounds = carried + outside, carried.count(b"["), 0
        while rounds <= MAX_DEPTH and len(paired := brackets.replace(b"[]", b"")) < len(brackets):
            brackets, rounds = paired, rounds + 1
        carried = brackets
        found.shallow = before + rounds + carried.count(b"[") <= MAX_DEPTH
    return found


def _items(parser: Any, file: IO[bytes], start: int, prefix: str, kind: type | None = None) -> Iterator[Any]:
    """The values at `prefix`, one at a time (of type `kind` only, if given)."""
    file.seek(start)
    for item in parser.items(file, prefix, buf_size=BUFFER, use_float=True):
        if kind is None or isinstance(item, kind):
            yield item


def _actions(actions: Iterator[Any]) -> Iterator[Mapping[str, Any]]:
    """The actions the mapper reads, trimmed to what it reads of them: comments, due-date moves, and creations of
    cards whose id tells no time. A board's history is mostly other kinds; one action of each card's is kept,
    however many are read, so strings and dicts the actions share are kept once."""
    shared: dict[Any, Any] = {}
    for action in actions:
        if not isinstance(action, dict) or action.get("type") not in ACTION_KINDS:
            continue
        kind, data = action["type"], action.get("data")
        if isinstance(data, dict):
            card, old = data.get("card"), data.get("old")
            if kind == "createCard" and isinstance(card, dict) and p.objectid_time(str(card.get("id"))):
                continue  # the card's id tells when it was created
            if kind == "updateCard" and isinstance(old, dict) and "due" not in old:
                continue  # not a due-date move
            trimmed: dict[str, Any] = {k: data[k] for k in ("text",) if k in data}
            if isinstance(card, dict):
                card = {k: _shared(shared, card[k]) for k in ("id", "due") if k in card}
                card = shared.setdefault(("card", *card.items()), card) if "due" not in card else card
            trimmed["card"] = card
            if "old" in data:
                trimmed["old"] = {k: old[k] for k in ("due",) if k in old} if isinstance(old, dict) else old
            data = trimmed
        creator = action.get("memberCreator")
        if isinstance(creator, dict):
            name = creator.get("fullName")
            creator = shared.setdefault(("creator", name), {"fullName": name})
        yield {"id": action.get("id"), "type": kind, "date": action.get("date"), "data": data,
               "memberCreator": creator}


def _shared(shared: dict[Any, Any], value: Any) -> Any:
    """One object for equal strings (card ids recur in every action of their card)."""
    return shared.setdefault(value, value) if isinstance(value, str) else value


def _diagnose(raw: bytes, source: str) -> None:
    """Raise the ExportError that says why `raw` is not JSON: not UTF-8, empty, cut short, or where it breaks."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ExportError(f"{source}: not UTF-8 text (byte {err.start}); export the board as JSON again") from None
    if not text.strip():
        raise ExportError(f"{source}: the file is empty; export the board as JSON again")
    try:
        json.loads(text)
    except RecursionError:  # the parser recurses once per level: a thousand levels exhaust Python's stack
        raise ExportError(f"{source}: the JSON is nested too deeply to be a board export (a board export is a few "
                          "levels deep); export the board as JSON again") from None
    except json.JSONDecodeError as err:
        if _truncated(text, err):
            raise ExportError(f"{source}: the JSON ends early at line {err.lineno}, column {err.colno}: "
                              "the file looks truncated; download the export again") from None
        raise ExportError(f"{source}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None


def _truncated(text: str, err: json.JSONDecodeError) -> bool:
    """A download cut short: the parser ran off the end, or a document never closes."""
    body = text.strip()
    return (err.pos >= len(body) or err.msg.startswith("Unterminated string")
            or (body[:1] in "{[" and body[-1:] not in "}]"))


_TYPES = {"start_map": "object", "start_array": "array", "string": "string", "number": "number",
          "integer": "number", "double": "number", "boolean": "boolean", "null": "null"}
_PYTHON_NAMES = {"array": "list", "object": "dict", "string": "str", "number": "int", "boolean": "bool",
                 "null": "NoneType"}
