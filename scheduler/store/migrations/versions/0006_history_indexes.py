"""Indexes so that a scan's reads do not grow with history: the live cards by `gone_at`, the comments of
recent periods by `period_key` (without them both read every row the client ever had).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_cards_client_gone_at"), "cards", ["client", "gone_at"])
    op.create_index(op.f("ix_intents_client_period_key"), "intents", ["client", "period_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_intents_client_period_key"), table_name="intents")
    op.drop_index(op.f("ix_cards_client_gone_at"), table_name="cards")
