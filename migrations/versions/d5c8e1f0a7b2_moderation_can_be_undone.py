"""moderation can be undone: actions group their audit rows and keep what they replaced

Revision ID: d5c8e1f0a7b2
Revises: d5a8e3c1f027
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5c8e1f0a7b2'
down_revision = 'd5a8e3c1f027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'moderation_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('undoes_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ),
        sa.ForeignKeyConstraint(['undoes_id'], ['moderation_actions.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('undoes_id'),
    )
    # Nothing refers to comment_audit, so SQLite's copy-and-move of the table loses no row.
    with op.batch_alter_table('comment_audit') as batch:
        batch.add_column(sa.Column('action_id', sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column('prior_reason', sa.String(length=200), server_default='', nullable=False)
        )
        batch.add_column(sa.Column('prior_moderated_by_id', sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column('prior_moderated_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch.create_foreign_key(
            'fk_comment_audit_action_id', 'moderation_actions', ['action_id'], ['id'],
            ondelete='CASCADE',
        )
        batch.create_foreign_key(
            'fk_comment_audit_prior_moderated_by_id', 'users', ['prior_moderated_by_id'], ['id']
        )
        batch.create_index('ix_comment_audit_action_id', ['action_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comment_audit') as batch:
        batch.drop_index('ix_comment_audit_action_id')
        batch.drop_constraint('fk_comment_audit_prior_moderated_by_id', type_='foreignkey')
        batch.drop_constraint('fk_comment_audit_action_id', type_='foreignkey')
        batch.drop_column('prior_moderated_at')
        batch.drop_column('prior_moderated_by_id')
        batch.drop_column('prior_reason')
        batch.drop_column('action_id')
    op.drop_table('moderation_actions')
