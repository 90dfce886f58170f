"""A stateful fake of the Trello REST API (boards, cards, custom fields, actions, comments) with faults on demand."""
from __future__ import annotations

import copy
import html
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import MaxRetryError, NewConnectionError

from integrations.sandbox.deliver import Deliverer, head_ok
from integrations.sandbox.server import LoopbackServer
from integrations.webhooks import trello_signature

API_ROOT = "https://api.trello.com"
SANDBOX_KEY = "sandbox-api-key"
SANDBOX_TOKEN = "sandbox-token"
SANDBOX_SECRET = "sandbox-app-secret"   # the Power-Up's OAuth secret: it signs webhook deliveries
ME = {"id": "5e1a2b3c4d5e6f7a8b9c0d1e", "username": "va", "fullName": "Virtual Assistant", "initials": "VA"}
CLIENT = {"id": "64bb5a809c05fd126b61ef47", "username": "client", "fullName": "Client", "initials": "C"}
FAULTS = ("server_error", "rate_limit", "timeout", "lost_answer", "refused")
DROP = "X-Sandbox-Drop"    # on a status-0 reply: how the transport should fail
WINDOW = 10.0
TOKEN_LIMIT, KEY_LIMIT, PENALTY = 100, 300, 200   # Trello's budgets, and its 429s-per-window penalty
NOT_FOUND = "The requested resource was not found."
BOARD_DEFAULT_FIELDS = "name,desc,descData,closed,idOrganization,pinned,url,shortUrl,prefs,labelNames"
NESTED = ("lists", "labels", "customFields")
CARD_DEFAULTS: dict[str, Any] = {
    "closed": False, "desc": "", "due": None, "dueComplete": False, "start": None, "idChecklists": [],
    "idLabels": [], "idMembers": [], "labels": [], "pos": 16384, "idShort": 0, "shortLink": "", "shortUrl": "",
    "url": "", "dateLastActivity": None,
}
BADGE_DEFAULTS = {"comments": 0, "checkItems": 0, "checkItemsChecked": 0, "attachments": 0, "description": False}
ID = re.compile(r"[0-9a-f]{24}")


class _Reply(Exception):
    """An error answer from deep inside a route."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


class TrelloSandbox:
    """Trello's REST API in memory: `handle()` answers one request; `install()` and `serve()` put it on a transport."""

    def __init__(self, *, api_key: str = SANDBOX_KEY, tokens: Iterable[str] = (SANDBOX_TOKEN,),
                 clock: Callable[[], float] = time.time, enforce_limits: bool = True, latency: float = 0.0,
                 id_seed: int = 0) -> None:
        self.api_key, self.tokens = api_key, set(tokens)
        self.clock, self.enforce_limits, self.latency = clock, enforce_limits, latency
        self.me = dict(ME)
        self.boards: dict[str, dict] = {}     # board fields plus its lists, labels and customFields
        self.cards: dict[str, dict] = {}      # card fields plus customFieldItems
        self.actions: dict[str, dict] = {}
        self.log: list[dict] = []             # per request: method, path, query (no secrets), status, clock time
        self.rate_limited = 0                 # 429s answered
        self.token_expiry: dict[str, datetime | None] = {}  # per token: its dateExpires (absent: never)
        self.app_secret = SANDBOX_SECRET
        self.webhooks: dict[str, dict] = {}   # id -> {id, idModel, callbackURL, active, consecutiveFailures}
        self.deliver = Deliverer()            # deliver.times = 3: every event delivered three times
        self._faults: list[list] = []         # [kind, remaining, method, status]
        self._token_times: dict[str, deque] = {}  # per token: times of its requests in the window
        self._key_times: deque = deque()           # the key's, all tokens together
        self._refusals: deque = deque()            # times of the 429s answered in the window
        self._serial = itertools.count((id_seed << 40) + 1)  # new ids: creation time, then this serial
        self._lock = threading.RLock()

    # --- seeding and client-side activity -------------------------------------------------------------------

    def load_export(self, export: Mapping[str, Any]) -> str:
        """Add a board from Trello's "Export as JSON" (or `synthetic_export`); returns its id."""
        board = copy.deepcopy(dict(export))
        cards, actions = board.pop("cards", []), board.pop("actions", [])
        for extra in ("members", "checklists"):
            board.pop(extra, None)
        with self._lock:
            self.boards[board["id"]] = board
            self.cards.update((c["id"], c) for c in cards)
            self.actions.update((a["id"], a) for a in actions)
        return board["id"]

    def add_board(self, name: str, *, lists: Iterable[str] = ("To Do", "Doing", "Done"),
                  labels: Mapping[str, str] | None = None, number_fields: Iterable[str] = ()) -> str:
        """A new empty board with these lists, labels ({name: color}) and number custom fields; returns its id."""
        with self._lock:
            now = self._now()
            board_id = self._new_id()
            self.boards[board_id] = {
                "id": board_id, "name": name, "desc": "", "closed": False, "shortLink": board_id[-8:],
                "url": f"https://trello.com/b/{board_id[-8:]}", "shortUrl": f"https://trello.com/b/{board_id[-8:]}",
                "dateLastActivity": _stamp(now),
                "lists": [{"id": self._new_id(), "name": n, "closed": False, "idBoard": board_id, "pos": 16384 * i}
                          for i, n in enumerate(lists, 1)],
                "labels": [{"id": self._new_id(), "idBoard": board_id, "name": n, "color": c}
                           for n, c in (labels or {}).items()],
                "customFields": [{"id": self._new_id(), "idModel": board_id, "modelType": "board", "name": n,
                                  "type": "number", "pos": 16384 * i, "display": {"cardFront": True}}
                                 for i, n in enumerate(number_fields, 1)],
            }
            return board_id

    def add_card(self, board_id: str, name: str, *, list_index: int = 0, member: Mapping[str, str] = CLIENT,
                 **fields: Any) -> dict:
        """Someone (the client, by default) creates a card; `fields` sets more of it (desc, labels, idLabels...)."""
        with self._lock:
            board = self._board(board_id)
            return copy.deepcopy(self._new_card(board, board["lists"][list_index]["id"], name, member, fields))

    def _new_card(self, board: dict, list_id: str, name: str, member: Mapping[str, str], fields: Mapping) -> dict:
        card_id = self._new_id()
        number = 1 + max((c.get("idShort") or 0 for c in self.cards.values() if c.get("idBoard") == board["id"]),
                         default=0)
        card = {"id": card_id, "name": name, "desc": "", "closed": False, "idBoard": board["id"],
                "idList": list_id, "idLabels": [], "labels": [], "idShort": number,
                "shortLink": card_id[-8:], "shortUrl": f"https://trello.com/c/{card_id[-8:]}",
                "url": f"https://trello.com/c/{card_id[-8:]}/{number}", "pos": 16384 * number,
                "customFieldItems": [], **fields}
        self.cards[card_id] = card
        self._record(card, "createCard", {}, member)
        return card

    def add_comment(self, card_id: str, text: str, *, member: Mapping[str, str] = CLIENT) -> dict:
        """Someone (the client, by default) comments on a card, as they would in Trello's own app."""
        with self._lock:
            return self._comment(self._card(card_id), text, member)

    def move_due(self, card_id: str, due: datetime | None, *, member: Mapping[str, str] = CLIENT) -> dict:
        """Someone sets or moves the card's due date (an updateCard action with data.old.due)."""
        with self._lock:
            card = self._card(card_id)
            old, card["due"] = card.get("due"), _stamp(due) if due else None
            return self._record(card, "updateCard", {"old": {"due": old}, "card": {"due": card["due"]}}, member)

    def set_number(self, card_id: str, field_name: str, value: float, *, member: Mapping[str, str] = CLIENT) -> dict:
        """Someone fills the card's number custom field named `field_name` (an updateCustomFieldItem action)."""
        with self._lock:
            card = self._card(card_id)
            board = self._board(card["idBoard"])
            field = next((f for f in board.get("customFields", []) if f.get("name") == field_name), None)
            if field is None:
                raise KeyError(f"board {board['id']} has no custom field {field_name!r}")
            items = [i for i in card.get("customFieldItems", []) if i.get("idCustomField") != field["id"]]
            item = {"id": self._new_id(), "idCustomField": field["id"],
                    "idModel": card_id, "modelType": "card", "value": {"number": f"{value:g}"}}
            card["customFieldItems"] = [*items, item]
            return self._record(card, "updateCustomFieldItem", {"customField": {"id": field["id"], "name": field_name},
                                                                 "customFieldItem": item}, member)

    def delete_card(self, card_id: str) -> None:
        """Delete a card as Trello does: gone with its actions, a deleteCard action left on the board."""
        with self._lock:
            card = self._card(card_id)
            del self.cards[card_id]
            for action_id in [i for i, a in self.actions.items() if _card_of(a) == card_id]:
                del self.actions[action_id]
            self._record(card, "deleteCard", {"card": {"id": card_id, "idShort": card.get("idShort")}}, CLIENT)

    def update_card(self, card_id: str, *, member: Mapping[str, str] = CLIENT, **fields: Any) -> list[dict]:
        """Someone edits the card in Trello's app: one updateCard action per field changed (name, desc, due,
        dueComplete, closed, idList), each with data.old as Trello sends it and, for a move, listBefore/listAfter."""
        with self._lock:
            card = self._card(card_id)
            board = self._board(card["idBoard"])
            lists = {lst["id"]: {"id": lst["id"], "name": lst.get("name")} for lst in board.get("lists", [])}
            recorded = []
            for name, value in fields.items():
                if name == "due" and isinstance(value, datetime):
                    value = _stamp(value)
                old, card[name] = card.get(name), value
                data: dict[str, Any] = {"old": {name: old}, "card": {name: value}}
                if name == "idList":
                    data |= {"listBefore": lists.get(old, {}), "listAfter": lists.get(value, {})}
                recorded.append(self._record(card, "updateCard", data, member))
            return recorded

    def label_card(self, card_id: str, label: str, *, add: bool = True, member: Mapping[str, str] = CLIENT) -> dict:
        """Someone puts the board's label named `label` on the card, or takes it off (add=False)."""
        with self._lock:
            card = self._card(card_id)
            found = next(lab for lab in self._board(card["idBoard"]).get("labels", []) if lab.get("name") == label)
            card["idLabels"] = [i for i in card.get("idLabels", []) if i != found["id"]] + ([found["id"]] if add else [])
            card["labels"] = [lab for lab in card.get("labels", []) if lab.get("id") != found["id"]] + (
                [dict(found)] if add else [])
            kind = "addLabelToCard" if add else "removeLabelFromCard"
            return self._record(card, kind, {"label": {k: found.get(k) for k in ("id", "name", "color")}}, member)

    def edit_comment(self, action_id: str, text: str) -> dict:
        """The comment's author edits it: its text changes in place, and an updateComment action says so."""
        with self._lock:
            said = self._find(self.actions, action_id)
            old, said["data"]["text"] = said["data"]["text"], text
            card = self._card(_card_of(said) or "")
            member = said.get("memberCreator") or CLIENT
            return self._record(card, "updateComment", {"action": {"id": action_id, "text": text},
                                                        "old": {"text": old}}, member)

    def delete_comment(self, action_id: str) -> dict:
        """The comment's author deletes it: its action is gone, a deleteComment action names it."""
        with self._lock:
            said = self.actions.pop(self._find(self.actions, action_id)["id"])
            card = self._card(_card_of(said) or "")
            card.setdefault("badges", {})["comments"] = max(card.get("badges", {}).get("comments", 1) - 1, 0)
            return self._record(card, "deleteComment", {"action": {"id": action_id}},
                                said.get("memberCreator") or CLIENT)

    def move_card_to_board(self, card_id: str, board_id: str, *, member: Mapping[str, str] = CLIENT) -> None:
        """Someone moves the card to another board's first list: moveCardFromBoard on the old board,
        moveCardToBoard on the new one; the card keeps its actions."""
        with self._lock:
            card, target = self._card(card_id), self._board(board_id)
            source = self._board(card["idBoard"])
            self._record(card, "moveCardFromBoard", {"boardTarget": {"id": board_id}}, member)
            card["idBoard"], card["idList"] = board_id, target["lists"][0]["id"]
            card["idLabels"], card["labels"], card["customFieldItems"] = [], [], []
            self._record(card, "moveCardToBoard", {"boardSource": {"id": source["id"]}}, member)

    def update_list(self, board_id: str, list_index: int, *, member: Mapping[str, str] = CLIENT, **fields: Any) -> dict:
        """Someone renames or archives one of the board's lists (an updateList action)."""
        with self._lock:
            board = self._board(board_id)
            lst = board["lists"][list_index]
            old = {name: lst.get(name) for name in fields}
            lst.update(fields)
            return self._record_on_board(board, "updateList", {"list": {"id": lst["id"], "name": lst["name"], **fields},
                                                               "old": old}, member)

    def comments_on(self, card_id: str) -> list[dict]:
        """The card's comment actions, oldest first."""
        with self._lock:
            return sorted((a for a in self.actions.values() if a["type"] == "commentCard" and _card_of(a) == card_id),
                          key=lambda a: a["id"])

    def spend_elsewhere(self, count: int, token: str = SANDBOX_TOKEN) -> None:
        """Count `count` requests that another program made just now with `token` (and so with the key)."""
        with self._lock:
            now = self.clock()
            self._token_times.setdefault(token, deque()).extend([now] * count)
            self._key_times.extend([now] * count)

    # --- faults ----------------------------------------------------------------------------------------------

    def inject(self, kind: str, count: int = 1, *, method: str | None = None, status: int = 503) -> None:
        """Make the next `count` requests (of `method`, if given) fail as `kind`, one of FAULTS.

        server_error answers `status`; rate_limit answers Trello's token 429; timeout loses the request;
        lost_answer carries the request out and then loses the answer; refused fails before anything is sent.
        """
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        with self._lock:
            self._faults.append([kind, count, method, status])

    # --- transports ------------------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: Mapping[str, str], body: bytes,
               headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One request -> (status, headers, body); status 0 asks the transport to fail as headers[DROP] says."""
        if self.latency:
            time.sleep(self.latency)
        method = method.upper()
        with self._lock:
            status, reply_headers, payload = self._answer(method, unquote(path), dict(query), body, headers)
            public = {k: v for k, v in query.items() if k not in ("key", "token")}
            self.log.append({"method": method, "path": path, "status": status or reply_headers[DROP],
                             "at": self.clock(), "query": public})
            return status, reply_headers, payload

    def install(self, mock: Any, base_url: str = API_ROOT) -> None:
        """Answer every request to `base_url`/1/... made through requests while the `responses` mock is active."""
        pattern = re.compile(re.escape(base_url.rstrip("/")) + r"/1/.*")
        for method in ("GET", "POST", "PUT", "DELETE"):
            mock.add_callback(method, pattern, callback=self._on_mock_request, content_type=None)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> LoopbackServer:
        """A loopback HTTP server for the demo (`with sandbox.serve() as srv:` then base_url=srv.url + "/1").

        Over a real socket every fault short of an answer is a dropped connection.
        """
        return LoopbackServer(self.handle, host, port)

    def _on_mock_request(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(str(request.url))
        body = request.body or b""
        status, headers, payload = self.handle(str(request.method), parts.path,
                                               dict(parse_qsl(parts.query, keep_blank_values=True)),
                                               body if isinstance(body, bytes) else str(body).encode(),
                                               {k: str(v) for k, v in request.headers.items()})
        if status == 0:
            if headers[DROP] == "refused":
                host = parts.hostname or "api.trello.com"
                reason = NewConnectionError(HTTPConnection(host), "Failed to establish a new connection: [Errno 111] refused")
                raise requests.ConnectionError(MaxRetryError(HTTPConnectionPool(host), parts.path, reason), request=request)
            raise requests.ReadTimeout(f"Read timed out on {parts.path}", request=request)
        return status, headers, payload

    # --- one request -----------------------------------------------------------------------------------------

    def _answer(self, method: str, path: str, query: dict, body: bytes, headers: Mapping[str, str]):
        fault, status = self._take_fault(method)
        if fault in ("refused", "timeout"):
            return 0, {DROP: fault}, b""
        if fault == "server_error":
            return _text(status, "Internal Server Error")
        if fault == "rate_limit":
            return self._too_many("API_TOKEN_LIMIT_EXCEEDED")
        if method == "GET" and path.rstrip("/").endswith("/1/authorize"):
            return self._authorize_page(query)
        key, token = _credentials(query, headers)
        if key != self.api_key:
            return _text(401, "invalid key")
        if token not in self.tokens:
            return _text(401, "invalid token")
        if self.enforce_limits and (exceeded := self._spend_one(token)):
            return self._too_many(exceeded)
        try:
            reply = _json(200, self._route(method, path, query, body))
        except _Reply as err:
            reply = _text(err.status, err.text)
        if fault == "lost_answer":
            return 0, {DROP: fault}, b""
        reply[1].update(self._budget_headers(token))
        return reply

    def _authorize_page(self, query: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Trello's authorize page: Allow sends the browser to return_url with the token in the fragment
        (callback_method=fragment), or shows the token to copy when there is no return_url."""
        if query.get("key") != self.api_key:
            return _text(401, "invalid key")
        token = sorted(self.tokens)[0]
        app = html.escape(query.get("name") or "An application")
        scope = html.escape(query.get("scope") or "read")
        back = query.get("return_url")
        if back and query.get("callback_method") == "fragment":
            allow = f'<a id="allow" href="{html.escape(back)}#token={token}">Allow</a>'
            deny = f'<a id="deny" href="{html.escape(back)}#error=denied">Deny</a>'
        else:
            allow, deny = f'<p>Your token: <code id="token">{token}</code></p>', ""
        page = (f"<!doctype html><html><head><title>Trello (sandbox): authorize</title></head><body>"
                f"<h1>Let {app} use your account?</h1><p>It asks for: {scope}.</p>{allow} {deny}</body></html>")
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    def _take_fault(self, method: str) -> tuple[str | None, int]:
        for fault in self._faults:
            kind, remaining, only, status = fault
            if only in (None, method):
                fault[1] = remaining - 1
                if fault[1] <= 0:
                    self._faults.remove(fault)
                return kind, status
        return None, 0

    def _spend_one(self, token: str) -> str | None:
        now = self.clock()
        token_times = self._token_times.setdefault(token, deque())
        for times in (token_times, self._key_times, self._refusals):
            while times and times[0] <= now - WINDOW:
                times.popleft()
        if len(self._refusals) >= PENALTY or len(self._key_times) >= KEY_LIMIT:
            return "API_KEY_LIMIT_EXCEEDED"
        if len(token_times) >= TOKEN_LIMIT:
            return "API_TOKEN_LIMIT_EXCEEDED"
        token_times.append(now)
        self._key_times.append(now)
        return None

    def _too_many(self, error: str):
        self.rate_limited += 1
        self._refusals.append(self.clock())
        return _json(429, {"error": error, "message": "Rate limit exceeded"})

    def _budget_headers(self, token: str) -> dict[str, str]:
        headers = {}
        for name, limit, used in (("token", TOKEN_LIMIT, self._token_times.get(token, ())),
                                  ("key", KEY_LIMIT, self._key_times)):
            headers.update({f"x-rate-limit-api-{name}-interval-ms": str(int(WINDOW * 1000)),
                            f"x-rate-limit-api-{name}-max": str(limit),
                            f"x-rate-limit-api-{name}-remaining": str(max(limit - len(used), 0))})
        return headers

    def _route(self, method: str, path: str, query: dict, body: bytes) -> Any:
        for route_method, pattern, name in ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return getattr(self, name)(query, body, **match.groupdict())
        raise _Reply(404, f"Cannot {method} {path}")

    # --- routes ----------------------------------------------------------------------------------------------

    def _get_member(self, query, body, id):
        return _fields(self._member(id), query.get("fields", "all"))

    def _get_member_boards(self, query, body, id):
        self._member(id)
        wanted = query.get("filter", "all")
        fields = query.get("fields", "all")
        return [_fields(_board_fields(b), fields) for b in self.boards.values()
                if wanted not in ("open", "closed") or bool(b.get("closed")) == (wanted == "closed")]

    def _get_board(self, query, body, id):
        board = self._board(id)
        answer = _fields(_board_fields(board), query.get("fields", BOARD_DEFAULT_FIELDS))
        lists = query.get("lists", "open")
        if lists != "none":
            answer["lists"] = [_fields(lst, query.get("list_fields", "all")) for lst in board.get("lists", [])
                               if lists == "all" or bool(lst.get("closed")) == (lists == "closed")]
        if query.get("cards", "none") != "none":
            answer["cards"] = self._cards_json(board, query["cards"], query.get("card_fields", "all"),
                                               query.get("card_customFieldItems") == "true")
        if query.get("labels", "none") != "none":
            answer["labels"] = [_fields(lab, query.get("label_fields", "all")) for lab in board.get("labels", [])]
        if query.get("customFields") == "true":
            answer["customFields"] = copy.deepcopy(board.get("customFields", []))
        return answer

    def _get_board_cards(self, query, body, id, filter=None):
        return self._cards_json(self._board(id), filter or query.get("filter", "open"), query.get("fields", "all"),
                                query.get("customFieldItems") == "true")

    def _get_board_custom_fields(self, query, body, id):
        return copy.deepcopy(self._board(id).get("customFields", []))

    def _get_board_actions(self, query, body, id):
        self._board(id)
        return self._actions_json((a for a in self.actions.values() if _board_of(a) == id), query, "all")

    def _get_card(self, query, body, id):
        """A card, with its custom field items and (nested) actions when asked, as GET /1/cards/{id} has them."""
        card = self._card(id)
        [shaped] = self._cards_json(self._board(card["idBoard"]), "all", query.get("fields", "all"),
                                    query.get("customFieldItems") == "true", only=id)
        if query.get("actions", "none") != "none":
            nested = {"filter": query["actions"], "limit": query.get("actions_limit", "50"),
                      "fields": query.get("action_fields", "all"),
                      "memberCreator_fields": query.get("action_memberCreator_fields", "all")}
            shaped["actions"] = self._actions_json((a for a in self.actions.values() if _card_of(a) == id), nested,
                                                   "all")
        return shaped

    def _get_card_actions(self, query, body, id):
        self._card(id)
        return self._actions_json((a for a in self.actions.values() if _card_of(a) == id), query,
                                  "commentCard, updateCard:idList")

    def _get_token(self, query, body, token):
        if token not in self.tokens:
            raise _Reply(401, "invalid token")
        expires = self.token_expiry.get(token)
        return {"id": self._new_id(), "idMember": self.me["id"], "dateExpires": _stamp(expires) if expires else None}

    def _post_webhook(self, query, body):
        url = query.get("callbackURL") or _body_field(body, "callbackURL")
        model = query.get("idModel") or _body_field(body, "idModel")
        if not url or not model:
            raise _Reply(400, "invalid value for callbackURL or idModel")
        self._board(model)
        if any(h["idModel"] == model and h["callbackURL"] == url for h in self.webhooks.values()):
            raise _Reply(400, "A webhook with that callback, model, and token already exists")
        if not head_ok(url):
            raise _Reply(400, f"URL ({url}) did not return 200 status code, got 404")
        hook = {"id": self._new_id(), "description": _body_field(body, "description") or "", "idModel": model,
                "callbackURL": url, "active": True, "consecutiveFailures": 0, "firstConsecutiveFailDate": None}
        self.webhooks[hook["id"]] = hook
        return dict(hook)

    def _get_webhook(self, query, body, id):
        return dict(self._find(self.webhooks, id))

    def _delete_webhook(self, query, body, id):
        self._find(self.webhooks, id)
        del self.webhooks[id]
        return {"_value": None}

    def _get_token_webhooks(self, query, body, token):
        return [dict(h) for h in self.webhooks.values()]

    def _post_comment(self, query, body, id):
        text = query.get("text") or _body_field(body, "text")
        card = self._card(id)
        if not text:
            raise _Reply(400, "invalid value for text")
        return self._comment(card, text, self.me)

    def _post_card(self, query, body):
        """POST /1/cards?idList=&name=&desc=: a card created with the token (its member is the creator)."""
        list_id = query.get("idList") or _body_field(body, "idList") or ""
        name = query.get("name") or _body_field(body, "name") or ""
        board = next((b for b in self.boards.values() if any(x["id"] == list_id for x in b.get("lists", []))), None)
        if board is None:
            raise _Reply(400, "invalid value for idList")
        desc = query.get("desc") or _body_field(body, "desc") or ""
        return self._new_card(board, list_id, name, self.me, {"desc": desc})

    # --- the model -------------------------------------------------------------------------------------------

    def _member(self, member_id: str) -> dict:
        if member_id not in ("me", self.me["id"], self.me["username"]):
            raise _Reply(404, NOT_FOUND)
        return self.me

    def _board(self, board_id: str) -> dict:
        return self._find(self.boards, board_id)

    def _card(self, card_id: str) -> dict:
        return self._find(self.cards, card_id)

    @staticmethod
    def _find(table: dict, object_id: str) -> dict:
        if not ID.fullmatch(object_id):
            raise _Reply(400, "invalid id")
        if object_id not in table:
            raise _Reply(404, NOT_FOUND)
        return table[object_id]

    def _cards_json(self, board: dict, wanted: str, fields: str, with_items: bool, only: str | None = None) -> list[dict]:
        closed_lists = {lst["id"] for lst in board.get("lists", []) if lst.get("closed")}
        keep = {
            "all": lambda c: True, "open": lambda c: not c.get("closed"), "closed": lambda c: bool(c.get("closed")),
            "visible": lambda c: not c.get("closed") and c.get("idList") not in closed_lists,
        }.get(wanted)
        if keep is None:
            raise _Reply(400, "invalid value for filter")
        answer = []
        for card in self.cards.values():
            if card.get("idBoard") != board["id"] or not keep(card) or only not in (None, card["id"]):
                continue
            shaped = {**CARD_DEFAULTS, **copy.deepcopy(card)}
            shaped["badges"] = {**BADGE_DEFAULTS, **card.get("badges", {})}
            items = shaped.pop("customFieldItems", [])
            shaped = _fields(shaped, fields)
            if with_items:
                shaped["customFieldItems"] = items
            answer.append(shaped)
        return answer

    def _actions_json(self, actions: Iterable[dict], query: dict, default_filter: str) -> list[dict]:
        try:
            limit = int(query.get("limit", "50"))
        except ValueError:
            limit = -1
        if not 0 <= limit <= 1000:
            raise _Reply(400, "invalid value for limit")
        wanted = [f.strip() for f in query.get("filter", default_filter).split(",") if f.strip()]
        chosen = sorted((a for a in actions if _matches(a, wanted)), key=lambda a: a["id"], reverse=True)
        if "before" in query:
            chosen = [a for a in chosen if _before(a, query["before"])]
        if "since" in query:
            chosen = [a for a in chosen if _before(query["since"], a)]
        with_creator = query.get("memberCreator", "true") != "false"
        answer = []
        for action in chosen[:limit]:
            shaped = _fields(action, query.get("fields", "all"))
            shaped.pop("memberCreator", None)
            if with_creator:
                shaped["memberCreator"] = _fields(action.get("memberCreator") or {"id": action.get("idMemberCreator")},
                                                  query.get("memberCreator_fields", "all"))
            answer.append(shaped)
        return answer

    def _comment(self, card: dict, text: str, member: Mapping[str, str]) -> dict:
        card.setdefault("badges", {})["comments"] = card.get("badges", {}).get("comments", 0) + 1
        return self._record(card, "commentCard", {"text": text, "textData": {"emoji": {}}}, member)

    def _record(self, card: dict, kind: str, data: dict, member: Mapping[str, str]) -> dict:
        """A new action on `card` now, moving the card's and its board's dateLastActivity."""
        now = self._now()
        board = self.boards.get(str(card.get("idBoard")), {"id": card.get("idBoard"), "name": ""})
        lst = next((x for x in board.get("lists", []) if x.get("id") == card.get("idList")), {})
        action = {
            "id": self._new_id(), "idMemberCreator": member["id"], "type": kind,
            "date": _stamp(now),
            "data": {"board": {"id": board["id"], "name": board.get("name"), "shortLink": board.get("shortLink")},
                     "list": {"id": lst.get("id"), "name": lst.get("name")}, **data,
                     "card": {"id": card["id"], "name": card.get("name"), "idShort": card.get("idShort"),
                              "shortLink": card.get("shortLink"), **data.get("card", {})}},
            "appCreator": None,
            "limits": {"reactions": {"perAction": {"status": "ok", "disableAt": 900, "warnAt": 880}}},
            "memberCreator": dict(member),
        }
        self.actions[action["id"]] = action
        card["dateLastActivity"] = board["dateLastActivity"] = action["date"]
        self._announce(board, action)
        return copy.deepcopy(action)

    def _record_on_board(self, board: dict, kind: str, data: dict, member: Mapping[str, str]) -> dict:
        """A new action on the board itself (a list, a label), moving the board's dateLastActivity."""
        now = self._now()
        action = {"id": self._new_id(), "idMemberCreator": member["id"], "type": kind, "date": _stamp(now),
                  "data": {"board": {"id": board["id"], "name": board.get("name"),
                                     "shortLink": board.get("shortLink")}, **data},
                  "appCreator": None, "memberCreator": dict(member)}
        self.actions[action["id"]] = action
        board["dateLastActivity"] = action["date"]
        self._announce(board, action)
        return copy.deepcopy(action)

    def _announce(self, board: dict, action: dict) -> None:
        """Each active webhook of the board gets the action, signed as Trello signs it."""
        for hook in self.webhooks.values():
            if hook["idModel"] == board.get("id") and hook["active"]:
                body = json.dumps({"action": action, "model": _board_fields(board)}).encode()
                self.deliver.post(hook["callbackURL"], body, {
                    "Content-Type": "application/json",
                    "X-Trello-Webhook": trello_signature(self.app_secret, body, hook["callbackURL"])})

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _new_id(self) -> str:
        return f"{int(self.clock()):08x}{next(self._serial) % 16 ** 16:016x}"


ROUTES = [(method, re.compile(pattern), name) for method, pattern, name in (
    ("GET", r"/1/members/(?P<id>[^/]+)/?", "_get_member"),
    ("GET", r"/1/members/(?P<id>[^/]+)/boards/?", "_get_member_boards"),
    ("GET", r"/1/boards/(?P<id>[^/]+)/?", "_get_board"),
    ("GET", r"/1/boards/(?P<id>[^/]+)/cards(?:/(?P<filter>[^/]*))?", "_get_board_cards"),
    ("GET", r"/1/boards/(?P<id>[^/]+)/actions/?", "_get_board_actions"),
    ("GET", r"/1/boards/(?P<id>[^/]+)/customFields/?", "_get_board_custom_fields"),
    ("GET", r"/1/cards/(?P<id>[^/]+)/?", "_get_card"),
    ("GET", r"/1/cards/(?P<id>[^/]+)/actions/?", "_get_card_actions"),
    ("GET", r"/1/tokens/(?P<token>[^/]+)/?", "_get_token"),
    ("GET", r"/1/tokens/(?P<token>[^/]+)/webhooks/?", "_get_token_webhooks"),
    ("POST", r"/1/webhooks/?", "_post_webhook"),
    ("GET", r"/1/webhooks/(?P<id>[^/]+)/?", "_get_webhook"),
    ("DELETE", r"/1/webhooks/(?P<id>[^/]+)/?", "_delete_webhook"),
    ("POST", r"/1/cards/(?P<id>[^/]+)/actions/comments/?", "_post_comment"),
    ("POST", r"/1/cards/?", "_post_card"),
)]


def synthetic_export(cards: int, *, comments_per_card: int = 2, due_changes_per_card: int = 0, seed: int = 1,
                     start: datetime = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) -> dict:
    """A Trello export of a board with `cards` cards, each with client comments (and due moves), for benchmarks.

    Boards of different seeds have different ids, so several can be loaded into one sandbox.
    """
    now = [start]
    sandbox = TrelloSandbox(clock=lambda: now[0].timestamp(), enforce_limits=False, id_seed=seed)
    board_id = sandbox.add_board(f"Synthetic board {seed} ({cards} cards)",
                                 labels={"Newsletter": "green", "Social": "yellow"}, number_fields=["Hours"])
    labels = sandbox.boards[board_id]["labels"]
    for n in range(cards):
        now[0] = start + timedelta(minutes=n)
        label = labels[n % 2]
        card = sandbox.add_card(board_id, f"Request {n + 1}: {label['name'].lower()} task", list_index=n % 3,
                                desc=f"Details of request {n + 1}.", idLabels=[label["id"]], labels=[dict(label)])
        if n % 3 == 0:
            sandbox.set_number(card["id"], "Hours", 1 + n % 4)
        for c in range(comments_per_card):
            now[0] = start + timedelta(minutes=n, seconds=c + 1)
            sandbox.add_comment(card["id"], f"Comment {c + 1} on request {n + 1}")
        for d in range(due_changes_per_card):
            now[0] = start + timedelta(minutes=n, seconds=30 + d)
            sandbox.move_due(card["id"], start + timedelta(days=3 + d))
    actions = sorted(sandbox.actions.values(), key=lambda a: a["id"], reverse=True)
    return {**sandbox.boards[board_id], "cards": list(sandbox.cards.values()), "actions": actions,
            "members": [dict(CLIENT)], "checklists": []}


def _credentials(query: Mapping[str, str], headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    """Key and token from the query string, or from `Authorization: OAuth oauth_consumer_key=..., oauth_token=...`."""
    if "key" in query or "token" in query:
        return query.get("key"), query.get("token")
    auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    pairs = dict(re.findall(r'(oauth_consumer_key|oauth_token)="([^"]*)"', auth))
    return pairs.get("oauth_consumer_key"), pairs.get("oauth_token")


def _matches(action: Mapping[str, Any], wanted: list[str]) -> bool:
    """Trello's action filter: 'all', a type, or 'type:field' (an update of that field)."""
    changed = (action.get("data") or {}).get("old") or {}
    for entry in wanted:
        kind, _, field = entry.partition(":")
        if entry == "all" or (action.get("type") == kind and (not field or field in changed)):
            return True
    return False


def _before(a: Any, b: Any) -> bool:
    """Is `a` older than `b`? Each is an action, an object id or a date, as Trello's before and since take them."""
    def key(x: Any) -> tuple[str, str]:
        if isinstance(x, Mapping):
            return _stamp(datetime.fromisoformat(x["date"])), x["id"]
        if ID.fullmatch(x):
            return _stamp(datetime.fromtimestamp(int(x[:8], 16), UTC)), x
        try:
            moment = datetime.fromisoformat(x)
        except ValueError:
            raise _Reply(400, "invalid date") from None
        return _stamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC)), ""
    left, right = key(a), key(b)
    # Ids when both sides have one (an id orders by its second, then its counter: actions a few ms apart
    # keep their order, where the id's whole-second time beside an action's ms date would not); else dates.
    return left[1] < right[1] if left[1] and right[1] else left[0] < right[0]


def _board_fields(board: Mapping[str, Any]) -> dict:
    return {k: v for k, v in board.items() if k not in NESTED}


def _fields(obj: Mapping[str, Any], fields: str) -> dict:
    if fields == "all":
        return copy.deepcopy(dict(obj))
    wanted = {f.strip() for f in fields.split(",")} | {"id"}
    return {k: copy.deepcopy(v) for k, v in obj.items() if k in wanted}


def _card_of(action: Mapping[str, Any]) -> str | None:
    return ((action.get("data") or {}).get("card") or {}).get("id")


def _board_of(action: Mapping[str, Any]) -> str | None:
    return ((action.get("data") or {}).get("board") or {}).get("id")


def _body_field(body: bytes, name: str) -> str | None:
    try:
        value = json.loads(body or b"{}").get(name)
    except (ValueError, AttributeError):
        value = dict(parse_qsl(body.decode("utf-8", "replace"))).get(name)
    return value if isinstance(value, str) else None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _json(status: int, payload: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(payload).encode()


def _text(status: int, text: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()
