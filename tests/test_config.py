"""Configuration: zero-config locally, refuses to run unsafe in production."""

import sqlite3

import pytest

from newsportal import create_app
from newsportal.config import UnsafeConfiguration


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "inst"))
    return tmp_path / "inst"


def test_zero_configuration_uses_sqlite_in_instance_and_a_kept_secret(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'newsportal.db'}"
    key = app.config["SECRET_KEY"]
    assert len(key) >= 32
    assert (instance / "secret_key").read_text() == key
    assert create_app().config["SECRET_KEY"] == key


@pytest.mark.parametrize("secret", [None, "short-key"])
def test_production_refuses_to_start_without_a_real_secret(instance, monkeypatch, secret):
    monkeypatch.setenv("NEWSPORTAL_ENV", "production")
    if secret:
        monkeypatch.setenv("NEWSPORTAL_SECRET_KEY", secret)
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_SECRET_KEY"):
        create_app()
    assert not (instance / "secret_key").exists()


def test_production_with_a_real_secret_serves_secure_cookies(instance, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_ENV", "production")
    monkeypatch.setenv("NEWSPORTAL_SECRET_KEY", "k" * 48)
    monkeypatch.setenv("NEWSPORTAL_PUBLIC_URL", "https://portal.example.gov.vn")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_variables_are_read(instance, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSPORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("NEWSPORTAL_ARTICLES_PER_PAGE", "7")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'env.db'}"
    assert app.config["ARTICLES_PER_PAGE"] == 7


def test_the_mapping_given_to_create_app_wins(instance, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_ARTICLES_PER_PAGE", "7")
    assert create_app({"ARTICLES_PER_PAGE": 3}).config["ARTICLES_PER_PAGE"] == 3


@pytest.mark.sqlite_only("the pragmas that let SQLite take concurrent writers")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app, tmp_path):
    from newsportal.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    raw = sqlite3.connect(tmp_path / "test.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_every_form_is_csrf_protected(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "hết hạn" in response.get_data(as_text=True)


def test_migrating_works_with_a_secret_set_and_no_instance_folder_yet(instance, monkeypatch):
    from flask_migrate import upgrade

    monkeypatch.setenv("NEWSPORTAL_SECRET_KEY", "k" * 48)
    app = create_app()
    with app.app_context():
        upgrade()
    assert (instance / "newsportal.db").exists()


@pytest.mark.parametrize("value", ["prod", "Production", "staging", "dev", ""])
def test_an_unknown_environment_refuses_to_start(instance, monkeypatch, value):
    monkeypatch.setenv("NEWSPORTAL_ENV", value)
    monkeypatch.setenv("NEWSPORTAL_SECRET_KEY", "k" * 48)
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app()
    assert f"NEWSPORTAL_ENV={value!r}" in str(refused.value)
    assert "development, production" in str(refused.value)
    assert not instance.exists()  # refused before anything was written


@pytest.mark.parametrize("value", ["development", "production"])
def test_the_known_environments_start(instance, monkeypatch, value):
    monkeypatch.setenv("NEWSPORTAL_ENV", value)
    monkeypatch.setenv("NEWSPORTAL_SECRET_KEY", "k" * 48)
    monkeypatch.setenv("NEWSPORTAL_PUBLIC_URL", "https://portal.example.gov.vn")
    assert create_app().config["ENV"] == value


SEVERAL_MACHINES_WARNING = "other machines cannot share"


@pytest.mark.parametrize(
    ("storage", "database", "warned"),
    [
        ("database", "sqlite:///{tmp}/site.db", True),
        ("database", "postgresql+psycopg://newsportal@db.internal/newsportal", False),
        ("local", "sqlite:///{tmp}/site.db", False),
        (None, "sqlite:///{tmp}/site.db", False),
    ],
)
def test_sqlite_warns_only_when_the_storage_says_several_machines(
    instance, tmp_path, caplog, storage, database, warned
):
    config = {"SQLALCHEMY_DATABASE_URI": database.format(tmp=tmp_path)}
    if storage:
        config["STORAGE_BACKEND"] = storage
    with caplog.at_level("WARNING", logger="newsportal"):
        create_app(config)
    messages = [r.getMessage() for r in caplog.records if r.name == "newsportal"]
    assert any(SEVERAL_MACHINES_WARNING in m for m in messages) is warned


def test_sqlite_with_redis_and_several_workers_starts_without_a_warning(instance, caplog):
    # the supported one-machine site: SQLite, Redis for the cache and counters, local uploads
    config = {"REDIS_URL": "redis://127.0.0.1:6379/0", "STORAGE_BACKEND": "local"}
    with caplog.at_level("WARNING"):
        create_app(config)
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


@pytest.mark.parametrize(
    "name", ["PAGE_CACHE_ENTRIES", "PAGE_CACHE_MEGABYTES", "PAGE_CACHE_SECONDS"]
)
@pytest.mark.parametrize("value", ["0", "-5", "lots", "true", "[]"])
def test_a_page_cache_bound_that_is_not_a_positive_number_refuses_to_start(
    instance, monkeypatch, name, value
):
    monkeypatch.setenv(f"NEWSPORTAL_{name}", value)
    with pytest.raises(UnsafeConfiguration, match=f"NEWSPORTAL_{name}"):
        create_app()


def test_the_page_cache_bounds_can_be_set(instance, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_PAGE_CACHE_ENTRIES", "200")
    monkeypatch.setenv("NEWSPORTAL_PAGE_CACHE_MEGABYTES", "2.5")
    pages = create_app().extensions["newsportal.pagestore"]
    assert (pages.max_entries, pages.max_bytes) == (200, int(2.5 * 1024 * 1024))
