"""The days each card's hours may count in, so that a scan loads only the cards of periods that can still
change; an index to prune the findings history by age.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing cards have no days yet: a worker's first scan of each client evaluates every card and sets them.
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("first_day", sa.Date()))
        batch.add_column(sa.Column("last_day", sa.Date()))
        batch.create_index(op.f("ix_cards_client_last_day"), ["client", "last_day"])
    op.create_index(op.f("ix_findings_client_observed_at"), "findings", ["client", "observed_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_findings_client_observed_at"), table_name="findings")
    with op.batch_alter_table("cards") as batch:
        batch.drop_index(op.f("ix_cards_client_last_day"))
        batch.drop_column("last_day")
        batch.drop_column("first_day")
