"""Versioned migrations: empty to head, idempotent, models equal to the migrations, upgrades keep data."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from scheduler.store import StoreError, migrate, open_store
from scheduler.store.schema import Base, IntentRow

NEXT_REVISION = '''"""A later release adds a column.

Revision ID: 0099
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intents") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    op.execute("UPDATE intents SET note = 'carried over'")


def downgrade() -> None:
    with op.batch_alter_table("intents") as batch:
        batch.drop_column("note")
'''


def test_an_empty_database_is_migrated_to_head_and_opening_again_changes_nothing(state_url):
    store = open_store(state_url)
    with store.engine.connect() as connection:
        assert migrate.revision(connection) == migrate.head()
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set(Base.metadata.tables)
        assert compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                Base.metadata) == []  # the models are exactly what the migrations build
    assert store.claim_report("2026-W47", "practice")
    store.close()

    again = open_store(state_url)
    with again.engine.connect() as connection:
        assert migrate.revision(connection) == migrate.head()
    assert not again.claim_report("2026-W47", "practice")  # the row is still there
    again.close()


def test_an_upgrade_keeps_every_row(state_url, tmp_path):
    store = open_store(state_url)
    _intent(store)
    assert store.claim_report("2026-W47", "client:Bright Path")
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_note.py").write_text(NEXT_REVISION.format(head=migrate.head()), encoding="utf-8")

    before, after = migrate.upgrade(store.engine, scripts)

    assert (before, after) == (migrate.head(), "0099")
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT reference, status, text, note FROM intents").all()
    assert rows == [("SK-0a1b2c", "sent", "Hello\n\nref SK-0a1b2c", "carried over")]
    assert not store.claim_report("2026-W47", "client:Bright Path")
    assert store.comment_statuses("Bright Path") == {"SK-0a1b2c": "sent"}
    store.close()


def test_a_store_from_a_newer_release_is_refused_with_a_clear_message(state_url):
    store = open_store(state_url)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    store.close()
    with pytest.raises(StoreError, match="written by a newer ScopeKeeper than this one: upgrade ScopeKeeper"):
        open_store(state_url)
    with pytest.raises(StoreError, match=f"is at revision 0099, this ScopeKeeper uses {migrate.head()}: a dry run cannot"):
        open_store(state_url, read_only=True)


def _intent(store) -> None:
    now = datetime.now(UTC)
    with store.session() as session:
        session.add(IntentRow(client="Bright Path", provider="trello", board_id="b", card_id="c", kind="referral",
                              period_key="2026-11", reference="SK-0a1b2c", text="Hello\n\nref SK-0a1b2c",
                              card_title="Card", card_url="", status="sent", edited=False, attempts=1,
                              created_at=now, updated_at=now))
    with store.session() as session:
        assert session.scalar(select(IntentRow.reference)) == "SK-0a1b2c"
