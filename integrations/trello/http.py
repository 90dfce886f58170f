"""The http_service py-trello sends through: budgets, key and token out of the URL, failures as project errors."""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError

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
from integrations.trello.limits import TrelloLimits

API = "https://api.trello.com/1"
KEY_PAGE = "https://trello.com/power-ups/admin"
# The real key is never printed: error texts end up in logs and reports.
AUTHORIZE_URL = ("https://trello.com/1/authorize?expiration=never&name=ScopeKeeper&scope=read,write"
                 "&response_type=token&key=<your API key>")
TOKEN_HELP = (f"make a new token: open {AUTHORIZE_URL} in a browser, with <your API key> replaced by the key "
              f"shown on {KEY_PAGE}, press Allow, and put the token it shows in the variable named by token_env "
              "in [connections.trello] (TRELLO_TOKEN by default)")

log = logging.getLogger("scopekeeper.trello")


class TrelloHttp:
    """What TrelloClient calls as `http_service.request(...)`; answers only with 200 responses, raises otherwise."""

    def __init__(self, api_key: str, token: str, limits: TrelloLimits, *, base_url: str = API,
                 timeout: float = 30.0) -> None:
        self._secrets = tuple(s for s in (api_key, token) if s)
        self._limits = limits
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._session = requests.Session()
        self._count_lock = threading.Lock()
        self.requests_made = 0

    def request(self, method: str, url: str, params: Mapping[str, Any] | None = None,
                headers: Mapping[str, str] | None = None, data: Any = None, auth: Any = None,
                files: Any = None, proxies: Mapping[str, str] | None = None) -> requests.Response:
        """Send one request as py-trello built it (`auth` is None: the client signs nothing)."""
        params = dict(params or {})
        # py-trello puts key and token in the query string, where URLs carry them into exception texts,
        # urllib3's debug log and proxies' logs; Trello also takes them in this header.
        key, token = params.pop("key", ""), params.pop("token", "")
        headers = dict(headers or {}, Authorization=f'OAuth oauth_consumer_key="{key}", oauth_token="{token}"')
        path = url.removeprefix(API)
        sent_at = self._limits.acquire()
        with self._count_lock:
            self.requests_made += 1
        try:
            response = self._session.request(method, self.base_url + path, params=params, headers=headers, data=data,
                                             files=files, proxies=dict(proxies) if proxies is not None else None,
                                             timeout=self._timeout)
        except requests.RequestException as err:
            raise self._transport_error(err, method, path) from None
        self._limits.answered(response.headers, sent_at)
        log.debug("Trello %s %s -> %s", method, path, response.status_code)
        if response.status_code != 200:
            raise self._status_error(response, method, path)
        return response

    def redact(self, text: str) -> str:
        """`text` without the key or the token, should a service or library ever echo them."""
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def _status_error(self, response: requests.Response, method: str, path: str) -> ServiceError:
        status, where = response.status_code, f"Trello {method} {path}"
        said = self.redact(response.text.strip())[:200] or response.reason or ""
        kind = failure_class(status, write=method != "GET")
        if kind is RateLimited:
            error = _json_field(response.text, "error")
            pause = self._limits.rate_limited(error, _number(response.headers.get("Retry-After")))
            return RateLimited(f"{where}: rate limited ({error or said}); waiting {pause:.1f} s",
                               retry_after=pause, status=status, provider="trello")
        if kind is AuthError:
            return AuthError(f"{where}: Trello refused the API key or token ({said}); {TOKEN_HELP}",
                             status=status, provider="trello")
        if kind is NotFound:
            return NotFound(f"{where}: not found (deleted, or not shared with this token)",
                            status=status, provider="trello")
        if kind is UnknownOutcome:
            return UnknownOutcome(f"{where}: HTTP {status} after the request was sent ({said}); it may have "
                                  "been carried out: check before sending again", status=status, provider="trello")
        if kind is Retriable:
            return Retriable(f"{where}: HTTP {status} ({said})", status=status, provider="trello")
        return Fatal(f"{where}: HTTP {status} ({said})", status=status, provider="trello")

    def _transport_error(self, err: requests.RequestException, method: str, path: str) -> ServiceError:
        where, reason = f"Trello {method} {path}", type(err).__name__
        if isinstance(err, ValueError):  # InvalidURL, MissingSchema...: a wrong base URL, not a passing failure
            return Fatal(f"{where}: cannot send ({reason}); check the API URL", provider="trello")
        if _never_sent(err):
            return Retriable(f"{where}: could not connect to Trello ({reason})", provider="trello")
        if method == "GET":
            return Retriable(f"{where}: the answer was lost ({reason})", provider="trello")
        return UnknownOutcome(f"{where}: sent, but the answer was lost ({reason}); it may have been carried out: "
                              "check before sending again", provider="trello")


def _never_sent(err: requests.RequestException) -> bool:
    """True when the request cannot have reached Trello: no connection, or no TLS session, was made."""
    if isinstance(err, (requests.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    cause = err.args[0] if err.args else None
    cause = getattr(cause, "reason", cause)  # urllib3's MaxRetryError wraps the failure
    return isinstance(cause, ConnectTimeoutError)  # NewConnectionError (refused, DNS) is one too


def _json_field(text: str, name: str) -> str:
    try:
        value = json.loads(text).get(name)
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
