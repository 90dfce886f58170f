"""Structured logging for the worker: human lines or JSON, with every known secret redacted."""
from __future__ import annotations

import base64
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus

FORMAT_ENV = "SCOPEKEEPER_LOG_FORMAT"
LEVEL_ENV = "SCOPEKEEPER_LOG_LEVEL"
FORMATS = ("human", "json")
REDACTED = "<redacted>"
# Fields a log call may pass in `extra=`; they become JSON keys, and a bracketed tail on human lines.
FIELDS = ("client", "board", "card", "reference", "intent", "event")
# Libraries that narrate routine work at INFO (Alembic's "Context impl SQLiteImpl.", APScheduler's "Running
# job ..." every scan): only their warnings are shown, unless the level is DEBUG.
CHATTY = ("alembic", "apscheduler")

# Secrets that are not registered still have recognisable shapes in URLs and headers. A value in angle
# brackets is a placeholder in help text ("&key=<your API key>"), not a secret.
_SHAPES = (
    re.compile(r"(?i)\b((?:api_?)?key|token|password|secret|access_token)=((?!<)[^&\s\"']+)"),
    re.compile(r"\b(Bearer)\s+((?!<)[A-Za-z0-9._~+/:=-]+)"),
    re.compile(r"(?i)\b(oauth_consumer_key|oauth_token)=\"([^\"]*)\""),
)
_MIN_SECRET = 4  # shorter values would redact ordinary words
_MIN_PIECE = 6   # the shortest base64 piece of a secret inside a longer value that is redacted on its own

_secrets: set[str] = set()     # as given, and URL-encoded
_encoded: set[str] = set()     # base64 pieces
_encoded_pattern: re.Pattern | None = None
_secrets_lock = threading.Lock()
_handler: logging.Handler | None = None
# A base64 piece is redacted with the whole base64 word around it: the characters at its edges hold bits of
# the secret mixed with their neighbours'.
_BASE64_WORD = "[A-Za-z0-9+/_-]*(?:{})[A-Za-z0-9+/_-]*=*"


def register_secret(value: str | None) -> None:
    """Never print `value` from now on, in any log line, exception text or stored error."""
    global _encoded_pattern
    if value and len(value) >= _MIN_SECRET:
        with _secrets_lock:
            _secrets.update((value, quote(value, safe=""), quote(value), quote_plus(value)))
            _encoded.update(_base64_pieces(value))
            pieces = sorted(_encoded, key=len, reverse=True)
            _encoded_pattern = re.compile(_BASE64_WORD.format("|".join(map(re.escape, pieces))))


def register_secrets(values: Iterable[str | None]) -> None:
    for value in values:
        register_secret(value)


def _base64_pieces(secret: str) -> set[str]:
    """The parts of any base64 text that carry `secret`: alone (AUTH LOGIN) or inside a longer value."""
    raw = secret.encode()
    pieces = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        pieces.add(encode(raw).decode().rstrip("="))
        for shift in (1, 2):
            # Inside a longer value (AUTH PLAIN's "\0user\0password") the secret starts at one of three byte
            # alignments; the characters made of its bits only are the same whatever surrounds it.
            encoded = encode(bytes(shift) + raw).decode()
            piece = encoded[-(-8 * shift // 6):8 * (shift + len(raw)) // 6]
            if len(piece) >= _MIN_PIECE:
                pieces.add(piece)
    return pieces


def redact(text: str) -> str:
    """`text` with every registered secret (as it is, URL-encoded or in base64), and anything shaped like a
    credential, replaced."""
    if not text:
        return text
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: a secret may contain another
        encoded = _encoded_pattern
    if encoded is not None:
        text = encoded.sub(REDACTED, text)
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    for shape in _SHAPES:
        text = shape.sub(_keep_name, text)
    return text


def _keep_name(match: re.Match) -> str:
    """The credential's name and quotes stay, its value goes."""
    whole, start = match.group(0), match.start(0)
    return whole[:match.start(2) - start] + REDACTED + whole[match.end(2) - start:]


class HumanFormatter(logging.Formatter):
    """`2026-11-22 09:15:03 WARNING scopekeeper.worker: message [client=..., board=...]`, redacted."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        tail = ", ".join(f"{name}={getattr(record, name)}" for name in FIELDS if getattr(record, name, None))
        if tail:
            head, newline, rest = line.partition("\n")
            line = f"{head} [{tail}]{newline}{rest}"
        return redact(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the FIELDS given, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = redact(str(value))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(fmt: str | None = None, level: str | None = None, *, default_level: str = "INFO", stream=None) -> None:
    """Send every logger's records to stderr (or `stream`) in `fmt`, at `level`; env vars are the defaults.

    Calling it again replaces the handler it installed before (other handlers are left alone). Uncaught
    exceptions, in the main thread or any other, go through the same redacting handler.
    """
    global _handler
    fmt = (fmt or os.environ.get(FORMAT_ENV) or "human").lower()
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r}: use one of {', '.join(FORMATS)}")
    level_name = (level or os.environ.get(LEVEL_ENV) or default_level).upper()
    if not isinstance(logging.getLevelName(level_name), int):
        raise ValueError(f"log level {level_name!r}: use DEBUG, INFO, WARNING or ERROR")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else HumanFormatter())
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    root.addHandler(handler)
    root.setLevel(level_name)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if level_name == "DEBUG" else logging.WARNING)
    _handler = handler
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda args: _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)


def _log_uncaught(kind, value, traceback) -> None:
    if issubclass(kind, KeyboardInterrupt):
        return
    logging.getLogger("scopekeeper").critical("unexpected error", exc_info=(kind, value, traceback))
