"""What every page of the web app shares: the configuration (re-read when its file changes), the store, the
adapters that post approved comments, sessions and login links."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rules.evaluate import ClientRules

from scheduler.config.models import AppConfig, Client, ConfigError, file_stamp, load_config, rules_for
from scheduler.config.secrets import use_secrets_file
from scheduler.store import Store
from scheduler.worker.adapters import Adapters
from scheduler.worker.execute import Executor
from scheduler.web.security import LoginTokens, Sessions, allowed_hosts, is_loopback

log = logging.getLogger("scopekeeper.web")


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
    _stamp: tuple[float, int] | None = None
    _rules: dict[str, tuple[Client, ClientRules]] = field(default_factory=dict)
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
        return allowed_hosts(self.bind, self.listen_port, self.extra_hosts)

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

    def executor(self) -> Executor:
        return Executor(self.store, self.adapters, threading.Event())

    def secrets_changed(self) -> None:
        """A token was saved: the next post builds its service with it."""
        self.adapters.reset(self.config)
