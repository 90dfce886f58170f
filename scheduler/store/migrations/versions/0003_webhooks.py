"""Webhooks registered per board, and the durable queue of the events they deliver.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("board_id", sa.String(64), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=False),
        sa.Column("remote_id", sa.String(64)),
        sa.Column("secret", sa.Text()),
        sa.Column("own_actor", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("last_event_at", MOMENT),
        sa.PrimaryKeyConstraint("provider", "board_id", name=op.f("pk_webhooks")),
        sa.UniqueConstraint("nonce", name=op.f("uq_webhooks_nonce")),
    )
    op.create_table(
        "webhook_events",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("board_id", sa.String(64), nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("processed_at", MOMENT),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_webhook_events")),
    )
    op.create_index(op.f("ix_webhook_events_processed_at"), "webhook_events", ["processed_at"])


def downgrade() -> None:
    op.drop_table("webhook_events")
    op.drop_table("webhooks")
