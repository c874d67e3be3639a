"""retention runs by itself: when it last ran, in the content_state row

Revision ID: a9d3f6c20e71
Revises: b7e2c9a41f36
Create Date: 2026-12-02 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9d3f6c20e71'
down_revision = 'b7e2c9a41f36'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "content_state", sa.Column("retention_run_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade():
    with op.batch_alter_table("content_state") as batch:
        batch.drop_column("retention_run_at")
