"""mail: the outbox, readers' choice to be told about their comment, the digest's last run

Revision ID: d5a8e3f1b207
Revises: d5a8c3e1f472
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a8e3f1b207'
down_revision = 'd5a8c3e1f472'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("recipient_hash", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("unsubscribe_url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mail_outbox_due", "mail_outbox", ["sent_at", "send_after"])
    op.create_index(
        "ix_mail_outbox_recipient_hash", "mail_outbox", ["recipient_hash", "created_at"]
    )
    op.create_index("ix_mail_outbox_ref", "mail_outbox", ["ref"])
    op.create_index("ix_mail_outbox_recipient", "mail_outbox", ["recipient"])
    op.add_column(
        "comments",
        sa.Column("notify", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "content_state", sa.Column("digest_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade():
    with op.batch_alter_table("content_state") as batch:
        batch.drop_column("digest_at")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("notify")
    op.drop_index("ix_mail_outbox_recipient", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_ref", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_recipient_hash", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_due", table_name="mail_outbox")
    op.drop_table("mail_outbox")
