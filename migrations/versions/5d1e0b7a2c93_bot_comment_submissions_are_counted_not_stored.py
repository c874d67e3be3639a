"""bot comment submissions are counted per day, not stored

Revision ID: 5d1e0b7a2c93
Revises: c41d7e2a9b10
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e0b7a2c93'
down_revision = 'c41d7e2a9b10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "comment_bot_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "reason"),
    )


def downgrade():
    op.drop_table("comment_bot_counts")
