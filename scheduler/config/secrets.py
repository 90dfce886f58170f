"""Secrets come from the environment, or the OS keyring when one is available; never from files."""
from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import overload

from scheduler.errors import ScopeKeeperError

KEYRING_SERVICE = "scopekeeper"
SECRETS_FILE_NAME = "scopekeeper.env"   # beside the configuration, readable by its owner only
_secrets_file: Path | None = None     # where a saved secret goes: beside the configuration in use
_secrets_files: list[Path] = []       # every configuration's file this process read (a team worker reads several)


class MissingSecret(ScopeKeeperError):
    """A secret the configuration names is not set; the message says how to set it."""


@overload
def get_secret(env_name: str) -> str: ...
@overload
def get_secret(env_name: str, *, required: bool) -> str | None: ...


def get_secret(env_name: str, *, required: bool = True) -> str | None:
    """The value of environment variable `env_name`, else the keyring entry of that name, else the secrets file's."""
    value = os.environ.get(env_name)
    if value:
        return value
    value = _from_keyring(env_name) or _from_file(env_name)
    if value or not required:
        return value
    raise MissingSecret(
        f"the secret {env_name} is not set: run `export {env_name}=...` in the shell that starts "
        f"ScopeKeeper (or store it with `keyring set {KEYRING_SERVICE} {env_name}`)"
    )


def use_secrets_file(config_path: str | Path) -> Path:
    """Read (and save) secrets in the file beside this configuration too; its path.

    Secrets are found by name: the files of configurations read earlier are still read, after this one's (a
    team worker checks that its VAs' configurations name different secrets)."""
    global _secrets_file
    _secrets_file = Path(config_path).with_name(SECRETS_FILE_NAME)
    if _secrets_file in _secrets_files:
        _secrets_files.remove(_secrets_file)
    _secrets_files.insert(0, _secrets_file)
    return _secrets_file


def save_secret(env_name: str, value: str) -> str:
    """Store a secret where secrets live: the OS keyring when it works, else the secrets file beside the
    configuration (mode 0600, `NAME=value` lines); it is used by this process at once. Where it went, in words."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env_name) or not value or "\n" in value:
        raise ValueError("a secret needs a variable name and a one-line value")
    os.environ[env_name] = value
    if _to_keyring(env_name, value):
        return f"the system keyring (service {KEYRING_SERVICE!r}, entry {env_name})"
    if _secrets_file is None:
        return f"this process's environment only ({env_name}); it is forgotten when ScopeKeeper stops"
    with _file_lock:
        lines = _file_lines()
        lines = [line for line in lines if line.partition("=")[0].strip() != env_name] + [f"{env_name}={value}"]
        _secrets_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = _secrets_file.with_name(f".{_secrets_file.name}.saving")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("# ScopeKeeper's secrets, saved by its web app. Keep this file private.\n")
            handle.write("\n".join(line for line in lines if not line.startswith("#")) + "\n")
        os.replace(temporary, _secrets_file)
    return f"the file {_secrets_file} (readable only by you)"


_file_lock = threading.Lock()


def _file_lines(path: Path | None = None) -> list[str]:
    path = path or _secrets_file
    if path is None:
        return []
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _from_file(name: str) -> str | None:
    for path in list(_secrets_files):
        for line in _file_lines(path):
            key, sep, value = line.partition("=")
            if sep and key.strip() == name and not key.startswith("#"):
                return value.strip() or None
    return None


@lru_cache(maxsize=1)
def _keyring():
    """The keyring module where the VA installed it (optional), else None; looked for once per process."""
    try:
        import keyring  # pyright: ignore[reportMissingImports]  # optional: only where the VA installed it
    except ImportError:
        return None
    return keyring


def _to_keyring(name: str, value: str) -> bool:
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, name, value)
        return keyring.get_password(KEYRING_SERVICE, name) == value
    except Exception:
        return False


def _from_keyring(name: str) -> str | None:
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception:  # no usable backend on this machine: the environment is the only source
        return None
