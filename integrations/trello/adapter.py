"""Live Trello through py-trello: whole boards, incremental reads, change detection, comments posted exactly once.

Request costs:
- read_board: 1 + ceil(a/1000) for a board whose cards carry a comments and due-date moves in all.
- read_changes: 2 + ceil(k/1000) for k actions since the previous read that the rules read (comments,
  renames, moves, archiving, descriptions, due dates, labels, custom fields...), plus one per card that
  arrived (created, moved in, unarchived) and was not read before; none of it grows with the board's age.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from trello import TrelloClient

from integrations.clean import clean_fields
from integrations.errors import Fatal, NotFound, Retriable, UnknownOutcome
from integrations.models import BoardChanges, BoardSnapshot, Card, Comment, TimeEntry
from integrations.reference import references_in
from integrations.trello.changes import ACTION_FILTER, apply_actions
from integrations.trello.http import API, TrelloHttp
from integrations.trello.limits import TrelloLimits
from integrations.trello.mapper import board_snapshot, quiet_timestamp
from integrations.trello.mapper import comments as comments_of
from integrations.trello.retry import retrying
from integrations.webhooks import HookState

log = logging.getLogger("integrations.trello.adapter")

PAGE = 1000  # the most actions Trello returns at once
ARRIVALS_READ = 10  # more cards new to the board than this since the previous read: read the board whole
# Everything the mapper reads, in one request. All lists, not only open ones: cards stay open when their list is
# archived, and the mapper drops them by their list's `closed`, exactly as it does for an export.
BOARD_QUERY = {
    "fields": "name,closed,dateLastActivity,url",
    "lists": "all", "list_fields": "name,closed",
    "cards": "open",
    "card_fields": "name,desc,closed,idBoard,idList,idLabels,labels,due,dueComplete,url,shortUrl,dateLastActivity",
    "card_customFieldItems": "true",
    "customFields": "true",
    "labels": "all", "label_fields": "name,color",
}
# The board without its cards: what turns changes into cards (list names, custom fields) and its activity marker.
STRUCTURE_QUERY = {key: value for key, value in BOARD_QUERY.items() if not key.startswith("card")} | {"cards": "none"}
ACTION_SHAPE = {"fields": "type,date,data,idMemberCreator", "memberCreator_fields": "fullName", "limit": str(PAGE)}
# The mapper reads comments and due-date moves: a card's other updates (positions, covers...) are not asked for.
HISTORY = "commentCard,updateCard:due"
BOARD_ACTIONS = {"filter": HISTORY, **ACTION_SHAPE}
CHANGE_ACTIONS = {"filter": ACTION_FILTER, **ACTION_SHAPE}
CARD_COMMENTS = {"filter": "commentCard", **ACTION_SHAPE}
# One card with its whole history, as read_board would have it (nested actions: at most 1000).
CARD_QUERY = {"fields": BOARD_QUERY["card_fields"], "customFieldItems": "true", "actions": HISTORY,
              "actions_limit": str(PAGE), "action_fields": ACTION_SHAPE["fields"],
              "action_memberCreator_fields": "fullName"}


class TrelloAdapter:
    """One Trello token with its API key: reads boards, tells which changed, posts and finds comments."""

    provider = "trello"
    observes_due_changes = False  # due-date moves come from the board's updateCard actions
    cards_carry_comments = True   # read_board's cards come with every comment: seeing them costs nothing more

    def __init__(self, api_key: str, token: str, *, base_url: str = API, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, timeout: float = 30.0,
                 rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._token = token
        limits = TrelloLimits(api_key, token, clock=clock, sleep=sleep, rng=self._rng, service=base_url)
        self._http = TrelloHttp(api_key, token, limits, base_url=base_url, timeout=timeout)
        # The token goes in api_secret: that is how py-trello sends a key and a token, rather than signing OAuth1.
        # py-trello's http_service defaults to the requests module (hence its inferred type); it only calls request().
        self._client = TrelloClient(api_key, api_secret=token, http_service=self._http)  # pyright: ignore[reportArgumentType]
        self._lock = threading.Lock()
        self._own_posts: dict[str, dict[str, datetime]] = {}   # board id -> {comment action id: its date}
        self._settled: dict[str, datetime] = {}               # board id -> activity known to be only our comments
        self._activity_lock = threading.Lock()
        self._activity: tuple[Hashable, dict[str, datetime | None]] | None = None  # (scan round, answer)

    def __repr__(self) -> str:
        return f"<TrelloAdapter {self._http.base_url}>"

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far (attempts, retries included)."""
        return self._http.requests_made

    def read_board(self, board_id: str) -> BoardSnapshot:
        """The board with its open cards, then its comment and update actions, through the export's mapper."""
        board = self._fetch("GET", f"/boards/{board_id}", BOARD_QUERY)
        return board_snapshot(board, self._pages(f"/boards/{board_id}/actions", BOARD_ACTIONS))

    def board_activity(self, scan_round: Hashable | None = None) -> dict[str, datetime | None]:
        """Every board of the token's member with its dateLastActivity, in one request.

        Callers that pass the same `scan_round` (the clients of one `run --once`) share one answer: one
        request per token per scan, however many clients the token serves. None always asks Trello.
        """
        with self._activity_lock:  # held while asking, so the other clients of the round wait for the answer
            if scan_round is not None and self._activity and self._activity[0] == scan_round:
                return self._activity[1]
            boards = self._fetch("GET", "/members/me/boards", {"fields": "name,dateLastActivity"})
            answer = {str(b["id"]): quiet_timestamp(b.get("dateLastActivity"))
                      for b in _objects(boards, "/members/me/boards") if b.get("id")}
            self._activity = (scan_round, answer) if scan_round is not None else None
            return answer

    def changed_boards(self, board_ids: Iterable[str], last_seen: Mapping[str, datetime],
                       scan_round: Hashable | None = None) -> list[str]:
        """The boards among `board_ids` whose activity advanced past `last_seen` (what the caller last read).

        Costs one request for all boards. Trello moves a board's dateLastActivity for ScopeKeeper's own comments
        too, so a board whose activity is not after the latest comment this adapter posted there (after
        last_seen) gets one small check: GET /boards/{id}/actions?since=last_seen, limit one more than our
        comments. When nothing but our comments came back, the board is unchanged, and remembered as settled at
        that activity so later scans pay nothing; when anything else did (a client acted between our read and
        our post), it is changed. A board never seen, without a date, or missing from the member's boards
        (deleted, access removed) counts as changed: reading it then reports why. Own comments are remembered by
        this adapter only: in a fresh process they make the board look changed once, and its next read moves
        last_seen past them.
        """
        activity = self.board_activity(scan_round)
        return [b for b in board_ids if self._changed(b, activity.get(b), last_seen.get(b))]

    def read_changes(self, board_id: str, previous: Sequence[Card], since: datetime) -> BoardChanges | None:
        """What changed on the board since `since`, applied to `previous` (its live cards as last read, with the
        comments and due-date moves read since, if any). None when the board should be read whole: its lists,
        labels or custom fields changed, or more than ARRIVALS_READ cards arrived.

        The board without cards, then the actions since `since` that the rules read (newest first, paged back
        by 1000), then each card that arrived: see the module's costs. A card's comments here are only those of
        the actions read, never its whole history.
        """
        board = self._fetch("GET", f"/boards/{board_id}", STRUCTURE_QUERY)
        if not isinstance(board, dict):
            raise Fatal(f"Trello GET /boards/{board_id}: expected an object", provider="trello")
        actions = self._pages(f"/boards/{board_id}/actions", {**CHANGE_ACTIONS, "since": _iso(since)})
        delta = apply_actions(previous, actions, board)
        if delta.rebuild or len(delta.arrivals) > ARRIVALS_READ:
            log.info("board %s is read whole: %s", board_id,
                     delta.rebuild or f"{len(delta.arrivals)} cards arrived since the previous read")
            return None
        arrived, gone = [], set(delta.removed)
        for card_id in delta.arrivals:
            card = self._arrived(board_id, board, card_id, delta.warnings)
            if card is None:
                gone.add(card_id)
            else:
                arrived.append(card)
        last_activity = quiet_timestamp(board.get("dateLastActivity"))
        cursor = max((m for m in (delta.newest, last_activity) if m is not None), default=since)
        return BoardChanges(cards=tuple(delta.cards[i] for i in sorted(delta.touched)) + tuple(arrived),
                            removed=tuple(sorted(gone)), cursor=cursor, last_activity=last_activity,
                            warnings=tuple(delta.warnings))

    def own_actor(self) -> str:
        return str(self.me().get("id") or "")

    def create_webhook(self, board_id: str, callback_url: str) -> str:
        """POST /webhooks; Trello first checks the URL with a HEAD that must answer 200."""
        hook = self._fetch("POST", "/webhooks", body={"callbackURL": callback_url, "idModel": board_id,
                                                      "description": "ScopeKeeper"})
        if not isinstance(hook, dict) or not isinstance(hook.get("id"), str):
            raise Fatal("Trello POST /webhooks: the answer names no webhook", provider="trello")
        return hook["id"]

    def delete_webhook(self, webhook_id: str) -> None:
        self._fetch("DELETE", f"/webhooks/{webhook_id}")

    def webhook_state(self, webhook_id: str) -> HookState | None:
        """Trello disables a webhook (active false) after its deliveries failed for a month."""
        try:
            hook = self._fetch("GET", f"/webhooks/{webhook_id}")
        except NotFound:
            return None
        if not isinstance(hook, dict):
            return None
        failing = quiet_timestamp(hook.get("firstConsecutiveFailDate")) if hook.get("consecutiveFailures") else None
        return HookState(bool(hook.get("active", True)), failing)

    def credentials_expire(self) -> datetime | None:
        """The token's dateExpires (None: a token that never expires)."""
        answer = self._fetch("GET", f"/tokens/{self._token}", {"fields": "dateExpires"})
        return quiet_timestamp(answer.get("dateExpires")) if isinstance(answer, dict) else None

    def close(self) -> None:
        """Nothing to release: requests' session lives with the process."""

    def post_comment(self, card_id: str, text: str) -> str:
        """Post `text` on the card; the new comment's action id. UnknownOutcome when the answer was lost."""
        action = self._fetch("POST", f"/cards/{card_id}/actions/comments", body={"text": text})
        action_id = action.get("id") if isinstance(action, dict) else None
        if not isinstance(action_id, str) or not action_id:
            raise UnknownOutcome(f"Trello POST /cards/{card_id}/actions/comments: accepted, but without the "
                                 "comment's id; check the card before sending again", status=200, provider="trello")
        board_id = ((action.get("data") or {}).get("board") or {}).get("id")
        posted = quiet_timestamp(action.get("date"))
        if isinstance(board_id, str) and posted is not None:
            with self._lock:
                self._own_posts.setdefault(board_id, {})[action_id] = posted
        return action_id

    def read_time_entries(self, card_ids: Iterable[str]) -> dict[str, tuple[TimeEntry, ...]]:
        """Trello has no time tracking of its own: plus! comments come with the cards (no request)."""
        return {}

    def comments(self, card_id: str, since: datetime | None = None) -> list[Comment]:
        """The card's comments posted at `since` or later (every one without it), oldest first: one request per
        1000 comments."""
        query = CARD_COMMENTS if since is None else {**CARD_COMMENTS, "since": _iso(since)}
        return sorted(comments_of(self._pages(f"/cards/{card_id}/actions", query)), key=lambda c: c.created_at)

    def find_comment(self, card_id: str, reference: str) -> Comment | None:
        """The card's earliest comment carrying `reference` (e.g. 'SK-3f2a9c'), or None."""
        return next((c for c in self.comments(card_id) if reference in references_in(c.text)), None)

    def me(self) -> dict:
        """The token's member: id, username, fullName."""
        return clean_fields(self._fetch("GET", "/members/me", {"fields": "id,username,fullName"}))

    def open_boards(self) -> list[dict]:
        """The member's open boards: id, name, url, dateLastActivity."""
        boards = self._fetch("GET", "/members/me/boards", {"filter": "open", "fields": "name,url,dateLastActivity"})
        return [clean_fields(board) for board in _objects(boards, "/members/me/boards")]

    def _arrived(self, board_id: str, board: dict, card_id: str, warnings: list[str]) -> Card | None:
        """A card new to the board's live cards, read with its history; None when it left again (deleted,
        archived, moved on) or cannot be read."""
        try:
            raw = self._fetch("GET", f"/cards/{card_id}", CARD_QUERY)
        except NotFound:
            return None
        if not isinstance(raw, dict) or raw.get("idBoard") != board_id:
            return None
        history = raw.pop("actions", None) or []
        snapshot = board_snapshot({**board, "cards": [raw]}, history if isinstance(history, list) else [])
        warnings.extend(snapshot.warnings)
        return snapshot.cards[0] if snapshot.cards else None

    def _changed(self, board_id: str, activity: datetime | None, seen: datetime | None) -> bool:
        if activity is None or seen is None:
            return True
        with self._lock:
            settled = max(seen, self._settled.get(board_id, seen))
            own = {i: d for i, d in self._own_posts.get(board_id, {}).items() if d > settled}
            self._own_posts[board_id] = own  # older comments are accounted for by `settled`
        if activity <= settled:
            return False
        if not own or activity > max(own.values()):
            return True
        recent = self._fetch("GET", f"/boards/{board_id}/actions",
                             {"since": _iso(settled), "limit": str(len(own) + 1), "fields": "id", "memberCreator": "false"})
        if any(a.get("id") not in own for a in _objects(recent, f"/boards/{board_id}/actions")):
            return True
        with self._lock:
            self._settled[board_id] = activity
        return False

    def _pages(self, path: str, query: Mapping[str, str]) -> list[dict]:
        """All actions, newest first, paging back with `before` while full pages come."""
        actions: list[dict] = []
        page_query = dict(query)
        while True:
            page = list(_objects(self._fetch("GET", path, page_query), path))
            actions.extend(page)
            if len(page) < PAGE:
                return actions
            oldest = page[-1].get("id")
            if not isinstance(oldest, str):
                raise Fatal(f"Trello GET {path}: an action without an id; cannot page back", provider="trello")
            page_query["before"] = oldest

    def _fetch(self, method: str, path: str, query: Mapping[str, str] | None = None,
               body: Mapping[str, Any] | None = None) -> Any:
        def call() -> Any:
            try:
                # A fresh dict each try: fetch_json writes the key and token into the one it is given.
                return self._client.fetch_json(path, http_method=method, query_params=dict(query or {}),
                                               post_args=body)
            except (ValueError, RecursionError):  # a 200 whose body is not JSON (a proxy's page, a cut answer), or
                # JSON nested too deeply for Python's parser
                if method == "GET":
                    raise Retriable(f"Trello GET {path}: the answer was not JSON", provider="trello") from None
                raise UnknownOutcome(f"Trello {method} {path}: the answer was not JSON; it may have been carried "
                                     "out: check before sending again", provider="trello") from None
        return retrying(call, sleep=self._sleep, rng=self._rng)


def _iso(moment: datetime) -> str:
    """Trello's date form for `since` and `before`, in UTC to the millisecond."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _objects(payload: Any, path: str) -> Iterable[dict]:
    """The objects of a list answer; anything else is a Trello we do not understand."""
    if not isinstance(payload, list):
        raise Fatal(f"Trello GET {path}: expected a list, got {type(payload).__name__}", provider="trello")
    return (item for item in payload if isinstance(item, dict))
