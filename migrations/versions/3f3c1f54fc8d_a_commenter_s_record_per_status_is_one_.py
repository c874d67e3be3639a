"""a commenter's record per status is one index lookup

Revision ID: 3f3c1f54fc8d
Revises: aba8f41d653b
Create Date: 2026-11-26 02:16:32

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f3c1f54fc8d'
down_revision = 'aba8f41d653b'
branch_labels = None
depends_on = None


def upgrade():
    # Plain index operations: a batch (table copy) on SQLite could cascade into other tables.
    op.drop_index("ix_comments_email", table_name="comments")
    op.create_index("ix_comments_email_status", "comments", ["email", "status"], unique=False)


def downgrade():
    op.drop_index("ix_comments_email_status", table_name="comments")
    op.create_index("ix_comments_email", "comments", ["email"], unique=False)
