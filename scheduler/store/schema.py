"""Tables of the state store; the migrations in migrations/versions create exactly these."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from scheduler.records.status import OutboxStatus

# Constraint names fixed here, so that later migrations can name what they alter on every database.
NAMING = {"ix": "ix_%(table_name)s_%(column_0_N_name)s", "uq": "uq_%(table_name)s_%(column_0_N_name)s",
          "pk": "pk_%(table_name)s"}

# Outbox states (see Store.comment_statuses): one enum, named here for the queries.
PENDING_REVIEW, APPROVED, REJECTED = OutboxStatus.PENDING_REVIEW, OutboxStatus.APPROVED, OutboxStatus.REJECTED
PENDING, SENT, UNKNOWN, RECONCILED = OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.UNKNOWN, OutboxStatus.RECONCILED
STATUSES = tuple(OutboxStatus)


class UtcDateTime(TypeDecorator):
    """Aware datetimes in UTC on every database (SQLite keeps no zone: it is put back on reading)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the state store; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Money = Numeric(14, 2)
Hours = Numeric(12, 4)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(row_class: type[Base]) -> Table:
    """The plain table a row class maps, for core inserts (declarative types `__table__` as any FromClause)."""
    table = row_class.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{row_class.__name__} maps no plain table")
    return table


class CardRow(Base):
    """Every card a client ever had on a scanned board, as last seen; `gone_at` once it left the board."""

    __tablename__ = "cards"
    __table_args__ = (Index(None, "client", "last_day"), Index(None, "client", "gone_at"))
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    card_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    board_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    data: Mapped[dict] = mapped_column(JSON)            # the whole Card (scheduler.records.codec)
    digest: Mapped[str] = mapped_column(String(64))     # of `data`: unchanged cards are not rewritten
    hours: Mapped[Decimal | None] = mapped_column(Hours)
    period_key: Mapped[str | None] = mapped_column(String(16))
    finding_digest: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    gone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The local days the card's hours may count in (rules' ClientRules.days): a scan loads a gone card only
    # when it reaches into the periods that can still change. None until a scan evaluated it.
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    # Of a card whose days span several contract periods: its hours per period as last evaluated (rules' Part,
    # records.codec), which stand for its share of the periods that cannot change any more. None: not known yet.
    parts: Mapped[list | None] = mapped_column(JSON)


class BoardRow(Base):
    """What the last reads of a board left to remember: change markers and when it was read."""

    __tablename__ = "boards"
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    board_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_activity: Mapped[datetime | None] = mapped_column(UtcDateTime)  # Trello: dateLastActivity read
    read_started: Mapped[datetime | None] = mapped_column(UtcDateTime)   # Asana: start of the last read
    full_read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(16))                     # ok | not_found | error
    detail: Mapped[str | None] = mapped_column(Text)


class LedgerRow(Base):
    """A client's hours in one contract period, from every card it ever had (gone ones included)."""

    __tablename__ = "ledger"
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    contracted: Mapped[Decimal] = mapped_column(Hours)
    used: Mapped[Decimal] = mapped_column(Hours)
    extra: Mapped[Decimal] = mapped_column(Hours)
    extra_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FindingRow(Base):
    """A card's finding each time it changed: the findings history."""

    __tablename__ = "findings"
    __table_args__ = (Index(None, "client", "card_id"), Index(None, "client", "observed_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(16))
    card_id: Mapped[str] = mapped_column(String(64))
    period_key: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str] = mapped_column(String(32))
    flags: Mapped[list] = mapped_column(JSON)
    hours: Mapped[Decimal | None] = mapped_column(Hours)
    extra_hours: Mapped[Decimal] = mapped_column(Hours)
    extra_amount: Mapped[Decimal] = mapped_column(Money)
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IntentRow(Base):
    """The outbox: one comment per (provider, card, kind, period), recorded before it is posted."""

    __tablename__ = "intents"
    __table_args__ = (UniqueConstraint("provider", "card_id", "kind", "period_key"),
                      Index(None, "client", "status"), Index(None, "client", "period_key"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # the ID the VA reviews by
    client: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(16))
    board_id: Mapped[str] = mapped_column(String(64))
    card_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    period_key: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    text: Mapped[str] = mapped_column(Text)                # as posted: ends with "ref SK-..."
    card_title: Mapped[str] = mapped_column(Text)
    card_url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    remote_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ClientStatusRow(Base):
    """The last scan of each client, for `scopekeeper status`."""

    __tablename__ = "client_status"
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_scan_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(16))         # ok | partial | error | stopped
    detail: Mapped[str | None] = mapped_column(Text)
    last_ok_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    duration_seconds: Mapped[float] = mapped_column(Float)
    posted: Mapped[int] = mapped_column(Integer)


class ReportClaimRow(Base):
    """A weekly report sent (or being sent) for one target: claimed once, whatever the number of workers."""

    __tablename__ = "report_claims"
    week_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    target: Mapped[str] = mapped_column(String(300), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NoticeRow(Base):
    """A problem the VA was told about (or is being told about): one row while it lasts, deleted once resolved."""

    __tablename__ = "notices"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)   # e.g. "scan:<client>", "token:trello"
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BudgetAlertRow(Base):
    """A budget threshold of a client's period the VA was alerted about: once per threshold per period."""

    __tablename__ = "budget_alerts"
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    threshold: Mapped[int] = mapped_column(Integer, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WebhookRow(Base):
    """A webhook registered for one board: where the service calls, and Asana's signing secret."""

    __tablename__ = "webhooks"
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    board_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)            # /hooks/asana/<nonce>
    callback_url: Mapped[str] = mapped_column(Text)
    remote_id: Mapped[str | None] = mapped_column(String(64))
    secret: Mapped[str | None] = mapped_column(Text)                      # Asana's X-Hook-Secret
    own_actor: Mapped[str | None] = mapped_column(String(64))             # ScopeKeeper's member (Trello) or user (Asana)
    status: Mapped[str] = mapped_column(String(16))                       # pending | active | failing
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_event_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookEventRow(Base):
    """The durable queue of webhook events: answered at once, evaluated by the worker; one row per event."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index(None, "processed_at"),)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)       # the same however often it is delivered
    provider: Mapped[str] = mapped_column(String(16))
    board_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ClientPageRow(Base):
    """A client's read-only page /c/<token>: only the token's SHA-256 is kept; deleting the row revokes it."""

    __tablename__ = "client_pages"
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
