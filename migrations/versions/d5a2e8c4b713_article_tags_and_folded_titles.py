"""article tags (thẻ), and titles folded for the desk's list search

Revision ID: d5a2e8c4b713
Revises: d5c8e1f0a7b2
Create Date: 2026-12-02 02:10:00

"""
from alembic import op
import sqlalchemy as sa

from newsportal.text import vi_fold


# revision identifiers, used by Alembic.
revision = 'd5a2e8c4b713'
down_revision = 'd5c8e1f0a7b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "article_tags",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "tag_id"),
    )
    op.create_index("ix_article_tags_tag_id", "article_tags", ["tag_id"])
    op.add_column(
        "articles", sa.Column("title_folded", sa.Text(), server_default="", nullable=False)
    )
    # The fold is Python's (no database folds đ or Vietnamese tones the same way): row by row.
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("id"), sa.column("title"), sa.column("title_folded"))
    rows = connection.execute(sa.select(articles.c.id, articles.c.title)).all()
    for row in rows:
        connection.execute(
            articles.update()
            .where(articles.c.id == row.id)
            .values(title_folded=vi_fold(row.title))
        )


def downgrade():
    op.drop_index("ix_article_tags_tag_id", table_name="article_tags")
    op.drop_table("article_tags")
    op.drop_table("tags")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a column in place. A batch rebuild would drop the old articles
        # table, and with foreign keys on that deletes every comment (ON DELETE CASCADE).
        op.execute("ALTER TABLE articles DROP COLUMN title_folded")
    else:
        op.drop_column("articles", "title_folded")
