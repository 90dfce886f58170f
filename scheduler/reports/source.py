"""Where reports read cards and comment statuses: the worker's state store, or export files."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, Protocol

from integrations.errors import ExportError
from integrations.exports import read_export
from integrations.models import Card
from rules.evaluate import ClientRules
from rules.periods import period_of_day
from scheduler.config.models import AppConfig, Client
from scheduler.records.status import OutboxStatus

# Outbox states (scheduler.store) as the report names them; a comment with no state was never planned
# (a dry run, or a scan that has not run since the card appeared).
STATUS_GROUPS: dict[str, str] = {  # outbox status -> what the report says of the comment
    OutboxStatus.SENT: "posted", OutboxStatus.RECONCILED: "posted",
    OutboxStatus.PENDING_REVIEW: "review",
    OutboxStatus.APPROVED: "queued", OutboxStatus.PENDING: "queued", OutboxStatus.UNKNOWN: "queued",
    OutboxStatus.REJECTED: "rejected",
}
NOT_SENT = "not_sent"


class ReportSource(Protocol):
    """What a report reads: scheduler.store.Store provides it, ExportSource does offline."""

    def cards(self, client_name: str, since: date | None = None) -> Sequence[Card]:
        """Every card known for the client, archived and deleted ones included (their hours still count); with
        `since`, at least those whose hours may count on that local day or later (ClientRules.days)."""
        ...

    def has_cards(self, client_name: str) -> bool:
        """Whether any card of the client is known."""
        ...

    def comment_statuses(self, client_name: str, periods: Collection[str] | None = None) -> Mapping[str, str]:
        """Outbox status per reference make_reference(provider, card_id, kind, period_key), of the comments of
        the contract period keys `periods` at least (None: all)."""
        ...

    def hours_used(self, client_name: str) -> Mapping[str, Decimal]:
        """In-scope hours used per earlier contract period key, as the worker's ledger recorded them."""
        ...


class ExportSource:
    """Cards read from Trello or Asana export files; nothing was posted, so no comment has a status."""

    def __init__(self, cards: Mapping[str, Sequence[Card]], warnings: Sequence[str] = ()) -> None:
        self._cards = {name: tuple(found) for name, found in cards.items()}
        self.warnings = tuple(warnings)

    @classmethod
    def read(cls, config: AppConfig, paths: Iterable[str | Path], client: Client | None = None) -> ExportSource:
        """Each export goes to the client listing its board; with `client`, also boards no client lists.

        A board the configuration gives to another client is refused: one client's cards must never
        appear in another's report.
        """
        cards: dict[str, list[Card]] = {}
        warnings: list[str] = []
        for path in paths:
            snapshot = read_export(path)
            board = f"{snapshot.provider} board {snapshot.id or '(no id)'}"
            owner = _owner(config, snapshot.provider, snapshot.id)
            if client is not None and owner is not None and owner.name != client.name:
                raise ExportError(f"{path}: {board} belongs to {owner.name!r} in the configuration, not to "
                                  f"{client.name!r}")
            owner = owner or client
            if owner is None:
                raise ExportError(f"{path}: {board} belongs to no client in the configuration; add it to the "
                                  "client's boards, or use --client NAME")
            cards.setdefault(owner.name, []).extend(snapshot.cards)
            warnings.extend(snapshot.warnings)
        return cls(cards, warnings)

    def cards(self, client_name: str, since: date | None = None) -> Sequence[Card]:
        return self._cards.get(client_name, ())  # already in memory: every card, whatever `since`

    def has_cards(self, client_name: str) -> bool:
        return bool(self._cards.get(client_name))

    def comment_statuses(self, client_name: str, periods: Collection[str] | None = None) -> Mapping[str, str]:
        return {}

    def hours_used(self, client_name: str) -> Mapping[str, Decimal]:
        return {}  # an export holds every card: the rules find the periods from the cards themselves


class Shown(NamedTuple):
    """The cards a report evaluates, and the first day of the periods they hold whole (`ClientRules.evaluate`'s
    `whole_from`: the ledger stands for the earlier ones)."""

    cards: Sequence[Card]
    whole_from: date


def cards_from(source: ReportSource, rules: ClientRules, client_name: str, day: date) -> Shown:
    """The cards a report (or a web page, web.shown) needs to evaluate the contract periods from `day`'s on: those
    whose hours may count in them, and every card of each earlier period that a card created since reaches (time
    logged back).

    Evaluated with the ledger (`hours_used`) standing for the periods before, they give the findings and hours
    that every card gives for these periods: a card created since the earliest whole period reaches it (its
    creation day), so the ledger's older totals were made from the same cards. A card created earlier (time
    logged for months) counts by its hours in these periods, which their own cards and the ledger decide; its
    earlier periods may be cut, and no report lists its whole finding. Reports cost what the periods they show
    hold, not the client's whole history.
    """
    kind = rules.contract.period
    start = shown = period_of_day(day, kind).start
    while True:
        cards = source.cards(client_name, since=start)
        earliest = min((rules.days(card)[0] for card in cards if card.created_at.astimezone(rules.tz).date() >= shown),
                       default=start)
        if earliest >= start:
            return Shown(cards, start)
        start = period_of_day(earliest, kind).start


def _owner(config: AppConfig, provider: str, board_id: str) -> Client | None:
    for client in config.clients:
        if any(b.provider == provider and b.id == board_id for b in client.boards):
            return client
    return None
