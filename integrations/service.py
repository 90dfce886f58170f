"""The one interface every board service implements: what the worker may ask of Trello or Asana alike."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from integrations.models import BoardChanges, BoardSnapshot, Card, Comment, TimeEntry
from integrations.webhooks import HookState


class BoardService(Protocol):
    """One account (token) of one service: read boards, tell what changed, post and find comments."""

    provider: str
    # True when the service keeps no due-date history (Asana): the reader records the moves it observes.
    observes_due_changes: bool
    # True when read_board's cards come with their comments (Trello); else comments() costs a request (Asana).
    cards_carry_comments: bool

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        ...

    def read_board(self, board_id: str, /) -> BoardSnapshot:
        """The whole board (Trello) or project (Asana), normalised."""
        ...

    def changed_boards(self, board_ids: Iterable[str], last_seen: Mapping[str, datetime],
                       scan_round: Hashable | None = None) -> list[str]:
        """The boards among `board_ids` that may have changed since `last_seen` (a service that cannot
        tell cheaply answers all of them)."""
        ...

    def read_changes(self, board_id: str, previous: Sequence[Card], since: datetime, /) -> BoardChanges | None:
        """What changed on the board since `since`, with `previous` its live cards as last read (Trello applies
        its actions to them; Asana sends the modified tasks whole); None: read the board whole instead."""
        ...

    def read_time_entries(self, card_ids: Iterable[str], /) -> dict[str, tuple[TimeEntry, ...]]:
        """Time logged on these cards by the service's own time tracking (Asana), by card id; a service whose
        logged time comes with the cards (Trello's plus! comments) answers {}."""
        ...

    def post_comment(self, card_id: str, text: str, /) -> str:
        """Post `text` on the card; the new comment's id. UnknownOutcome when the answer was lost."""
        ...

    def comments(self, card_id: str, /, since: datetime | None = None) -> list[Comment]:
        """The card's comments posted at `since` or later (every one without it), oldest first."""
        ...

    def find_comment(self, card_id: str, reference: str, /) -> Comment | None:
        """The card's comment carrying `reference`, if any."""
        ...

    def own_actor(self) -> str:
        """The id of the token's own member (Trello) or user (Asana): its comments are ScopeKeeper's."""
        ...

    def create_webhook(self, board_id: str, callback_url: str, /) -> str:
        """Ask the service to call `callback_url` on every change of the board; the webhook's id."""
        ...

    def delete_webhook(self, webhook_id: str, /) -> None:
        """Stop a webhook (NotFound when it is already gone)."""
        ...

    def webhook_state(self, webhook_id: str, /) -> HookState | None:
        """The webhook's health; None when the service no longer has it."""
        ...

    def credentials_expire(self) -> datetime | None:
        """When the token stops working, if the service says (None: never, or unknown)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def build_service(provider: str, secrets: Mapping[str, str], *, base_url: str | None = None,
                  requests_per_minute: int | None = None, token_env: str | None = None) -> BoardService:
    """The service for `provider` with its secrets: Trello needs 'api_key' and 'token', Asana 'token'."""
    if provider == "trello":
        from integrations.trello.adapter import TrelloAdapter

        if base_url:
            return TrelloAdapter(secrets["api_key"], secrets["token"], base_url=base_url)
        return TrelloAdapter(secrets["api_key"], secrets["token"])
    if provider == "asana":
        from integrations.asana.adapter import AsanaAdapter

        options: dict = {"host": base_url} if base_url else {}
        if requests_per_minute is not None:
            options["requests_per_minute"] = requests_per_minute
        if token_env:
            options["token_env"] = token_env
        return AsanaAdapter(secrets["token"], **options)
    raise ValueError(f"unknown board service {provider!r}; use 'trello' or 'asana'")
