"""Configuration: safe local defaults, then NEWSPORTAL_* environment variables, then overrides.

Local use needs nothing set: SQLite in instance/ and a secret key generated once into instance/.
Production refuses to start on that generated key.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping
from email.utils import formataddr
from pathlib import Path
from typing import Any

from flask import Flask

from . import keys
from .files import private_folder
from .hosts import parse_hosts
from .security import CONTENT_SECURITY_POLICY
from .storage import BACKENDS as STORAGE_BACKENDS
from .urls import origin_host, parse_origin

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "SITE_NAME": "Cổng Thông tin điện tử tỉnh Đồng Tháp",  # the full name, with the province
    "SITE_LOGO": "img/logo.svg",  # the header's logo, a file under static/
    "HOTLINE": None,  # the header's hotline; None: the editorial contact's phone (CONTACTS)
    "ARTICLES_PER_PAGE": 10,
    "EDITOR_PER_PAGE": 25,
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "WTF_CSRF_TIME_LIMIT": None,  # a reader may take an hour over a comment; the session bounds it
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ["vi", "en"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Request bodies: uploads (a 15 MB PDF with its form) up to MAX_CONTENT_LENGTH; other staff
    # forms up to MAX_FORM_BYTES (a 200,000-character article, percent-encoded, fits); the public
    # comment and login forms up to PUBLIC_FORM_MAX_BYTES. Past a limit: the 413 page.
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "CONTENT_SECURITY_POLICY": CONTENT_SECURITY_POLICY,
    "PROXY_HOPS": 0,  # reverse proxies in front whose X-Forwarded-For is trusted
    "STAFF_IDLE_MINUTES": 60,  # a staff session unused this long signs out; 0 turns it off
    # Failed sign-ins only (auth/services.py). Per account from one address: that pair alone is
    # refused, so a stranger's guesses never lock the owner out. Per address, any account: one
    # office behind NAT still gets in. Per account from every address: a botnet's ceiling; past
    # it only addresses where the account signed in within LOGIN_KNOWN_ADDRESS_DAYS get in.
    "LOGIN_RATE_LIMIT_PAIR": "5 per 15 minutes",
    "LOGIN_RATE_LIMIT_IP": "20 per 15 minutes",
    "LOGIN_RATE_LIMIT_ACCOUNT": "50 per hour",
    "LOGIN_KNOWN_ADDRESS_DAYS": 30,
    # werkzeug's generate_password_hash method; the test suite alone sets a cheap one.
    "PASSWORD_HASH_METHOD": "scrypt",
    "MAX_FORM_BYTES": 4 * 1024 * 1024,
    "PUBLIC_FORM_MAX_BYTES": 64 * 1024,
    "MAX_FORM_MEMORY_SIZE": 500_000,  # one multipart text field (Flask's default, kept on purpose)
    "MAX_FORM_PARTS": 1000,  # multipart fields and files; a bulk moderation page sends 50 ids
    # The two bodies a reader may contact, each written once: the footer, "Liên hệ" and "Nơi gửi
    # đơn" all show these (templates/_partials/contact.html). `sample` names the fields the agency
    # has not confirmed; the block marks them. The reception office's address and hours are the
    # ones its 09/2025 rules publish; everything else is a sample on the example.gov.vn domain.
    "CONTACTS": {
        "editorial": {
            "name": "Ban Biên tập Cổng Thông tin điện tử tỉnh Đồng Tháp",
            "address": "Số 00, đường Mẫu, phường Đạo Thạnh, tỉnh Đồng Tháp",
            "phone": "0277 3 000 111",
            "email": "bbt@example.gov.vn",
            "hours": "Các ngày làm việc: sáng từ 7:00 đến 11:30, chiều từ 13:30 đến 17:00",
            "sample": ["address", "phone", "email", "hours"],
        },
        "reception": {
            "name": "Trụ sở Tiếp công dân tỉnh Đồng Tháp",
            "address": "Số 488, ấp 4, Quốc lộ 50, phường Đạo Thạnh, tỉnh Đồng Tháp",
            "phone": "0277 3 000 000",
            "email": "tiepcongdan@example.gov.vn",
            "hours": "Tất cả các ngày làm việc: sáng từ 7:00 đến 11:30, chiều từ 13:30 đến 17:00",
            "sample": ["phone", "email"],
        },
    },
    # Who answers for commenters' personal data, as the privacy note ("Bảo vệ dữ liệu cá nhân",
    # templates/pages/_privacy.html) names them: the controller (the agency), the processor (who
    # hosts the site for it; None when the agency hosts it itself) and the data-protection
    # contact point. `sample` names the parties the agency has not confirmed; the note marks
    # them. The periods the note shows are the retention settings below, as the job reads them.
    "PRIVACY": {
        "controller": {
            "name": "Ủy ban nhân dân tỉnh Đồng Tháp",
            "address": "Số 00, đường Mẫu, phường Đạo Thạnh, tỉnh Đồng Tháp",
            "phone": "0277 3 000 100",
            "email": "ubnd@example.gov.vn",
        },
        "processor": {
            "name": "Đơn vị cung cấp máy chủ và hạ tầng vận hành Cổng Thông tin điện tử",
            "address": "Số 00, đường Mẫu, phường Đạo Thạnh, tỉnh Đồng Tháp",
            "phone": "0277 3 000 200",
            "email": "hatang@example.gov.vn",
        },
        "contact": {
            "name": "Đầu mối bảo vệ dữ liệu cá nhân, Ban Biên tập Cổng Thông tin điện tử tỉnh",
            "address": "Số 00, đường Mẫu, phường Đạo Thạnh, tỉnh Đồng Tháp",
            "phone": "0277 3 000 111",
            "email": "dulieucanhan@example.gov.vn",
        },
        "sample": ["controller", "processor", "contact"],
    },
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": False,
    # Redis down or full: Flask-Limiter's decorators count in process memory (ratelimits.py does
    # the same for the comment pipeline and the sign-in throttle). Errors are not swallowed: a
    # limit that cannot count must not let everything through.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": False,
    "RATELIMIT_STORAGE_RETRY_SECONDS": 30,  # on memory this long before Redis is tried again
    "COMMENT_MIN_SECONDS": 3,
    "COMMENT_RATE_LIMIT": "5 per 10 minutes",
    "COMMENT_FORM_MAX_AGE": 2 * 24 * 3600,  # a form left open over a weekend day still sends
    "COMMENTS_CLOSE_AFTER_DAYS": 0,  # 0: comments stay open until an editor closes them
    "MODERATION_PER_PAGE": 50,
    "MODERATION_UNDO_MINUTES": 10,  # how long the last moderation action can be undone
    "SECTION_PER_PAGE": 20,  # published results and past reception sessions
    "DOCUMENT_MAX_BYTES": 15 * 1024 * 1024,  # PDFs of published results
    "PAGE_CACHE_ENABLED": True,
    "PAGE_CACHE_SECONDS": 3600,  # bounded so a shared page's comment timestamp stays fresh
    "PAGE_CACHE_ENTRIES": 5000,  # per app server when not on Redis (pagestore.LocalPages)
    "PAGE_CACHE_MEGABYTES": 32,  # the same pages' bodies: whichever bound comes first
    "PAGE_CACHE_PREFIX": "newsportal:",
    "FRAGMENT_CACHE_ENABLED": True,  # the sidebar rendered once per version (articles/sidebar.py)
    "SIDEBAR_SECONDS": 60,  # the longest its most-read ranking is kept
    "HTTP_CACHE_MAX_AGE": 60,  # what browsers and a CDN may keep a shared reader page for
    # What the proxy in front (deploy/nginx) may keep any public answer for before it
    # revalidates with the ETag: the freshness bound deploy/README.md promises (shared_caches.py).
    "PROXY_MAX_AGE": 10,
    "SEARCH_PER_PAGE": 10,
    "IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 50_000_000,  # a 48-megapixel phone photo fits; a decompression bomb not
    # Pixels decoded at once, the memory bound of an upload: a PNG or WebP larger than this is
    # refused; a larger JPEG is decoded at 1/2, 1/4 or 1/8 of its size (see media/services.py).
    "IMAGE_MAX_DECODED_PIXELS": 16_000_000,
    # Width and height of the pictures `flask demo load` draws; the tests load the demo often and
    # set a small size, each upload's copies being what costs the time.
    "DEMO_PICTURE_SIZE": [1600, 1000],
    "SITEMAP_MAX_URLS": 50_000,  # the sitemaps.org limit per file; past it, an index
    "LOG_FORMAT": None,  # json | text; None: json in production, text elsewhere (logs.py)
    "LOG_LEVEL": "INFO",
    "METRICS_ALLOWED_IPS": ["127.0.0.1/32", "::1/128"],  # who may read /metrics (metrics.py)
    "SECURITY_EVENTS_KEEP_DAYS": 365,  # `flask comments purge` deletes older security events
    # Retention (comments/retention.py), run hourly by the site's own comment writes and nightly
    # by deploy/'s timer: spam and rejected comments go after COMMENT_PURGE_DAYS, the browser's
    # User-Agent is cleared after USER_AGENT_KEEP_DAYS; an automatic run does RETENTION_BATCH
    # rows per kind at most.
    "COMMENT_PURGE_DAYS": 30,
    "USER_AGENT_KEEP_DAYS": 30,
    "RETENTION_BATCH": 1000,
    # What erasing a person's data does to their comments: "anonymise" keeps the text under
    # no name, email, address hash or User-Agent; "delete" removes the comments and their
    # moderation history (comments/personal_data.py).
    "ERASURE_MODE": "anonymise",
    # Where uploaded pictures and result PDFs live (newsportal/storage/): "local", UPLOAD_FOLDER
    # on this machine, or "database", so every app server on one database serves them.
    "STORAGE_BACKEND": "local",
    # Email (newsportal/mail/): every message is an outbox row, written with the change that
    # causes it and sent by `flask mail send` (deploy/'s timer), so a slow or stopped mail server
    # never slows a request and loses nothing. MAIL_BACKEND: smtp, console (printed on the
    # terminal), file (a file per run in MAIL_FILE_PATH, instance/mail by default) or locmem
    # (kept in memory: tests); None: smtp in production, console in development, locmem in tests.
    # The other MAIL_* keys are Flask-Mailman's own.
    "MAIL_BACKEND": None,
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS on MAIL_PORT (usually 587)
    "MAIL_USE_SSL": False,  # TLS from the start (usually 465)
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": None,  # None: "SITE_NAME <no-reply@the public host>"
    "MAIL_TIMEOUT": 10,  # seconds a sender waits for the server before the row is retried
    "MAIL_BATCH": 100,  # rows one `flask mail send` run sends at most
    "MAIL_LOOP_SECONDS": 30,  # `flask mail send --loop`: the pause between runs
    "MAIL_RETRY_MAX_MINUTES": 360,  # retries back off 1, 2, 4 ... minutes up to this
    "MAIL_KEEP_DAYS": 30,  # sent rows are deleted after this by retention; unsent ones stay
    "PASSWORD_RESET_MINUTES": 60,  # a forgotten-password link works this long, once
    "PASSWORD_RESET_RATE_LIMIT": "5 per hour",  # requests per address (and per account)
    "MODERATION_DIGEST_MINUTES": 60,  # moderators get at most one waiting-comments email per N
    "READER_MAIL_PER_DAY": 3,  # emails one reader's address gets in 24 hours at most
    # "Xem nhiều" (newsportal/readership/): article views counted by a beacon, buffered in
    # REDIS_URL's Redis (under READERSHIP_REDIS_KEY) or in each process, and written at most
    # once a READERSHIP_FLUSH_SECONDS; READERSHIP_MAX_ARTICLES distinct articles are buffered at
    # most. The rate limit is per address (hashed), as the comment limit is.
    "READERSHIP_FLUSH_SECONDS": 60,
    "READERSHIP_MAX_ARTICLES": 10_000,
    "READERSHIP_REDIS_KEY": "newsportal-readership",
    "READERSHIP_RATE_LIMIT": "60 per minute",
}

ENVIRONMENTS = ("development", "production")
MIN_SECRET_LENGTH = 32
ERASURE_MODES = ("anonymise", "delete")  # comments/personal_data.MODES
LOCAL_PUBLIC_URL = "http://127.0.0.1:5000"  # what `make run` serves


class UnsafeConfiguration(RuntimeError):
    """Raised when the app would start in production with settings that are not safe."""


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    # A copy: NEWSPORTAL_CONTACTS__reception__phone sets a key inside the nested default in place.
    app.config.from_mapping(copy.deepcopy(DEFAULTS))
    app.config.from_prefixed_env("NEWSPORTAL")
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if overrides:
        app.config.from_mapping(overrides)
    app.config.setdefault("UPLOAD_FOLDER", str(Path(app.instance_path) / "uploads"))
    if app.config["STORAGE_BACKEND"] not in STORAGE_BACKENDS:
        raise UnsafeConfiguration(
            f"NEWSPORTAL_STORAGE_BACKEND {app.config['STORAGE_BACKEND']!r}: one of "
            f"{', '.join(STORAGE_BACKENDS)}."
        )
    if app.config["ERASURE_MODE"] not in ERASURE_MODES:
        raise UnsafeConfiguration(
            f"NEWSPORTAL_ERASURE_MODE {app.config['ERASURE_MODE']!r}: one of "
            f"{', '.join(ERASURE_MODES)}."
        )
    _ratelimit_storage(app)
    _page_cache_bounds(app.config)
    _environment(app)
    _contacts(app.config["CONTACTS"])
    _privacy(app.config["PRIVACY"])
    if "SQLALCHEMY_DATABASE_URI" not in app.config:
        private_folder(Path(app.instance_path))  # SQLite will not make it
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'newsportal.db'}"
        )
    production = app.config["ENV"] == "production"
    if not app.config.get("SECRET_KEY"):
        if production:
            raise UnsafeConfiguration(
                "NEWSPORTAL_ENV=production needs NEWSPORTAL_SECRET_KEY: a random value of at least "
                f"{MIN_SECRET_LENGTH} characters (python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')."
            )
        app.config["SECRET_KEY"] = _local_secret(Path(app.instance_path))
    elif production and len(str(app.config["SECRET_KEY"])) < MIN_SECRET_LENGTH:
        raise UnsafeConfiguration(
            f"NEWSPORTAL_SECRET_KEY is too short for production (at least {MIN_SECRET_LENGTH} "
            "characters)."
        )
    keys.apply(app.config)
    short = [
        k
        for k in (*app.config["SECRET_KEY_FALLBACKS"], app.config["IP_HASH_KEY"])
        if len(k) < MIN_SECRET_LENGTH
    ]
    if production and short:
        raise UnsafeConfiguration(
            "NEWSPORTAL_SECRET_KEY_FALLBACKS and NEWSPORTAL_IP_HASH_KEY need keys of at least "
            f"{MIN_SECRET_LENGTH} characters in production."
        )
    if production:
        # __Host-: browsers accept it only over HTTPS, for the whole site and this host alone,
        # so a sibling subdomain cannot plant or overwrite the session.
        if app.config["SESSION_COOKIE_NAME"] == "session":  # Flask's default, not a chosen name
            app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    _public_origin(app, production)
    _mail(app, production)
    _one_machine_database(app)


CONTACT_KEYS = ("editorial", "reception")
CONTACT_FIELDS = ("name", "address", "phone", "email", "hours")


def _contacts(contacts: Any) -> None:
    """Refuse to start on a contact the footer could not show, not on the first page view."""
    for key in CONTACT_KEYS:
        contact = contacts.get(key) if isinstance(contacts, Mapping) else None
        if not isinstance(contact, Mapping):
            raise UnsafeConfiguration(f"NEWSPORTAL_CONTACTS needs a {key!r} contact.")
        for field in CONTACT_FIELDS:
            if not isinstance(contact.get(field), str) or not contact[field].strip():
                raise UnsafeConfiguration(f"NEWSPORTAL_CONTACTS[{key!r}] needs a {field!r} text.")
        sample = contact.get("sample", [])
        if not isinstance(sample, list) or not set(sample) <= set(CONTACT_FIELDS):
            raise UnsafeConfiguration(
                f"NEWSPORTAL_CONTACTS[{key!r}]['sample'] lists fields among "
                f"{', '.join(CONTACT_FIELDS)}."
            )


PRIVACY_PARTIES = ("controller", "processor", "contact")
PARTY_FIELDS = ("name", "address", "phone", "email")


def _privacy(privacy: Any) -> None:
    """The privacy note must be able to name who answers for the data; only the processor may
    be None (the agency hosts the site itself)."""
    if not isinstance(privacy, Mapping):
        raise UnsafeConfiguration("NEWSPORTAL_PRIVACY needs the controller and the contact point.")
    for key in PRIVACY_PARTIES:
        party = privacy.get(key)
        if party is None and key == "processor":
            continue
        if not isinstance(party, Mapping):
            raise UnsafeConfiguration(f"NEWSPORTAL_PRIVACY needs a {key!r} party.")
        for field in PARTY_FIELDS:
            if not isinstance(party.get(field), str) or not party[field].strip():
                raise UnsafeConfiguration(f"NEWSPORTAL_PRIVACY[{key!r}] needs a {field!r} text.")
    sample = privacy.get("sample", [])
    if not isinstance(sample, list) or not set(sample) <= set(PRIVACY_PARTIES):
        raise UnsafeConfiguration(
            f"NEWSPORTAL_PRIVACY['sample'] lists parties among {', '.join(PRIVACY_PARTIES)}."
        )


def _page_cache_bounds(config: Mapping[str, Any]) -> None:
    for name in ("PAGE_CACHE_ENTRIES", "PAGE_CACHE_MEGABYTES", "PAGE_CACHE_SECONDS"):
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise UnsafeConfiguration(f"NEWSPORTAL_{name} {value!r}: a number above 0.")


def _environment(app: Flask) -> None:
    # A typo (`prod`) must not quietly run as development, with a key generated on each machine.
    value = app.config["ENV"]
    if value not in ENVIRONMENTS:
        raise UnsafeConfiguration(
            f"NEWSPORTAL_ENV={value!r} is not an environment this site knows: use one of "
            + ", ".join(ENVIRONMENTS)
            + "."
        )


MAIL_BACKENDS = ("smtp", "console", "file", "locmem", "dummy")


def _mail(app: Flask, production: bool) -> None:
    """The mail backend, its file folder and the sender, once PUBLIC_URL is known."""
    config = app.config
    if not config.get("MAIL_BACKEND"):
        testing = config.get("TESTING")
        config["MAIL_BACKEND"] = "smtp" if production else "locmem" if testing else "console"
    if config["MAIL_BACKEND"] not in MAIL_BACKENDS:
        raise UnsafeConfiguration(
            f"NEWSPORTAL_MAIL_BACKEND {config['MAIL_BACKEND']!r}: one of "
            f"{', '.join(MAIL_BACKENDS)}."
        )
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        raise UnsafeConfiguration(
            "NEWSPORTAL_MAIL_USE_TLS (STARTTLS) and NEWSPORTAL_MAIL_USE_SSL cannot both be on."
        )
    config.setdefault("MAIL_FILE_PATH", str(Path(app.instance_path) / "mail"))
    if not config.get("MAIL_DEFAULT_SENDER"):
        config["MAIL_DEFAULT_SENDER"] = formataddr(
            (str(config["SITE_NAME"]), f"no-reply@{origin_host(config['PUBLIC_URL']).strip('[]')}")
        )


def _one_machine_database(app: Flask) -> None:
    """SQLite with Redis and several workers is a supported one-machine site; several machines
    sharing one SQLite file are not (its locks do not work over a network share).

    The upload storage is the setting that says which: `database` keeps the files in the
    database so that every server can read them, which only means something with several.
    """
    storage = app.config.get("STORAGE_BACKEND", "local")
    if storage == "database" and app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.logger.warning(
            "NEWSPORTAL_STORAGE_BACKEND=database is for several app servers, but the database "
            "is SQLite, a file on this machine's disk that other machines cannot share: use "
            "PostgreSQL for several machines, or STORAGE_BACKEND=local on one."
        )


def _public_origin(app: Flask, production: bool) -> None:
    """PUBLIC_URL: every absolute URL is built from it; TRUSTED_HOSTS: what Host may name."""
    value = app.config.get("PUBLIC_URL")
    if not value:
        if production:
            raise UnsafeConfiguration(
                "NEWSPORTAL_ENV=production needs NEWSPORTAL_PUBLIC_URL, the site's public origin "
                "(https://portal.example.gov.vn): feeds, the sitemap, share cards and calendar "
                "links are built from it, never from the request's Host header."
            )
        value = LOCAL_PUBLIC_URL
    try:
        origin = parse_origin(value)
    except ValueError as error:
        raise UnsafeConfiguration(f"NEWSPORTAL_PUBLIC_URL {value!r}: {error}.") from None
    try:
        extra = parse_hosts(app.config.get("TRUSTED_HOSTS"))
    except ValueError as error:
        raise UnsafeConfiguration(f"NEWSPORTAL_TRUSTED_HOSTS: {error}.") from None
    if production and not origin.startswith("https://"):
        # Production cookies are Secure and HSTS is sent: http:// links would not work.
        raise UnsafeConfiguration(f"NEWSPORTAL_PUBLIC_URL must be https:// in production: {origin}")
    app.config["PUBLIC_URL"] = origin
    # Flask checks TRUSTED_HOSTS itself as each request starts; hosts.HostGuard checks it before
    # the page cache. Production only: development answers on any name (localhost, 127.0.0.1).
    hosts = [origin_host(origin), *extra]
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts)) if production else None


def _ratelimit_storage(app: Flask) -> None:
    """Where rate-limit counters live: their own Redis (RATELIMIT_STORAGE_URL) in production.

    maxmemory and the eviction policy belong to a whole Redis server, so counters sharing the page
    cache's server (REDIS_URL, still accepted) can be evicted with it: a lockout would then end.
    """
    config = app.config
    for source in ("RATELIMIT_STORAGE_URL", "REDIS_URL"):
        if config.get(source):
            config.setdefault("RATELIMIT_STORAGE_URI", config[source])
    config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    if str(config["RATELIMIT_STORAGE_URI"]).startswith(("redis", "valkey")):
        # A Redis that stops answering costs a request half a second, not a hung worker.
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        config["RATELIMIT_STORAGE_OPTIONS"] = {
            **options,
            **config.get("RATELIMIT_STORAGE_OPTIONS", {}),
        }


def _local_secret(instance: Path) -> str:
    """A key generated once per checkout, so local sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_folder(instance)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
