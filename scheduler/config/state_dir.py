"""Where the state lives when the configuration does not say: the user's data folder, whatever the working directory."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

DATABASE = "scopekeeper.db"
# Before 0.2 the default was this file in the working directory: started from another folder, or in a
# container whose working directory was not a volume, ScopeKeeper began a new, empty store.
LEGACY = Path(DATABASE)

log = logging.getLogger("scopekeeper.store")


def data_dir() -> Path:
    """The per-user data folder (as platformdirs' user_data_dir): XDG_DATA_HOME on Linux, Application Support
    on macOS, LOCALAPPDATA on Windows; with a `scopekeeper` folder inside."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "scopekeeper"


def default_state_url() -> str:
    """sqlite:/// on scopekeeper.db in data_dir(); the old default file of the working directory while it is
    the only one, so that an upgrade does not start an empty store (with a warning saying how to move it)."""
    path = data_dir() / DATABASE
    if not path.exists() and LEGACY.is_file():
        log.warning("using the state store %s in the working directory (the old default): move it to %s, or set "
                    "state_url, so that ScopeKeeper finds it from any folder", LEGACY.resolve(), path)
        return f"sqlite:///{LEGACY.resolve()}"
    return f"sqlite:///{path}"
