"""Versioned migrations of the state store (Alembic), run at start-up up to the newest revision."""
from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Two workers starting together on one PostgreSQL database: the second waits, then finds nothing to do.
_MIGRATION_LOCK = 0x5C0FE_0001
# Alembic's command keeps its context in module globals: two stores of one process (a team worker's VAs)
# migrating at once would remove each other's. Taken before the database's lock, so the two never cross.
_one_at_a_time = threading.Lock()


def alembic_config(script_location: Path = MIGRATIONS) -> Config:
    """Alembic's configuration without an ini file: the scripts ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def upgrade(engine: Engine, script_location: Path = MIGRATIONS) -> tuple[str | None, str | None]:
    """Bring the database to the newest revision in one transaction; a database already there is untouched.

    Returns the revisions before and after.
    """
    config = alembic_config(script_location)
    with _one_at_a_time, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        before = revision(connection)
        command.upgrade(config, "head")
        after = revision(connection)
    return before, after


def revision(connection: Connection) -> str | None:
    """The revision the database is at (None: empty, never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def head(script_location: Path = MIGRATIONS) -> str:
    """The newest revision this version of ScopeKeeper knows."""
    newest = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    if newest is None:  # a broken installation, not a state the VA can fix
        raise RuntimeError(f"no migration found in {script_location}")
    return newest
