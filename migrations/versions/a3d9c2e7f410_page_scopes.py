"""versions of a few pages each, so an approved comment leaves other cached pages in place

Revision ID: a3d9c2e7f410
Revises: f7a2c4e9b1d3
Create Date: 2026-12-03 15:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'a3d9c2e7f410'
down_revision = 'f7a2c4e9b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_scopes",
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade():
    op.drop_table("page_scopes")
