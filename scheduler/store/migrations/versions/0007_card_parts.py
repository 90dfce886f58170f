"""Each card's hours per contract period as last evaluated, for cards whose hours fall in several periods: a
card with time logged for months stands for its share of the periods that cannot change any more, so a scan no
longer evaluates every card since the month it was created.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing cards have none yet: a scan reaching such a card evaluates every card since its first day, as
    # before, and sets them.
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("parts", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("parts")
