"""Notices to the VA: open problems (one row each until resolved) and budget alerts sent per period.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.Column("opened_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_notices")),
    )
    op.create_table(
        "budget_alerts",
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("sent_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("client", "period_key", "threshold", name=op.f("pk_budget_alerts")),
    )


def downgrade() -> None:
    op.drop_table("budget_alerts")
    op.drop_table("notices")
