"""The worker's service adapters: one per service for the whole process, built on first use."""
from __future__ import annotations

import threading

from integrations.errors import MissingCredentials
from integrations.service import BoardService, build_service
from scheduler.config.models import AppConfig
from scheduler.config.secrets import MissingSecret, get_secret
from scheduler.logs import register_secret
from scheduler.testing_hooks import api_url


class Adapters:
    """Shared by every client's scan: the services' budgets are per token, and Trello's adapter remembers
    the comments it posted so that they do not make a board look changed."""

    def __init__(self, config: AppConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._services: dict[str, BoardService] = {}

    def for_provider(self, provider: str) -> BoardService:
        """The service of a board's provider, built on first use; MissingCredentials when its secrets are not set."""
        with self._lock:
            if provider not in self._services:
                self._services[provider] = self._build(provider)
            return self._services[provider]

    def reset(self, config: AppConfig | None = None) -> None:
        """Use a new configuration or newly saved secrets: services are built afresh on next use."""
        with self._lock:
            if config is not None:
                self._config = config
            services, self._services = list(self._services.values()), {}
        for service in services:
            service.close()

    def close(self) -> None:
        with self._lock:
            for service in self._services.values():
                service.close()
            self._services.clear()

    def _build(self, provider: str) -> BoardService:
        connections = self._config.connections
        if provider == "trello":
            trello = connections.trello
            secrets = {"api_key": _secret(trello.api_key_env), "token": _secret(trello.token_env)}
            return build_service(provider, secrets, base_url=api_url(provider))
        asana = connections.asana
        return build_service(provider, {"token": _secret(asana.token_env)}, base_url=api_url(provider),
                             requests_per_minute=asana.requests_per_minute, token_env=asana.token_env)


def _secret(env_name: str) -> str:
    try:
        value = get_secret(env_name)
    except MissingSecret as err:
        raise MissingCredentials(str(err)) from None
    register_secret(value)  # before any request: nothing that follows may print it
    return value
