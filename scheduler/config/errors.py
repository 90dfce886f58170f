"""Turn validation errors into one plain sentence per mistake: file, key path, value, what is allowed."""
from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from scheduler.errors import ScopeKeeperError

# Values under these keys are never echoed: they may be secrets written in the wrong place.
_SECRET_WORDS = ("password", "token", "secret", "api_key", "apikey", "_env", "urls")

_TYPE_NAMES = {
    "string_type": "a string in quotes", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "bool_type": "true or false", "list_type": "a list [ ... ]",
    "model_type": "a table", "dict_type": "a table", "model_attributes_type": "a table",
    "time_type": "a time such as \"09:00\"", "timedelta_type": "a duration such as \"15m\"",
}
_HINTS = {
    "currency": "a 3-letter ISO 4217 code such as USD, EUR or PLN",
    "consultation_url": "an http(s):// link to your booking page",
    "state_url": "sqlite:///path/to/file.db, or postgresql://user@host/database",
    "email_to": "email addresses such as va@example.com",
    "keywords": "words or phrases containing letters",
    "name": "a non-empty name",
}


class ConfigError(ScopeKeeperError):
    """The configuration cannot be used; `problems` holds one sentence per mistake."""

    def __init__(self, path: str | Path, problems: Sequence[str]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__("\n".join(f"{self.path}: {p}" for p in self.problems))


def describe_errors(error: ValidationError, root: type[BaseModel], data: Any) -> list[str]:
    """One sentence per validation error, deduplicated, in file order."""
    problems: list[str] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        sentence = f"{_path(loc, data)}: {_sentence(item, loc, root)}"
        if sentence not in problems:
            problems.append(sentence)
    return problems


def _sentence(item: ErrorDetails, loc: tuple, root: type[BaseModel]) -> str:
    kind, ctx, value = item["type"], item.get("ctx") or {}, item.get("input")
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    shown = _show(value, key)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        secret = " Secrets belong in the environment: name the variable in a *_env key." \
            if any(w in str(loc[-1]).lower() for w in _SECRET_WORDS) else ""
        return f"unknown key '{loc[-1]}'{hint} Allowed here: {', '.join(allowed) or 'none'}.{secret}"
    if kind == "missing":
        return "is required but missing"
    if kind == "secret_literal":
        return f"the value (hidden, {len(str(value))} characters) {item['msg']}"
    if kind == "literal_error":
        return f"{shown} is not allowed; use one of: {ctx.get('expected')}"
    if kind in _TYPE_NAMES:
        return f"should be {_TYPE_NAMES[kind]}, got {_type_name(value)} {shown}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "greater than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        bound = next(iter(ctx.values()), "?")
        return f"must be {words} {bound:g}, got {shown}" if isinstance(bound, (int, float)) else \
            f"must be {words} {bound}, got {shown}"
    if kind in ("too_short", "string_too_short"):
        return f"must not be empty, got {shown}"
    if kind in ("too_long", "string_too_long"):
        return f"is too long ({_length(value)} items or characters)"
    if kind in ("finite_number",):
        return f"must be a finite number, got {shown}"
    if kind == "string_pattern_mismatch":
        return f"{shown} is not valid; expected {_HINTS.get(key, 'a value of the documented form')}"
    message = str(item.get("msg", "")).removeprefix("Value error, ")
    if kind == "value_error" and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return f"{shown} {message}"
    return message


def _path(loc: tuple, data: Any) -> str:
    """`clients[2].contract.period`, with the client's name when it has one."""
    text, node, client = "", data, None
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
        node = _child(node, part)
        if text.startswith("clients[") and client is None and isinstance(node, dict):
            client = node.get("name") if isinstance(node.get("name"), str) else None
    return f"{text or '(top level)'}" + (f" (client {client!r})" if client else "")


def _child(node: Any, part: Any) -> Any:
    try:
        return node[part]
    except (KeyError, IndexError, TypeError):
        return None


def _allowed_keys(root: type[BaseModel], loc: tuple) -> list[str]:
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
    fields = getattr(model, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _show(value: Any, key: str) -> str:
    if any(w in key.lower() for w in _SECRET_WORDS):
        return "(value hidden)"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return '"' + text.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a table"
    return _type_name(value)


def _type_name(value: Any) -> str:
    names = {str: "text", bool: "boolean", int: "number", float: "number", list: "list", dict: "table",
             type(None): "nothing", types.NoneType: "nothing"}
    return names.get(type(value), type(value).__name__)


def _length(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0
