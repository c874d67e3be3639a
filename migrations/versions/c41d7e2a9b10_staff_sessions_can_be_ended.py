"""staff sessions can be ended: a per-user token in the session id

Revision ID: c41d7e2a9b10
Revises: 3f3c1f54fc8d
Create Date: 2026-11-29 23:50:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41d7e2a9b10'
down_revision = '3f3c1f54fc8d'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "users", sa.Column("session_token", sa.String(length=64), nullable=False, server_default="")
    )
    # Each account gets its own token; sessions signed before this change carry none and end.
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(24))
        )


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_token")
