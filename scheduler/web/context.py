"""What every page of the web app shares: the configuration (re-read when its file changes), the store, the
adapters that post approved comments, sessions and login links."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from integrations.models import Card
from rules.evaluate import ClientRules
from rules.findings import ScanResult
from scheduler.config.models import AppConfig, Client, ConfigError, file_stamp, load_config, rules_for
from scheduler.config.secrets import use_secrets_file
from scheduler.store import Store
from scheduler.store.schema import CardRow
from scheduler.web.security import LoginTokens, Sessions, allowed_hosts, is_loopback
from scheduler.web.shown import evaluate_shown, first_needed
from scheduler.worker.adapters import Adapters
from scheduler.worker.execute import Executor
from scheduler.worker.hooks import public_url, sync_webhooks

log = logging.getLogger("scopekeeper.web")
EVALUATION_SECONDS = 60.0


def card_fingerprints(store: Store) -> dict[str, tuple]:
    """Per client: how many cards the store has, when one last changed and when the first was created (one query
    for all clients)."""
    with store.reading() as session:
        return {client: (count, latest, earliest) for client, count, latest, earliest in session.execute(
            select(CardRow.client, func.count(), func.max(CardRow.updated_at), func.min(CardRow.created_at))
            .group_by(CardRow.client))}


def logins_path(config_path: Path) -> Path:
    """Where one-time login links live (hashed), beside the configuration: `scopekeeper open` finds them there."""
    return config_path.with_name(f".{config_path.name}.logins")


@dataclass
class WebContext:
    """One web app's state; thread-safe."""

    config_path: Path
    config: AppConfig
    store: Store
    adapters: Adapters
    sessions: Sessions = field(default_factory=Sessions)
    extra_hosts: tuple[str, ...] = ()
    port: int | None = None            # the port actually listened on (the configured one unless told otherwise)
    hooks_url: str | None = None       # where webhooks call when it is not public_url (the demo's loopback address)
    _stamp: tuple[float, int] | None = None
    _rules: dict[str, tuple[Client, ClientRules]] = field(default_factory=dict)
    _evaluations: dict[str, tuple] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    problem: str | None = None         # why the file on disk is not the configuration in use

    def __post_init__(self) -> None:
        self.logins = LoginTokens(logins_path(self.config_path))
        use_secrets_file(self.config_path)
        self._stamp = file_stamp(self.config_path)

    @property
    def bind(self) -> str:
        return self.config.scopekeeper.web.bind

    @property
    def listen_port(self) -> int:
        return self.port or self.config.scopekeeper.web.port

    def hosts(self) -> frozenset[str]:
        """This app's Host names: its own, and the public address's when webhooks arrive through one."""
        public = self.config.scopekeeper.web.public_url
        extra = (*self.extra_hosts, urlsplit(public).netloc) if public else self.extra_hosts
        return allowed_hosts(self.bind, self.listen_port, extra)

    def needs_password(self) -> bool:
        return not is_loopback(self.bind)

    def current(self) -> AppConfig:
        """The configuration, re-read if its file changed; an invalid file leaves the one in use (and says why)."""
        stamp = file_stamp(self.config_path)
        with self._lock:
            if stamp == self._stamp:
                return self.config
            self._stamp = stamp
            try:
                config = load_config(self.config_path)
            except ConfigError as err:
                self.problem = "; ".join(err.problems)
                log.error("%s changed but is not valid: the web app keeps the configuration it has (%s)",
                          self.config_path, self.problem, extra={"event": "config_invalid"})
                return self.config
            self.problem = None
            self.use(config)
            return config

    def use(self, config: AppConfig) -> None:
        """Adopt a validated configuration (the web app just saved it, or the file changed)."""
        with self._lock:
            changed_connections = config.connections != self.config.connections
            self.config, self._stamp = config, file_stamp(self.config_path)
            self._rules = {k: v for k, v in self._rules.items()
                           if any(c == v[0] for c in config.clients)}
        if changed_connections:
            self.adapters.reset(config)

    def rules(self, client: Client) -> ClientRules:
        """The client's compiled rules, kept while the client's configuration is unchanged (they memoise)."""
        with self._lock:
            known = self._rules.get(client.name)
            if known is None or known[0] != client:
                known = self._rules[client.name] = (client, rules_for(client))
            return known[1]

    def evaluation(self, client: Client, fingerprints: dict[str, tuple] | None = None,
                   cards: Collection[tuple[str, str]] = ()) -> tuple[list[Card], ScanResult | None]:
        """The client's cards the pages show and their findings now (web.shown): the current period's, the latest
        ones, and those of `cards` (provider, card id) at least. Reused while neither the cards nor the client's
        configuration changed, for at most EVALUATION_SECONDS (findings depend on the clock too)."""
        fingerprint = (fingerprints if fingerprints is not None else card_fingerprints(self.store)).get(client.name)
        rules, now = self.rules(client), datetime.now(UTC)
        day = first_needed(self.store, rules, client.name, now, cards)
        with self._lock:
            known = self._evaluations.get(client.name)
            if known and known[0] == client and known[1] == fingerprint and known[3].first <= day \
                    and time.monotonic() - known[2] < EVALUATION_SECONDS:
                return known[3].cards, known[3].result
        shown = evaluate_shown(self.store, rules, client.name, now, day, fingerprint[2] if fingerprint else None)
        with self._lock:
            self._evaluations[client.name] = (client, fingerprint, time.monotonic(), shown)
        return shown.cards, shown.result

    def executor(self) -> Executor:
        return Executor(self.store, self.adapters, threading.Event())

    def hooks_base(self) -> str | None:
        """Where the services deliver webhooks to this app: public_url, or the demo's own loopback address."""
        return self.hooks_url or public_url(self.current())

    def follow_boards(self) -> dict[str, int]:
        """Right after boards were connected or disconnected: register or remove their webhooks (when there is
        an address the services can call)."""
        base = self.hooks_base()
        return sync_webhooks(self, base, health=False) if base else {}

    def secrets_changed(self) -> None:
        """A token was saved: the next post builds its service with it."""
        self.adapters.reset(self.config)
