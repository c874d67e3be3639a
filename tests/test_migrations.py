"""The migrations build exactly the schema the models describe."""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from newsportal import create_app
from newsportal.database import include_object
from newsportal.extensions import db
from newsportal.models import ArticleRevision, Comment, PageRevision, Revision


def test_upgrade_gives_exactly_the_models_schema(fresh_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    migrated = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": fresh_database_url}
    )
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        with db.engine.connect() as connection:
            names = db.inspect(connection).get_table_names()
        assert set(names) <= {"alembic_version"}
        db.session.remove()
        db.engine.dispose()


BEFORE_ONE_TABLE = "5d1e0b7a2c93"  # the last head with article_revisions and page_revisions
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _insert(connection, table_name, /, **values):
    """A row with `values`; any other required column gets a plain value of its type."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None:
            continue
        if column.primary_key:
            continue
        python_type = column.type.python_type
        filler = {str: f"{table_name}-{column.name}", int: 0, bool: False, datetime: NOW}
        values[column.name] = filler[python_type]
    connection.execute(table.insert().values(**values))


def test_both_revision_tables_move_into_one(fresh_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    migrated = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": fresh_database_url}
    )
    old = {
        "article_revisions": [(1, 1, "Bài một", "save"), (2, 1, "Bài một, sửa", "restore:1")],
        "page_revisions": [
            (1, 1, "Trang một", "save"),
            (2, 2, "Trang hai", "save"),
            (3, 1, "Trang một, khôi phục", "restore:1"),
        ],
    }
    with migrated.app_context():
        upgrade(revision=BEFORE_ONE_TABLE)
        with db.engine.begin() as connection:
            _insert(connection, "users", id=1, email="bt@example.org", name="Biên tập")
            _insert(connection, "articles", id=1, slug="bai-mot", title="Bài một")
            # On the same way up and down: an erased comment's stored "Ẩn danh" becomes NULL
            # (d5a8c3e1f472); a reader who calls themself that, with an email, keeps the name.
            for comment_id, email in ((1, ""), (2, "an@example.org")):
                _insert(
                    connection, "comments", id=comment_id, article_id=1, name="Ẩn danh", email=email
                )
            for page_id in (1, 2):
                _insert(connection, "pages", id=page_id, slug=f"trang-{page_id}")
            for table, owner in (
                ("article_revisions", "article_id"),
                ("page_revisions", "page_id"),
            ):
                for rev_id, owner_id, title, note in old[table]:
                    _insert(
                        connection,
                        table,
                        id=rev_id,
                        title=title,
                        note=note,
                        user_id=1,
                        lead=f"Sapo {title}",
                        body_md=f"Thân *{title}*",
                        created_at=NOW,
                        **{owner: owner_id},
                    )
        upgrade()
        articles = db.session.scalars(db.select(ArticleRevision).order_by(Revision.id)).all()
        pages = db.session.scalars(db.select(PageRevision).order_by(Revision.id)).all()
        assert [(r.id, r.article_id, r.title, r.note) for r in articles] == old["article_revisions"]
        # page revisions are numbered on after the articles' and their restore notes follow
        assert [(r.id, r.page_id, r.title, r.note) for r in pages] == [
            (3, 1, "Trang một", "save"),
            (4, 2, "Trang hai", "save"),
            (5, 1, "Trang một, khôi phục", "restore:3"),
        ]
        for r in [*articles, *pages]:
            assert (r.user_id, r.lead, r.body_md) == (1, f"Sapo {r.title}", f"Thân *{r.title}*")
            assert r.created_at == NOW
        names = db.session.execute(db.select(Comment.id, Comment.name).order_by(Comment.id))
        assert names.all() == [(1, None), (2, "Ẩn danh")]
        added = PageRevision(page_id=2, title="Mới", lead="", body_md="", note="save")
        db.session.add(added)
        db.session.commit()
        assert added.id == 6  # the id sequence was moved past the rows given ids
        db.session.remove()
        downgrade(revision=BEFORE_ONE_TABLE)
        with db.engine.connect() as connection:
            back = connection.execute(sa.text("SELECT id, page_id, title FROM page_revisions"))
            assert sorted(back) == [
                (3, 1, "Trang một"),
                (4, 2, "Trang hai"),
                (5, 1, "Trang một, khôi phục"),
                (6, 2, "Mới"),
            ]
            names = connection.execute(sa.text("SELECT id, name FROM comments ORDER BY id"))
            assert names.all() == [(1, "Ẩn danh"), (2, "Ẩn danh")]
        db.session.remove()
        db.engine.dispose()
