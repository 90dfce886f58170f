"""The states on the decision path, as enums: modes, outbox statuses, scan and post outcomes."""
from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """What the worker does with planned comments."""

    DRY_RUN = "dry-run"
    REVIEW = "review"
    AUTO = "auto"


class OutboxStatus(StrEnum):
    """Where a planned comment stands: awaiting the VA, decided, or on its way to the card."""

    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    PENDING = "pending"
    SENT = "sent"
    UNKNOWN = "unknown"
    RECONCILED = "reconciled"


class ScanOutcome(StrEnum):
    """How a client's scan, or one board's read, ended."""

    OK = "ok"
    PARTIAL = "partial"
    NOT_FOUND = "not_found"
    ERROR = "error"
    STOPPED = "stopped"


class PostOutcome(StrEnum):
    """What one attempt to post a comment came to."""

    SENT = "sent"
    UNKNOWN = "unknown"        # the service may have stored it: the next scan reads the card
    NOT_POSTED = "not_posted"  # safe to try again later
    REFUSED = "refused"        # the service refuses this token: stop posting there this run
