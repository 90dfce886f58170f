"""Secrets come from the environment, or the OS keyring when one is available; never from files."""
from __future__ import annotations

import os
from typing import overload

from scheduler.errors import ScopeKeeperError

KEYRING_SERVICE = "scopekeeper"


class MissingSecret(ScopeKeeperError):
    """A secret the configuration names is not set; the message says how to set it."""


@overload
def get_secret(env_name: str) -> str: ...
@overload
def get_secret(env_name: str, *, required: bool) -> str | None: ...


def get_secret(env_name: str, *, required: bool = True) -> str | None:
    """The value of environment variable `env_name`, else the keyring entry of that name."""
    value = os.environ.get(env_name)
    if value:
        return value
    value = _from_keyring(env_name)
    if value or not required:
        return value
    raise MissingSecret(
        f"the secret {env_name} is not set: run `export {env_name}=...` in the shell that starts "
        f"ScopeKeeper (or store it with `keyring set {KEYRING_SERVICE} {env_name}`)"
    )


def _from_keyring(name: str) -> str | None:
    try:
        import keyring  # pyright: ignore[reportMissingImports]  # optional: only where the VA installed it
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception:  # no usable backend on this machine: the environment is the only source
        return None
