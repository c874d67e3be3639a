"""review before publishing: items sent for review, and the editor's note on a revision

Revision ID: d5c8e1f3a7b2
Revises: d5a2e8c4b713
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5c8e1f3a7b2'
down_revision = 'd5a2e8c4b713'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("pending_revision_id", sa.Integer(), nullable=True),
        sa.Column("writer_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["pending_revision_id"], ["revisions.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["writer_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "content_id", name="uq_reviews_kind_content_id"),
    )
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("remark", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("remark")
    op.drop_table("reviews")
