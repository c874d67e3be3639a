"""The databases the suite runs on: SQLite always, PostgreSQL when one answers.

`NEWSPORTAL_TEST_DATABASE_URL` names a PostgreSQL server to use (any database on it that we may
connect to; the run creates its own database beside it and drops it at the end). Without it, a
server answering on 127.0.0.1:5432 is used as `postgres@.../test`. The tables are created once
per run in a schema of their own and emptied after each test (creating them per test costs about
a second); a test that needs an empty schema, such as the migrations test, gets a fresh one.
`NEWSPORTAL_TEST_REQUIRE_POSTGRES=1` (set by .ci/run) turns "no server" into a failure instead of
a skip.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from .servers import answers

LOCAL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str | None:
    configured = os.environ.get("NEWSPORTAL_TEST_DATABASE_URL")
    if configured:
        return configured
    return LOCAL_SERVER if answers(5432) else None


@contextmanager
def throwaway_database(purpose: str) -> Iterator[str]:
    """The URL of a new database on the PostgreSQL server, dropped on leaving; a test without a
    server is skipped (failed under NEWSPORTAL_TEST_REQUIRE_POSTGRES)."""
    base = server_url()
    if base is None:
        message = (
            "no PostgreSQL: nothing answers on 127.0.0.1:5432 and no NEWSPORTAL_TEST_DATABASE_URL"
        )
        if os.environ.get("NEWSPORTAL_TEST_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"newsportal_{purpose}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of this run's own on the PostgreSQL server, dropped at the end."""
    with throwaway_database("test") as url:
        yield url


@pytest.fixture
def postgres_schema(postgres_database: str) -> Iterator[str]:
    """A fresh schema for one test: the URL puts it first on the search path."""
    schema = f"t_{secrets.token_hex(6)}"
    engine = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_database).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_tables(postgres_database: str) -> Iterator[tuple[str, Engine]]:
    """One schema holding every table of the models, created once for the whole run, and the
    connection pool that empties it after each test."""
    from newsportal.extensions import db

    schema = "shared"
    engine = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_database).update_query_dict({"options": f"-csearch_path={schema}"})
    tables = create_engine(url, isolation_level="AUTOCOMMIT")
    db.metadata.create_all(tables)
    yield url.render_as_string(hide_password=False), tables
    tables.dispose()
    engine.dispose()


@pytest.fixture
def postgres_emptied(postgres_tables: tuple[str, Engine]) -> Iterator[str]:
    """The shared schema, emptied again once the test is done."""
    from newsportal.extensions import db

    url, engine = postgres_tables
    yield url
    # DELETE, children first: on a few rows it is far quicker than TRUNCATE; one round trip.
    tables = reversed(db.metadata.sorted_tables)
    statements = [str(table.delete().compile(dialect=engine.dialect)) for table in tables]
    with engine.connect() as connection:
        connection.exec_driver_sql(
            "SET lock_timeout = '10s'"
        )  # a leaked connection fails, not hangs
        connection.exec_driver_sql("; ".join(statements))
