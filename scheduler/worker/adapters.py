"""The worker's service adapters: one per service for the whole process, built on first use."""
from __future__ import annotations

import os
import threading

from integrations.asana.adapter import AsanaAdapter
from integrations.trello.adapter import TrelloAdapter

from scheduler.config.models import AppConfig
from scheduler.logs import register_secret
from scheduler.config.secrets import get_secret

# Where the adapters send requests; the sandboxes and the demo point these at loopback.
TRELLO_URL_ENV = "SCOPEKEEPER_TRELLO_API_URL"
ASANA_URL_ENV = "SCOPEKEEPER_ASANA_API_URL"


class Adapters:
    """Shared by every client's scan: the services' budgets are per token, and Trello's adapter remembers
    the comments it posted so that they do not make a board look changed."""

    def __init__(self, config: AppConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._trello: TrelloAdapter | None = None
        self._asana: AsanaAdapter | None = None

    def for_provider(self, provider: str) -> TrelloAdapter | AsanaAdapter:
        """The adapter of 'trello' or 'asana'; MissingSecret when its secrets are not set."""
        with self._lock:
            if provider == "trello":
                if self._trello is None:
                    conn = self._config.connections.trello
                    key, token = _secret(conn.api_key_env), _secret(conn.token_env)
                    self._trello = TrelloAdapter(key, token, **_url("base_url", TRELLO_URL_ENV))
                return self._trello
            if self._asana is None:
                conn = self._config.connections.asana
                self._asana = AsanaAdapter(_secret(conn.token_env), requests_per_minute=conn.requests_per_minute,
                                           token_env=conn.token_env, **_url("host", ASANA_URL_ENV))
            return self._asana

    def close(self) -> None:
        with self._lock:
            if self._asana is not None:
                self._asana.close()
                self._asana = None


def _secret(env_name: str) -> str:
    value = get_secret(env_name)
    register_secret(value)  # before any request: nothing that follows may print it
    return value


def _url(argument: str, variable: str) -> dict[str, str]:
    url = os.environ.get(variable)
    return {argument: url} if url else {}
