"""autosaves: what an editor was typing, one row per user and item, not a revision

Revision ID: d5a8e3c1f027
Revises: d5a8e3f1b207
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a8e3c1f027'
down_revision = 'd5a8e3f1b207'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "autosaves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "kind", "content_id", name="uq_autosaves_user_kind_content"),
    )


def downgrade():
    op.drop_table("autosaves")
