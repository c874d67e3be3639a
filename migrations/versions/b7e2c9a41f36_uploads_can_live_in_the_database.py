"""uploaded files can live in the database, so every app server reads them

Revision ID: b7e2c9a41f36
Revises: b7e2d4a91c3f
Create Date: 2026-12-01 22:45:00

With STORAGE_BACKEND=database, pictures and result PDFs are kept here in chunks of 512 KiB;
`flask --app newsportal storage move --to database` copies the files of the upload folder in.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c9a41f36'
down_revision = 'b7e2d4a91c3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_files',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('stored_chunks',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['key'], ['stored_files.key'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'number')
    )


def downgrade():
    op.drop_table('stored_chunks')
    op.drop_table('stored_files')
