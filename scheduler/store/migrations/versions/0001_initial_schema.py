"""Initial schema: cards, boards, ledger, findings history, outbox, client status, report claims.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the column types: a migration must not change when scheduler.store.schema does.
CLIENT, PROVIDER, REMOTE_ID, PERIOD = sa.String(200), sa.String(16), sa.String(64), sa.String(16)
MOMENT = sa.DateTime(timezone=True)
HOURS, MONEY = sa.Numeric(12, 4), sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("client", CLIENT, nullable=False),
        sa.Column("provider", PROVIDER, nullable=False),
        sa.Column("board_id", REMOTE_ID, nullable=False),
        sa.Column("last_activity", MOMENT),
        sa.Column("read_started", MOMENT),
        sa.Column("full_read_at", MOMENT),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.PrimaryKeyConstraint("client", "provider", "board_id", name=op.f("pk_boards")),
    )
    op.create_table(
        "cards",
        sa.Column("client", CLIENT, nullable=False),
        sa.Column("provider", PROVIDER, nullable=False),
        sa.Column("card_id", REMOTE_ID, nullable=False),
        sa.Column("board_id", REMOTE_ID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("due", MOMENT),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("hours", HOURS),
        sa.Column("period_key", PERIOD),
        sa.Column("finding_digest", sa.String(64)),
        sa.Column("first_seen", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("gone_at", MOMENT),
        sa.PrimaryKeyConstraint("client", "provider", "card_id", name=op.f("pk_cards")),
    )
    op.create_table(
        "client_status",
        sa.Column("client", CLIENT, nullable=False),
        sa.Column("last_scan_at", MOMENT, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.Column("last_ok_at", MOMENT),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("posted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client", name=op.f("pk_client_status")),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client", CLIENT, nullable=False),
        sa.Column("provider", PROVIDER, nullable=False),
        sa.Column("card_id", REMOTE_ID, nullable=False),
        sa.Column("period_key", PERIOD, nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("service", sa.Text()),
        sa.Column("category", sa.Text()),
        sa.Column("response", sa.String(32), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("hours", HOURS),
        sa.Column("extra_hours", HOURS, nullable=False),
        sa.Column("extra_amount", MONEY, nullable=False),
        sa.Column("observed_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_client_card_id"), "findings", ["client", "card_id"])
    op.create_table(
        "intents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client", CLIENT, nullable=False),
        sa.Column("provider", PROVIDER, nullable=False),
        sa.Column("board_id", REMOTE_ID, nullable=False),
        sa.Column("card_id", REMOTE_ID, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("period_key", PERIOD, nullable=False),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("card_title", sa.Text(), nullable=False),
        sa.Column("card_url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("remote_id", REMOTE_ID),
        sa.Column("error", sa.Text()),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("sent_at", MOMENT),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intents")),
        # The outbox's promise: one comment per finding kind on one card in one contract period.
        sa.UniqueConstraint("provider", "card_id", "kind", "period_key",
                            name=op.f("uq_intents_provider_card_id_kind_period_key")),
        sa.UniqueConstraint("reference", name=op.f("uq_intents_reference")),
    )
    op.create_index(op.f("ix_intents_client_status"), "intents", ["client", "status"])
    op.create_table(
        "ledger",
        sa.Column("client", CLIENT, nullable=False),
        sa.Column("period_key", PERIOD, nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("contracted", HOURS, nullable=False),
        sa.Column("used", HOURS, nullable=False),
        sa.Column("extra", HOURS, nullable=False),
        sa.Column("extra_amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("client", "period_key", name=op.f("pk_ledger")),
    )
    op.create_table(
        "report_claims",
        sa.Column("week_key", sa.String(16), nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("claimed_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("week_key", "target", name=op.f("pk_report_claims")),
    )


def downgrade() -> None:
    for table in ("report_claims", "ledger", "intents", "findings", "client_status", "cards", "boards"):
        op.drop_table(table)
