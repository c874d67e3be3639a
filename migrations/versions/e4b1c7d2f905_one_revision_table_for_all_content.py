"""articles and information pages share one revision table

Revision ID: e4b1c7d2f905
Revises: 5d1e0b7a2c93
Create Date: 2026-12-01 20:30:00

Every row of article_revisions and page_revisions moves to `revisions`, with `kind` saying which
table `content_id` points into. Article revisions keep their ids; page revisions are numbered on
after them (the two tables counted from 1 each), and a page's "restore:N" notes follow.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b1c7d2f905'
down_revision = '5d1e0b7a2c93'
branch_labels = None
depends_on = None

TEXT_COLUMNS = "user_id, created_at, title, lead, body_md"


def _create(name, owner_column, owner_table):
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column(owner_column, sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('lead', sa.Text(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint([owner_column], [f'{owner_table}.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_{owner_column}'), [owner_column], unique=False)


def _drop(name, owner_column):
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f'ix_{name}_{owner_column}'))
    op.drop_table(name)


def _move_sequence_past(connection, table):
    if connection.dialect.name == "postgresql":  # ids were given: the next one follows them
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        ))


def upgrade():
    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('lead', sa.Text(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index('ix_revisions_kind_content_id', ['kind', 'content_id'], unique=False)

    connection = op.get_bind()
    connection.execute(sa.text(
        f"INSERT INTO revisions (id, kind, content_id, {TEXT_COLUMNS}, note) "
        f"SELECT id, 'article', article_id, {TEXT_COLUMNS}, note FROM article_revisions"
    ))
    offset = connection.scalar(sa.text("SELECT COALESCE(max(id), 0) FROM article_revisions"))
    connection.execute(
        sa.text(
            f"INSERT INTO revisions (id, kind, content_id, {TEXT_COLUMNS}, note) "
            f"SELECT id + :offset, 'page', page_id, {TEXT_COLUMNS}, "
            "CASE WHEN note LIKE 'restore:%' "
            "THEN 'restore:' || CAST(CAST(SUBSTR(note, 9) AS INTEGER) + :offset AS VARCHAR(20)) "
            "ELSE note END FROM page_revisions"
        ),
        {"offset": offset},
    )
    _move_sequence_past(connection, "revisions")
    _drop('article_revisions', 'article_id')
    _drop('page_revisions', 'page_id')


def downgrade():
    _create('article_revisions', 'article_id', 'articles')
    _create('page_revisions', 'page_id', 'pages')
    connection = op.get_bind()
    for table, owner_column, kind in (
        ("article_revisions", "article_id", "article"), ("page_revisions", "page_id", "page")
    ):
        connection.execute(
            sa.text(
                f"INSERT INTO {table} (id, {owner_column}, {TEXT_COLUMNS}, note) "
                f"SELECT id, content_id, {TEXT_COLUMNS}, note FROM revisions WHERE kind = :kind"
            ),
            {"kind": kind},
        )
        _move_sequence_past(connection, table)
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_revisions_kind_content_id')
    op.drop_table('revisions')
