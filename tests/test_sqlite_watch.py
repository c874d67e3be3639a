"""On an SQLite file, a cached page costs no query while nothing was committed, and any commit,
from any connection or process, is seen by the next request (sqlite_watch.py)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from newsportal import sqlite_watch
from newsportal.extensions import db


@pytest.fixture
def article_url(make_article) -> str:
    return f"/articles/{make_article('Tin theo dõi phiên bản').slug}"


def _sqlite_path(app) -> str:
    with app.app_context():
        if db.engine.url.get_backend_name() != "sqlite":
            pytest.skip("PostgreSQL: the version is read on each hit")
        return str(db.engine.url.database)


def test_a_commit_by_another_process_is_seen_by_the_next_request(
    app, client, article_url, is_cached
):
    path = _sqlite_path(app)
    client.get(article_url)
    assert is_cached(client, article_url)
    with sqlite3.connect(path) as other:  # as another app server would
        other.execute("UPDATE content_state SET version = version + 1")
    assert not is_cached(client, article_url)  # rendered again for the new version
    assert is_cached(client, article_url)


def test_a_commit_that_changes_no_page_costs_one_read(app, client, article_url, count_queries):
    path = _sqlite_path(app)
    client.get(article_url)
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE scratch (x)")  # a commit no page shows
    assert count_queries(lambda: client.get(article_url)) == 1  # the version, once
    assert count_queries(lambda: client.get(article_url)) == 0


def test_each_thread_asks_on_its_own_connection(app):
    _sqlite_path(app)
    seen: list[int | None] = []
    with app.app_context():
        engine = db.engine
        threads = [threading.Thread(target=lambda: seen.append(sqlite_watch.data_version(engine)))]
        threads.append(
            threading.Thread(target=lambda: seen.append(sqlite_watch.data_version(engine)))
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seen.append(sqlite_watch.data_version(engine))
    assert len(seen) == 3
    assert all(isinstance(value, tuple) for value in seen)


def test_postgresql_and_memory_databases_are_not_watched(app):
    with app.app_context():
        if db.engine.url.get_backend_name() == "sqlite":
            from sqlalchemy import create_engine

            assert sqlite_watch.data_version(create_engine("sqlite://")) is None
        else:
            assert sqlite_watch.data_version(db.engine) is None


def test_a_failing_watch_falls_back_to_reading_the_version(
    app, client, article_url, monkeypatch, count_queries
):
    _sqlite_path(app)
    client.get(article_url)

    class Refusing:
        Error = sqlite3.Error

        @staticmethod
        def connect(*_args, **_kwargs):
            raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite_watch._asker, "connection", None)
    monkeypatch.setattr(sqlite_watch, "sqlite3", Refusing)  # the watch's, not SQLAlchemy's
    response = client.get(article_url)
    assert response.status_code == 200
    assert count_queries(lambda: client.get(article_url)) == 1  # the version, as on PostgreSQL


def test_a_new_watch_connection_never_matches_what_an_old_one_saw(
    app, client, article_url, is_cached
):
    """A data_version counts on one connection only: a new one starts again from the same
    numbers, so a page kept under the old one must not be taken as current."""
    path = _sqlite_path(app)
    client.get(article_url)
    assert is_cached(client, article_url)
    with sqlite3.connect(path) as other:
        other.execute("UPDATE content_state SET version = version + 1")
    sqlite_watch._asker.connection = None  # as after an error or a fork: connected anew
    assert not is_cached(client, article_url)  # the new version, read


def test_a_path_with_uri_characters_is_watched_on_the_right_file(tmp_path):
    folder = tmp_path / "tin #1 100%"
    folder.mkdir()
    path = folder / "site.db"
    with sqlite3.connect(path) as writer:
        writer.execute("CREATE TABLE t (x)")
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    first = sqlite_watch.data_version(engine)
    with sqlite3.connect(path) as writer:
        writer.execute("INSERT INTO t VALUES (1)")
    assert sqlite_watch.data_version(engine) != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tin #1 100%"]  # no stray file
    engine.dispose()
