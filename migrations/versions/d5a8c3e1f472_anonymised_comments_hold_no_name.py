"""anonymised comments hold no name: NULL instead of the words "Ẩn danh"

The page shows the label in the reader's language; a stored word was Vietnamese for everyone
and looked like a real commenter's name to the moderation queue.

Revision ID: d5a8c3e1f472
Revises: c5e8a1f47b20
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a8c3e1f472'
down_revision = "c5e8a1f47b20"
branch_labels = None
depends_on = None

OLD_LABEL = "Ẩn danh"  # what comments/personal_data.py wrote before
comments = sa.table("comments", sa.column("name", sa.String), sa.column("email", sa.String))


def upgrade():
    with op.batch_alter_table("comments") as batch:
        batch.alter_column("name", existing_type=sa.String(80), nullable=True)
    # An erased comment has no email; every comment a reader sent has one.
    op.execute(
        comments.update()
        .where(comments.c.name == OLD_LABEL, comments.c.email == "")
        .values(name=None)
    )


def downgrade():
    op.execute(comments.update().where(comments.c.name.is_(None)).values(name=OLD_LABEL))
    with op.batch_alter_table("comments") as batch:
        batch.alter_column("name", existing_type=sa.String(80), nullable=False)
