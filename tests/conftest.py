"""Fixtures: app, client, runner, a login helper per role, article factory, query counter."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache, FileSystemBytecodeCache
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url

from newsportal import create_app, metrics
from newsportal.articles import services
from newsportal.auth.services import create_user
from newsportal.extensions import db
from newsportal.models import Article, Category, User
from newsportal.text import utcnow

from .databases import (  # noqa: F401 (fixtures)
    postgres_database,
    postgres_emptied,
    postgres_schema,
    postgres_tables,
)

# `make test-quick` sets NEWSPORTAL_TEST_BACKENDS=sqlite for the edit-test loop.
BACKENDS = os.environ.get("NEWSPORTAL_TEST_BACKENDS", "sqlite,postgresql").split(",")
PASSWORD = "mật-khẩu-thử-nghiệm-đủ-dài"
ROLES = ("admin", "editor", "moderator")
# Tests sign in thousands of times: scrypt's cost there proves nothing about the site. A test of
# the hash itself parametrises `password_hash_method` with "scrypt" (tests/test_auth.py).
CHEAP_PASSWORD_HASH = "pbkdf2:sha256:1"
# Databases whose tables the fixtures made (a copy of the template, the shared PostgreSQL schema):
# `serve_app` does not ask the server about every table again.
_SCHEMA_READY: set[str] = set()


def _memoised_url_builders() -> None:
    """Every test builds an app, and werkzeug compiles two URL-building functions per rule from
    an AST each time (about 55 of an app's 63 ms, some 440 rules). A builder depends only on
    the rule's text, its parsed parts and its defaults, and reaches the rule through its first
    argument, so one compiled per distinct rule serves every app: the same code, the same URLs,
    minutes less of the suite. Only where werkzeug still has the method this relies on."""
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None or getattr(original, "memoised", False):
        return
    built: dict[tuple[Any, ...], Any] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Any:
        key = (
            self.rule,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            tuple(sorted(self._converters)),
            append_unknown,
        )
        if key not in built:
            built[key] = original(self, append_unknown)
        return built[key]

    compile_builder.memoised = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


def _memoised_converter_args() -> None:
    """Parsing a rule's converter arguments (`<int(min=1):page>`) runs a long regular expression:
    some 6 ms of each test app's start. The same text always gives the same arguments; each
    caller gets its own copies."""
    from werkzeug.routing import rules

    original = rules.parse_converter_args
    if getattr(original, "memoised", False):
        return
    parsed: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}

    def parse_converter_args(argstr: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if argstr not in parsed:
            parsed[argstr] = original(argstr)
        args, kwargs = parsed[argstr]
        return tuple(args), dict(kwargs)

    parse_converter_args.memoised = True  # type: ignore[attr-defined]
    rules.parse_converter_args = parse_converter_args


class _SharedCompiledCache:
    """SQLAlchemy's compiled statements, shared by every test app's engine.

    An engine keeps the SQL it compiled in a cache of its own, keyed by its dialect object, and
    every test builds a new engine: each test compiled every statement it ran again (about a
    quarter of a small test's time). Dialects built from the same driver and server compile the
    same SQL, so each is looked up under the first one seen with the same make."""

    def __init__(self, size: int) -> None:
        from sqlalchemy.util import LRUCache

        self.compiled: Any = LRUCache(size)
        self.first: dict[tuple[Any, ...], Any] = {}

    def _key(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        dialect = key[0]
        make = (
            type(dialect),
            dialect.server_version_info,
            dialect.paramstyle,
            dialect.label_length,
            id(getattr(dialect, "_json_serializer", None)),
            id(getattr(dialect, "_json_deserializer", None)),
        )
        return (self.first.setdefault(make, dialect), *key[1:])

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        return self.compiled.get(self._key(key), default)

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        self.compiled[self._key(key)] = value


# The shared PostgreSQL schema's URL (databases.py): every test app on it gets one engine.
_POOLED_URLS: set[str] = set()


def _shared_engines() -> None:
    """Each test app makes its engine through Flask-SQLAlchemy; two things are shared here.

    Every engine looks its compiled SQL up in one cache (_SharedCompiledCache). And the apps on
    the shared PostgreSQL schema get one engine, with the same options one each: a new engine
    per test opened a new server connection and asked the server about itself again, a dozen
    round trips per test before any of its own. Its pooled connections are rolled back when
    returned, as a disposed engine's were; `serve_app` leaves that engine open."""
    from flask_sqlalchemy import SQLAlchemy

    original = SQLAlchemy._make_engine
    if getattr(original, "shared", False):
        return
    compiled = _SharedCompiledCache(5000)
    pooled: dict[str, Any] = {}

    def make_engine(
        self: SQLAlchemy, bind_key: str | None, options: dict[str, Any], app: Flask
    ) -> Any:
        url = make_url(options["url"]).render_as_string(hide_password=False)
        key = repr((bind_key, url, sorted((k, v) for k, v in options.items() if k != "url")))
        if url in _POOLED_URLS and key in pooled:
            return pooled[key]
        engine = original(self, bind_key, options, app)
        if engine._compiled_cache is not None:  # unless an app turned caching off
            engine._compiled_cache = compiled
        if url in _POOLED_URLS:
            pooled[key] = engine
            _POOLED_ENGINES.add(id(engine))
        return engine

    make_engine.shared = True  # type: ignore[attr-defined]
    SQLAlchemy._make_engine = make_engine  # type: ignore[method-assign]


_POOLED_ENGINES: set[int] = set()


def _static_hashes_once() -> None:
    """Every test app hashes the project's static files at start-up (a few ms each); they do
    not change during a run. Another folder (a test's own) is hashed each time."""
    from newsportal import ROOT, static_urls

    original = static_urls.file_hashes
    project = (ROOT / "static").resolve()
    kept: dict[str, str] = {}

    def file_hashes(folder: Path) -> dict[str, str]:
        if Path(folder).resolve() != project:
            return original(folder)
        if not kept:
            kept.update(original(folder))
        return dict(kept)

    static_urls.file_hashes = file_hashes


_memoised_url_builders()
_memoised_converter_args()
_shared_engines()
_static_hashes_once()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tables (with the full-text structures) built once; each test gets a copy (~1 ms)."""
    from newsportal.extensions import db

    path = tmp_path_factory.mktemp("schema") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Every test that uses the database runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        if request.node.get_closest_marker("sqlite_only"):
            reason = str(request.node.get_closest_marker("sqlite_only").args[0])
            pytest.skip("SQLite only: " + reason)
        url = str(request.getfixturevalue("postgres_emptied"))
        _POOLED_URLS.add(make_url(url).render_as_string(hide_password=False))
    _SCHEMA_READY.add(url)
    return url


@pytest.fixture(params=BACKENDS)
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty database (no tables), for tests of the migrations themselves."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return str(request.getfixturevalue("postgres_schema"))


@pytest.fixture
def password_hash_method() -> str:
    return CHEAP_PASSWORD_HASH


@pytest.fixture
def app_config(database_url: str, password_hash_method: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-anything",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": password_hash_method,
        "DEMO_PICTURE_SIZE": [480, 300],  # one small copy each: `demo load` runs in many tests
    }


@pytest.fixture(scope="session")
def template_bytecode(tmp_path_factory: pytest.TempPathFactory) -> BytecodeCache:
    """Compiled templates shared by every test app: Jinja would compile each one per app."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


def serve_app(config: dict[str, Any], bytecode: BytecodeCache) -> Iterator[Flask]:
    """A fixture's app on `config`: its tables made (unless a fixture made them already), its
    connections closed at the end."""
    application = create_app(config)
    application.jinja_env.bytecode_cache = bytecode
    # Contexts are pushed where a test needs them, never held across requests (Flask 3.1).
    if config["SQLALCHEMY_DATABASE_URI"] not in _SCHEMA_READY:
        with application.app_context():
            db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        if id(db.engine) not in _POOLED_ENGINES:
            db.engine.dispose()  # a PostgreSQL connection per test would soon use up the server


@pytest.fixture
def app(
    app_config: dict[str, Any],
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    template_bytecode: BytecodeCache,
) -> Iterator[Flask]:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    yield from serve_app(app_config, template_bytecode)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., int]:
    def make(role: str, email: str | None = None, active: bool = True) -> int:
        with app.app_context():
            user = create_user(email or f"{role}@example.org", f"Người {role}", role, PASSWORD)
            if not active:
                user.active = False
                db.session.commit()
            return user.id

    return make


class Auth:
    def __init__(self, client: FlaskClient, make_user: Callable[..., int]) -> None:
        self.client = client
        self.make_user = make_user

    def login(self, role: str) -> Any:
        self.make_user(role)
        return self.client.post(
            "/login", data={"email": f"{role}@example.org", "password": PASSWORD}
        )

    def as_role(self, role: str | None) -> None:
        """None stays anonymous."""
        if role is not None:
            response = self.login(role)
            assert response.status_code == 302


@pytest.fixture
def auth(client: FlaskClient, make_user: Callable[..., int]) -> Auth:
    return Auth(client, make_user)


@pytest.fixture
def make_category(app: Flask) -> Callable[..., int]:
    def make(name: str = "Thời sự", position: int = 0) -> int:
        with app.app_context():
            return services.save_category(None, name, "", position).id

    return make


@pytest.fixture
def make_article(app: Flask) -> Callable[..., Article]:
    """Create an article through the service. `when`: minutes from now; None = a draft."""

    def make(
        title: str = "Bài viết thử nghiệm",
        when: float | None = -60,
        category_id: int | None = None,
        lead: str = "Đoạn sapo của bài viết.",
        body: str = "Nội dung **chính** của bài.",
        byline: str = "Minh Hằng",
    ) -> Article:
        with app.app_context():
            data = services.ArticleData(
                title=title,
                lead=lead,
                body_md=body,
                byline=byline,
                category_id=category_id,
                published_at=None if when is None else utcnow() + timedelta(minutes=when),
            )
            article = services.save_article(
                None, data, None, "publish" if when is not None else "save"
            )
            db.session.refresh(article)
            db.session.expunge(article)
            return article

    return make


@pytest.fixture
def version_reads(database_url: str) -> int:
    """The queries a cached page costs: the content version's row on PostgreSQL; none on an
    SQLite file while nothing was committed since this thread last read it (sqlite_watch.py)."""
    return 0 if database_url.startswith("sqlite") else 1


@pytest.fixture
def count_queries(app: Flask) -> Callable[[Callable[[], Any]], int]:
    """Run a callable and return how many SQL statements it sent."""

    def run(action: Callable[[], Any]) -> int:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            action()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    return run


@pytest.fixture
def is_cached(
    count_queries: Callable[[Callable[[], Any]], int],
) -> Callable[[FlaskClient, str], bool]:
    """Whether a GET of this URL is answered from the page cache, as the site's own counter
    says, reading the content version at most."""

    def counted(result: str) -> float:
        return metrics.PAGE_CACHE.labels(result)._value.get()  # this process's count

    def check(client: FlaskClient, url: str) -> bool:
        hits, misses = counted("hit"), counted("miss")
        queries = count_queries(lambda: client.get(url))
        found = (counted("hit") - hits, counted("miss") - misses) == (1, 0)
        assert queries <= 1 or not found, f"{url}: a hit read {queries} times"
        return found

    return check


@pytest.fixture
def csrf_app(
    app_config: dict[str, Any],
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    template_bytecode: BytecodeCache,
) -> Iterator[Flask]:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    yield from serve_app({**app_config, "WTF_CSRF_ENABLED": True}, template_bytecode)


def get_user(app: Flask, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(db.select(User).where(User.email == email))


def all_articles(app: Flask) -> list[Article]:
    with app.app_context():
        return list(db.session.scalars(db.select(Article).order_by(Article.id)))


def all_categories(app: Flask) -> list[Category]:
    with app.app_context():
        return list(db.session.scalars(db.select(Category).order_by(Category.id)))


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings in the developer's shell must not change what the tests see."""
    for key in list(os.environ):
        if key.startswith("NEWSPORTAL_") and not key.startswith(
            ("NEWSPORTAL_INSTANCE_PATH", "NEWSPORTAL_TEST_")
        ):
            monkeypatch.delenv(key)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Every test leaves an app's worth of cyclic garbage, and each full collection also walked
    every module, class and function imported: about 8 s in every 35 of a run went to the
    collector. The imports are frozen out of its view, and it runs a tenth as often; what a
    test leaves is still collected, in bigger batches."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 10, 10)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A `sqlite_only` test is not collected on PostgreSQL at all (no skip to read past).

    Under pytest-xdist the Makefile uses `--dist loadfile`: a file's tests run on one worker in
    order, so a module-wide fixture (the authorization matrix's app, the fuzz site whose last
    test reads every row the others left) is built once. (`--dist loadgroup` with markers added
    here did not group anything with this pytest and xdist: the fuzz check then saw half the
    rows.)"""
    elsewhere = {
        item
        for item in items
        if item.get_closest_marker("sqlite_only")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("database_url") == "postgresql"
    }
    if elsewhere:
        config.hook.pytest_deselected(items=[item for item in items if item in elsewhere])
        items[:] = [item for item in items if item not in elsewhere]
    _long_files_first(items)


def _long_files_first(items: list[pytest.Item]) -> None:
    """Files holding a `slow` or `browser` test are handed out first, so the long ones run
    while the many short files fill the other worker, instead of one worker ending alone on a
    corpus file. A stable sort by file: every worker computes the same order, and a file's
    tests keep theirs."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    browser = {item.path for item in items if item.get_closest_marker("browser")}
    # The slowest (the XSS corpus files) before the browser files; the Makefile keeps xdist from
    # reordering files by their number of tests, which would put the corpus files last.
    items.sort(key=lambda item: (item.path not in slow, item.path not in browser))
