"""Requests to Asana through the official SDK: request budgets, bounded retries, errors in our terms."""
from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import asana
from asana.rest import ApiException
from urllib3.exceptions import ConnectTimeoutError, HTTPError, ReadTimeoutError
from urllib3.util.retry import Retry

from integrations.errors import (
    AuthError,
    Fatal,
    NotFound,
    RateLimited,
    Retriable,
    ServiceError,
    UnknownOutcome,
    failure_class,
)
from integrations.ratelimit import SlidingWindow

log = logging.getLogger("integrations.asana.adapter")

PAGE_SIZE = 100  # Asana's largest page
# Asana sends Retry-After with every 429; this is only for a proxy that does not.
FALLBACK_RETRY_AFTER = 30.0
_OFFSET_TROUBLE = re.compile(r"offset|pagination", re.IGNORECASE)


@dataclass(frozen=True)
class _Failure:
    """What went wrong with one attempt, without the SDK's exception (its frames hold the token)."""

    status: int | None  # None: no HTTP answer at all
    detail: str
    sent: bool  # False only when the request certainly never left this machine
    retry_after: float | None = None


class _ExpiredOffset(Fatal):
    """Asana no longer accepts the offset of the next page (tokens expire as data changes)."""


class AsanaTransport:
    """One token's connection: a SlidingWindow per minute, semaphores for concurrent reads and writes."""

    def __init__(self, token: str, *, host: str, requests_per_minute: int, max_concurrent_reads: int,
                 max_concurrent_writes: int, max_attempts: int, max_wait: float, timeout: float,
                 sleep: Callable[[float], None], clock: Callable[[], float], token_env: str) -> None:
        config = _configuration()
        config.host = host.rstrip("/")
        config.access_token = token
        # The SDK's default Retry retries GETs five times with long sleeps and ends in MaxRetryError;
        # False makes urllib3 raise the first error as it is, and the policy below decides.
        config.retry_strategy = Retry(total=False, redirect=None)  # what urllib3 makes of retries=False
        config.connection_pool_maxsize = max_concurrent_reads + max_concurrent_writes
        self.client = asana.ApiClient(config)
        # The SDK ignores a float timeout (it tests isinstance(int)); a (connect, read) pair is honoured.
        self._call_options = {"full_payload": True, "_request_timeout": (timeout, timeout)}
        self._window = SlidingWindow(requests_per_minute, 60.0, clock=clock, sleep=sleep)
        self._gates = {False: threading.BoundedSemaphore(max_concurrent_reads),
                       True: threading.BoundedSemaphore(max_concurrent_writes)}
        self._max_attempts, self._max_wait, self._timeout = max_attempts, max_wait, timeout
        self._sleep, self._clock, self._token_env = sleep, clock, token_env
        self._count_lock = threading.Lock()
        self.requests_made = 0

    def read(self, label: str, method: Callable[..., Any], *args: Any, opts: Mapping[str, Any]) -> dict:
        """One GET, retried on 429 (after Retry-After), 5xx, timeouts and lost connections."""
        return self._send(label, method, args, opts, write=False)

    def write(self, label: str, method: Callable[..., Any], *args: Any, opts: Mapping[str, Any]) -> dict:
        """One POST, retried only on 429 or when it never left this machine; otherwise UnknownOutcome."""
        return self._send(label, method, args, opts, write=True)

    def sync_read(self, label: str, method: Callable[..., Any], *args: Any, opts: Mapping[str, Any]) -> dict:
        """One GET of the Events API, retried as any read. A missing or too old sync token (412) is an answer,
        not an error: Asana's body with the fresh token, marked `"expired": True`."""
        def call(*call_args: Any, **kwargs: Any) -> Any:
            try:
                return method(*call_args, **kwargs)
            except ApiException as err:
                if err.status != 412:
                    raise
                return {**_json_object(err.body), "data": [], "expired": True}

        return self._send(label, call, args, opts, write=False)

    def list_all(self, label: str, method: Callable[..., Any], *args: Any, params: Mapping[str, str]) -> list[dict]:
        """Every item of a listing, one request per page of 100; an expired offset restarts it once."""
        try:
            return self._pages(label, method, args, params)
        except _ExpiredOffset:
            log.warning("%s: the pagination offset expired; reading the listing again from the start", label)
        try:
            return self._pages(label, method, args, params)
        except _ExpiredOffset as err:
            raise Fatal(f"{label}: Asana refused the pagination offset again after a restart ({err}); "
                        "try the scan later", status=400, provider="asana") from None

    def close(self) -> None:
        """Close pooled connections and the SDK's thread pool."""
        self.client.rest_client.pool_manager.clear()
        self.client.pool.close()
        self.client.pool.join()

    def _send(self, label: str, method: Callable[..., Any], args: tuple, opts: Mapping[str, Any], *, write: bool) -> dict:
        attempt = 0
        while True:
            attempt += 1
            self._window.acquire()
            with self._gates[write]:
                with self._count_lock:
                    self.requests_made += 1
                # The SDK mutates the opts dict it is given: a fresh copy for every attempt.
                payload, failure = self._exchange(method, args, dict(opts))
            if failure is None and isinstance(payload, dict):
                return payload
            if failure is None:
                # A cut-short body, a proxy's HTML page with status 200, garbage: the request arrived, and
                # a write may have been carried out; a read is simply asked again.
                failure = _Failure(None, "its answer could not be read (not a JSON object)", sent=True)
            last = attempt == self._max_attempts
            kind = failure_class(failure.status, write=write, sent=failure.sent)
            if kind is RateLimited:
                wait = failure.retry_after if failure.retry_after is not None else FALLBACK_RETRY_AFTER
                if last or wait > self._max_wait:
                    raise RateLimited(f"{label}: Asana's rate limit was reached; retry after {wait:g} s",
                                      retry_after=wait, status=429, provider="asana")
                log.info("%s: rate limited, waiting %g s as Retry-After asks (attempt %d of %d)",
                         label, wait, attempt, self._max_attempts)
                self._window.block_until(self._clock() + wait)
                continue
            if kind in (AuthError, NotFound, Fatal):
                raise self._refusal(label, failure)
            if kind is UnknownOutcome:
                raise UnknownOutcome(f"{label}: {failure.detail}; the comment may or may not have been stored: "
                                     "reconcile by reading the task's stories, do not post it again blindly",
                                     status=failure.status, provider="asana")
            if last:
                raise Retriable(f"{label}: {failure.detail} (gave up after {attempt} attempts)",
                                status=failure.status, provider="asana")
            pause = min(2.0 ** (attempt - 1), 30.0)
            log.info("%s: %s; retrying in %g s (attempt %d of %d)", label, failure.detail, pause, attempt,
                     self._max_attempts)
            self._sleep(pause)

    def _pages(self, label: str, method: Callable[..., Any], args: tuple, params: Mapping[str, str]) -> list[dict]:
        items: list[dict] = []
        offset = None
        while True:
            opts = {**params, "limit": PAGE_SIZE, **({"offset": offset} if offset else {})}
            try:
                page = self._send(label, method, args, opts, write=False)
            except Fatal as err:
                if offset and err.status == 400 and _OFFSET_TROUBLE.search(str(err)):
                    raise _ExpiredOffset(str(err), status=400, provider="asana") from None
                raise
            items.extend(_items(page, label))
            offset = (page.get("next_page") or {}).get("offset")
            if not offset:
                return items

    def _exchange(self, method: Callable[..., Any], args: tuple, opts: dict) -> tuple[Any, _Failure | None]:
        # Failures are returned, not raised from here: raising inside `except` would chain the SDK's
        # exception, whose traceback frames hold the request headers (the token) as local variables.
        try:
            return method(*args, opts, **self._call_options), None
        except ApiException as err:
            if not err.status:  # the SDK's wrapper for TLS failures: no HTTP answer
                return None, _Failure(None, f"TLS failure: {str(err.reason)[:200]}", sent=True)
            return None, _Failure(err.status, _asana_message(err), sent=True, retry_after=_retry_after(err))
        except ReadTimeoutError:
            return None, _Failure(None, f"no answer within {self._timeout:g} s", sent=True)
        except ConnectTimeoutError as err:  # NewConnectionError included: nothing was sent
            return None, _Failure(None, f"cannot connect to Asana ({_reason(err)})", sent=False)
        except HTTPError as err:  # connection reset or closed while waiting for the answer
            return None, _Failure(None, f"the connection was lost ({_reason(err)})", sent=True)
        except RecursionError:  # the SDK's JSON parser on an answer nested thousands of levels deep
            return None, _Failure(None, "its answer could not be read (nested too deeply)", sent=True)

    def _refusal(self, label: str, failure: _Failure) -> ServiceError:
        status, detail = failure.status, failure.detail
        kind = failure_class(status, write=False)
        if status == 401:
            return AuthError(
                f"{label}: Asana refused the personal access token (401: {detail}); it is wrong, expired or "
                "revoked. Create a new one in Asana under My Settings > Apps > Developer apps > "
                f"Create new token (https://app.asana.com/0/my-apps) and put it in {self._token_env}",
                status=status, provider="asana")
        if status == 403:
            return AuthError(f"{label}: the token's user may not see this (403: {detail}); ask the client to "
                             "share the project with that Asana user", status=status, provider="asana")
        if kind is NotFound:
            return NotFound(f"{label}: not found or not visible to this token (404: {detail})",
                            status=status, provider="asana")
        return Fatal(f"{label}: Asana refused the request ({status}: {detail})", status=status, provider="asana")


def _configuration() -> asana.Configuration:
    """A fresh SDK Configuration, without the logging side effects of the SDK's first one."""
    # The SDK's first Configuration sets the 'asana' and 'urllib3' loggers to WARNING and gives each a
    # stderr handler, overriding the application's logging setup: put both back as they were.
    loggers = [logging.getLogger(name) for name in ("asana", "urllib3")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    config = asana.Configuration()
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = handlers
    return config


def _items(page: dict, label: str) -> list[dict]:
    data = page.get("data")
    if not isinstance(data, list):
        raise Retriable(f"{label}: Asana's answer has no 'data' list", provider="asana")
    return data


def _json_object(body: Any) -> dict:
    try:
        parsed = json.loads(body or b"{}")
    except (ValueError, TypeError, RecursionError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _asana_message(err: ApiException) -> str:
    """The `errors[].message` texts of an Asana error body, else the HTTP reason."""
    try:
        body = json.loads(err.body or b"")
        messages = [str(e.get("message")) for e in body.get("errors") or [] if isinstance(e, dict)]
    except (ValueError, AttributeError):
        messages = []
    return ("; ".join(messages) or str(err.reason or "no details"))[:300]


def _retry_after(err: ApiException) -> float | None:
    try:
        return max(0.0, float((err.headers or {})["Retry-After"]))
    except (KeyError, TypeError, ValueError):
        return None


def _reason(err: HTTPError) -> str:
    # urllib3 wraps the socket-level cause (e.g. RemoteDisconnected) as its last argument.
    inner = err.args[-1] if err.args and isinstance(err.args[-1], BaseException) else err
    return f"{type(inner).__name__}: {inner}"[:200]
