"""Errors raised by adapters and export readers."""
from __future__ import annotations


class ScopeKeeperError(Exception):
    """Base of every error ScopeKeeper raises on purpose; its message is written for the VA.

    It lives here, in the lowest layer the adapters and the scheduler share (rules raise only ValueError,
    inside the contract's validation).
    """


class IntegrationError(ScopeKeeperError):
    """Base of every error an adapter or reader raises."""


class ExportError(IntegrationError):
    """An export file that cannot be read; the message names the file and the problem."""


class MalformedItem(IntegrationError):
    """One card or task in a payload cannot be normalised; the others still can."""


class ServiceError(IntegrationError):
    """A board service answered with an error; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None, provider: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.provider = provider


class AuthError(ServiceError):
    """The key or token was refused (401/403); the message says how to get a new one."""


class NotFound(ServiceError):
    """The board, project, card or task does not exist any more (or is not visible)."""


class RateLimited(ServiceError):
    """The service said 429; `retry_after` is how long to wait in seconds, when known."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Retriable(ServiceError):
    """A passing failure (5xx, connection reset, timeout before sending): safe to try again."""


class Fatal(ServiceError):
    """A request the service will never accept as sent (400, 422...): do not retry."""


class MissingCredentials(AuthError):
    """A service's key or token is not set where the configuration says; the message says how to set it."""


class UnknownOutcome(ServiceError):
    """A write was sent but its answer was lost: reconcile by reading, never resend blindly."""


def failure_class(status: int | None, *, write: bool, sent: bool = True) -> type[ServiceError]:
    """What a failed request means, the same for every service: `status` None is no HTTP answer at all.

    A write whose answer is lost after it was sent may have been carried out: that is never a retry.
    """
    if status == 429:
        return RateLimited
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFound
    if status is not None and status < 500:
        return Fatal
    return UnknownOutcome if write and sent else Retriable
