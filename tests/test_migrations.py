"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from newsportal import create_app
from newsportal.database import include_object
from newsportal.extensions import db


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
