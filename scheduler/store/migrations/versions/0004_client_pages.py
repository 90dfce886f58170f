"""The clients' read-only pages: one hashed token per client.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_pages",
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client", name=op.f("pk_client_pages")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_client_pages_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("client_pages")
