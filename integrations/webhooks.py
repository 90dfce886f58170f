"""Webhook deliveries from Trello and Asana: their signatures and what an event names (pure, no I/O).

Trello signs `X-Trello-Webhook` = base64(HMAC-SHA1(app secret, raw body bytes + the callback URL as
registered)). Asana first sends a handshake with `X-Hook-Secret` (echoed back, then kept), and signs every
later delivery `X-Hook-Signature` = hex(HMAC-SHA256(that secret, raw body bytes)).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from integrations.reference import references_in


def trello_signature(secret: str, body: bytes, callback_url: str) -> str:
    """The X-Trello-Webhook header Trello sends with `body` to `callback_url`."""
    digest = hmac.new(secret.encode("utf-8"), body + callback_url.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def trello_valid(secret: str | None, body: bytes, callback_url: str, header: str | None) -> bool:
    """True when `header` is Trello's signature of exactly this body for exactly this callback URL."""
    if not secret or not header:
        return False
    return hmac.compare_digest(trello_signature(secret, body, callback_url).encode(), header.strip().encode())


def asana_signature(secret: str, body: bytes) -> str:
    """The X-Hook-Signature header Asana sends with `body`."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def asana_valid(secret: str | None, body: bytes, header: str | None) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(asana_signature(secret, body).encode(), header.strip().lower().encode())


@dataclass(frozen=True, slots=True)
class HookState:
    """What the service says of a webhook: whether it still calls, since when its deliveries fail, and when it
    will delete it for that (Asana)."""

    active: bool
    failing_since: datetime | None = None
    deletes_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One change a webhook announced: its board, a key that is the same however often it is delivered, and
    whether it is ScopeKeeper's own comment (which never triggers anything)."""

    board_id: str
    key: str
    own: bool = False


def trello_events(body: bytes, board_id: str | None = None, own_member: str | None = None) -> list[Event]:
    """The action of a Trello delivery (empty for a body that is not one). A comment carrying a ScopeKeeper
    reference, or posted by ScopeKeeper's own member, is its own."""
    payload = _json(body)
    action = payload.get("action") if isinstance(payload, dict) else None
    if not isinstance(action, dict) or not isinstance(action.get("id"), str):
        return []
    data = _object(action.get("data"))
    board = _object(data.get("board")).get("id") or _object(payload.get("model")).get("id") or board_id
    if not isinstance(board, str):
        return []
    comment = action.get("type") == "commentCard"
    own = comment and (bool(references_in(str(data.get("text") or "")))
                       or (own_member is not None and action.get("idMemberCreator") == own_member))
    return [Event(board, f"trello:{action['id']}", own)]


def asana_events(body: bytes, project_gid: str, own_user: str | None = None) -> list[Event] | None:
    """The events of an Asana delivery for the project it watches; [] for a heartbeat; None when not JSON.
    A comment story added by ScopeKeeper's own user is its own."""
    payload = _json(body)
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return None
    found = []
    for event in payload["events"]:
        if not isinstance(event, dict):
            continue
        resource = _object(event.get("resource"))
        user = _object(event.get("user")).get("gid")
        own = (resource.get("resource_type") == "story" and own_user is not None and user == own_user
               and event.get("action") == "added")
        identity = json.dumps([resource.get("gid"), event.get("action"), event.get("created_at"), user,
                               _object(event.get("change")).get("field")], sort_keys=True)
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        found.append(Event(project_gid, f"asana:{digest}", own))
    return found


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (a delivery's optional parts may be missing or odd)."""
    return value if isinstance(value, dict) else {}


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
