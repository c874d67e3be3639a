"""A legal document can be marked as not yet confirmed by the agency: one note under the list
instead of the same words in every row.

Revision ID: c5e8a1f47b20
Revises: a9d3f6c20e71
"""

import sqlalchemy as sa
from alembic import op

revision = "c5e8a1f47b20"
down_revision = "a9d3f6c20e71"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("legal_documents") as batch:
        batch.add_column(
            sa.Column("unconfirmed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("legal_documents") as batch:
        batch.drop_column("unconfirmed")
