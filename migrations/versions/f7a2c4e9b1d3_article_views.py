"""views per article and day, for the sidebar's most-read block

Revision ID: f7a2c4e9b1d3
Revises: d5c8e1f3a7b2
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7a2c4e9b1d3'
down_revision = 'd5c8e1f3a7b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "article_views",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "day"),
    )
    op.create_index("ix_article_views_day", "article_views", ["day"])


def downgrade():
    op.drop_index("ix_article_views_day", table_name="article_views")
    op.drop_table("article_views")
