"""Reader pages for anonymous readers: cached whole, validated, and safe to share.

This docstring is the cache contract; tests/test_cache_contract.py and test_caching.py keep it.

What makes a page shareable: its view is decorated `@cached_page` (the only list of cached
pages: FastPath asks the matched view, nothing keeps URLs by hand), the request is a GET or HEAD,
nobody is signed in, and the session holds no message (`_flashes`) and no comment of the reader's
own awaiting moderation (`own_comments`). Anything else is `private, no-store`, as is every page
a signed-in user gets (auth's after_request). A reader with a language choice shares pages too:
nothing rewrites a session holding only that (i18n writes it when it changes; Flask-Login's
session protection looks only at sessions with a sign-in, extensions.py). A public answer never
sets a cookie: one whose session was written is `private, no-store` (shared_caches.py).

A page is cached under (content version, its scope's version, language, path, the query
parameters its view declares in `params=`, each normalised: `page=1` is the page itself); the
others (`utm_*`, `fbclid`, junk) are dropped before the view runs, so they neither make a new
entry nor get rendered into one. Only a 200 is stored, so a view holds at most one entry per
real page. Every reader page gets an ETag and a Last-Modified; a conditional GET answers 304.
Entries are kept by pagestore.py (no pickle; Redis failing means uncached pages).

What raises the version: any flush that adds, changes or deletes a row of a model declaring
`PublicContent` (models/public.py; a comment only once approved), in that same transaction
(content_version.py), and a scheduled article falling due (`next_due_at`), raised by the first
page view after it in a short transaction of its own. A comment or reply changing, or a
published article's text, raises only its scopes: its article's pages (`scope=` on the article
views), `LISTS` (the views showing cards and comment counts) and, for text, `FEEDS`, so the rest
stay cached. The queries that read comments or article text say which scope they read (`reads`);
a page that read one its view did not declare is never stored. So an old page is
never served after a change, on any server, and no view or service ever invalidates anything by
hand. A shared cache in front of the servers may keep a page for PROXY_MAX_AGE seconds at most
(`s-maxage`, shared_caches.py), then revalidates it with the ETag.

A view must not: write the session on a shared page (the page is then not stored), put a
per-reader value in it (a shared page carries no reader's CSRF token: `g.shared_page` tells
templates; the comment form holds the page's shared token, comments/form_token.py, and
static/js/comment-token.js fetches the reader's own from `/comments/token`),
read a query parameter it has not declared, or commit during a GET.

A request with no cookie at all (a first visit, a crawler, a CDN) cannot be signed in or have a
message waiting, so `FastPath` answers it from the cache before Flask's request machinery runs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time
from functools import wraps
from typing import Any, overload
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import Headers, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date, parse_etags

from . import content_version, metrics
from .extensions import cache
from .models.public import covers
from .pagestore import EXTENSION, REDIS_OPTIONS, BytesOnly, Entry, LocalPages, Store, store
from .request_limits import query_int
from .requestlog import ENDPOINT_KEY
from .text import as_utc, local_to_utc, local_today

PRIVATE = "private, no-store"
KEPT_HEADERS = ("Content-Disposition", "Content-Language")
STATE_KEY = "newsportal.content_state"  # read once per request, by FastPath when it ran
Params = Mapping[str, Callable[[str], "str | None"]]  # name -> canonical value, None: default
Scope = Callable[..., str]  # the view's arguments and clean params -> its page's scope's name
log = logging.getLogger(__name__)


def shareable() -> bool:
    """Whether this request's page is the same for everyone who asks for this URL."""
    if request.method not in ("GET", "HEAD"):
        return False
    if current_user.is_authenticated:
        return False
    return not (session.get("_flashes") or session.get("own_comments"))


def reads(scope: str) -> None:
    """A query reading rows of this scope says so (comment counts: LISTS): a shared page whose
    view did not declare the scope is then not stored, as a change there would not reach it."""
    if has_request_context() and g.get("shared_page"):
        g.setdefault("page_reads", set()).add(scope)


def _key(state: content_version.State, locale: str, path: str, query: str) -> str:
    # changed_at too: a database restored from a backup reuses version numbers. Vietnam's date
    # too: every page's header shows it, so a page kept from yesterday must not be served today.
    stamp = f"{state.version}:{state.changed_at.timestamp()}:{local_today().isoformat()}"
    return f"page:{stamp}:{state.scope_version}:{locale}:{path}?{query}"


def _last_modified(state: content_version.State) -> datetime:
    # Not before today's midnight in Vietnam: the date line changed then, whatever the content.
    midnight = local_to_utc(datetime.combine(local_today(), time()))
    return max(as_utc(state.last_changed), midnight)


def _headers(entry: Entry, state: content_version.State, max_age: int) -> Headers:
    headers = Headers(list(entry.kept))
    headers["Content-Type"] = entry.content_type
    headers["ETag"] = f'"{entry.etag}"'
    headers["Last-Modified"] = http_date(_last_modified(state))
    headers["Cache-Control"] = f"public, max-age={max_age}"
    headers["Vary"] = "Cookie"  # the language choice lives in the session cookie
    return headers


def page_param(value: str) -> str | None:
    """`?page=` as the views read it: 1, and anything they read as 1 (`abc`), is the page itself."""
    try:
        number = query_int(value)
    except ValueError:
        return None
    return None if number == 1 else str(number)


def clean_params(params: Params, args: MultiDict[str, str]) -> dict[str, str]:
    """The query parameters a view's page depends on, normalised; a default one is left out."""
    found = {}
    for name in sorted(params):
        if name in args:
            value = params[name](args[name])  # the first value, as request.args.get reads it
            if value is not None:
                found[name] = value
    return found


def clean_query(found: Mapping[str, str]) -> str:
    """The query string a view's page depends on: `clean_params`, sorted, as the key holds it."""
    return urlencode(list(found.items()))


def _no_scope(**_args: Any) -> str:  # the view's arguments, and its params
    return content_version.NO_SCOPE


@overload
def cached_page(view: Callable[..., Any]) -> Callable[..., Response]: ...
@overload
def cached_page(
    *, params: Params | None = None, scope: Scope | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Response]]: ...
def cached_page(
    view: Callable[..., Any] | None = None,
    *,
    params: Params | None = None,
    scope: Scope | None = None,
) -> Any:
    """Serve a reader view from the page cache when the page is shareable.

    `params` names the query parameters the view reads, each with its normaliser (the value's
    canonical spelling, or None for the default): they and only they make the cache key.
    `scope` names, from the view's arguments and its clean `params` (absent when the default),
    the scope its page shows (content_version: FRONT, a list_scope, FEEDS, article_scope(slug));
    without one, only a change to every page touches it.
    """
    if view is None:
        return lambda decorated: _cached(decorated, dict(params or {}), scope or _no_scope)
    return _cached(view, {}, _no_scope)


def _cached(view: Callable[..., Any], spec: Params, scope: Scope) -> Callable[..., Response]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        if not shareable():
            response = current_app.make_response(view(*args, **kwargs))
            response.headers["Cache-Control"] = PRIVATE
            return response
        g.shared_page = True  # templates leave per-reader tokens out
        found = clean_params(spec, request.args)
        name = scope(**kwargs, **found)
        state = request.environ.get(STATE_KEY) or content_version.current(scope=name)
        g.menu = state.menu  # read with the version: the page's menu costs no query of its own
        g.content_state = state  # what fragments of the page are kept under (articles/sidebar.py)
        key = _key(state, str(get_locale()), request.path, clean_query(found))
        enabled = current_app.config["PAGE_CACHE_ENABLED"]
        entry = store().get(key) if enabled else None
        if enabled:
            metrics.page_cache(hit=entry is not None)
        if entry is None:
            rendered = current_app.make_response(view(*args, **kwargs))
            if rendered.status_code != 200 or session.modified:
                rendered.headers["Cache-Control"] = PRIVATE
                return rendered
            undeclared = {read for read in g.get("page_reads", ()) if not covers(name, read)}
            if undeclared:  # a change there would not reach this page: never keep it
                log.error("%s read %s but declares scope %r", request.path, undeclared, name)
                rendered.headers["Cache-Control"] = PRIVATE
                return rendered
            body = rendered.get_data()
            kept = tuple((k, v) for k, v in rendered.headers.items() if k in KEPT_HEADERS)
            etag = hashlib.sha256(body).hexdigest()[:32]
            entry = Entry(body, str(rendered.content_type), etag, kept)
            if enabled:
                store().set(key, entry, timeout=current_app.config["PAGE_CACHE_SECONDS"])
        response = Response(entry.body, headers=_headers(entry, state, _max_age()))
        if session.modified:  # a cached page, but this answer sets the reader's cookie (?lang=)
            response.headers["Cache-Control"] = PRIVATE
        response.make_conditional(request)  # 304 and no body when the reader has it already
        return response

    wrapper.page_params = spec  # type: ignore[attr-defined]  # FastPath reads them
    wrapper.page_scope = scope  # type: ignore[attr-defined]
    return wrapper


def _max_age() -> int:
    return int(current_app.config["HTTP_CACHE_MAX_AGE"])


class FastPath:
    """WSGI middleware: a reader page's URL loses the parameters its view does not read, then a
    cookie-less GET whose page is cached is answered straight away.

    So `?fbclid=...&utm_source=...` is the clean page, from the same cache entry, and the page
    rendered for it (its language and page links too) is the clean page's.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.next = app.wsgi_app
        # Static files are never pages: skipped without a route match. Every other URL asks
        # its view whether it is a cached page (`page_params`).
        self.not_pages = f"{app.static_url_path or '/static'}/"

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        # A NUL is Flask's 400 (request_limits.py); here it would reach SQL in the page's scope.
        if method in ("GET", "HEAD") and not path.startswith(self.not_pages) and "\x00" not in path:
            fast = (
                method == "GET"
                and "HTTP_COOKIE" not in environ
                and "HTTP_IF_MODIFIED_SINCE" not in environ  # Flask's own path answers those
                and self.app.config["PAGE_CACHE_ENABLED"]
            )
            view = self._view(environ) if fast or environ.get("QUERY_STRING") else None
            if view is not None:
                found = self._clean_and_look_up(environ, view, fast)
                if found is not None:
                    status, headers, body = found
                    start_response(status, list(headers.items()))
                    return [body]
        return self.next(environ, start_response)

    def _view(self, environ: dict[str, Any]) -> tuple[Params, Scope, Mapping[str, Any]] | None:
        """The parameters the URL's view reads, its scope and its arguments, if its pages are
        cached (a cheap route match)."""
        try:
            endpoint, args = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:  # no such page, or a redirect: Flask answers it
            return None
        environ[ENDPOINT_KEY] = endpoint  # the request log names it if this path answers
        view = self.app.view_functions.get(endpoint)
        params: Params | None = getattr(view, "page_params", None)
        if params is None:
            return None
        scope: Scope = view.page_scope  # type: ignore[union-attr]
        return params, scope, args

    def _clean_and_look_up(
        self, environ: dict[str, Any], view: tuple[Params, Scope, Mapping[str, Any]], fast: bool
    ) -> tuple[str, Headers, bytes] | None:
        params, scope, args = view
        incoming = self.app.request_class(environ)  # its args, exactly as the view would see them
        found = clean_params(params, incoming.args)
        query = clean_query(found)
        lang = incoming.args.get("lang")  # read by i18n before the view: it sets the choice
        kept = [query, urlencode({"lang": lang})] if lang else [query]
        environ["QUERY_STRING"] = "&".join(part for part in kept if part)
        if not fast or lang:
            return None
        with self.app.app_context():
            state = content_version.peek(scope=scope(**args, **found))
            if state is None:
                return None  # no version yet, or a scheduled article fell due: Flask handles it
            environ[STATE_KEY] = state
            locale = self.app.config["BABEL_DEFAULT_LOCALE"]
            entry = store().get(_key(state, locale, incoming.path, query))
            if entry is None:
                return None  # not counted as a miss: Flask's look-up counts it
            metrics.page_cache(hit=True)
            headers = _headers(entry, state, int(self.app.config["HTTP_CACHE_MAX_AGE"]))
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(entry.etag):
            del headers["Content-Type"]
            return "304 NOT MODIFIED", headers, b""
        headers["Content-Length"] = str(len(entry.body))
        return "200 OK", headers, entry.body


def register(app: Flask) -> None:
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        cache.init_app(
            app,
            config={
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": redis_url,
                "CACHE_KEY_PREFIX": app.config["PAGE_CACHE_PREFIX"],
                "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
                "CACHE_OPTIONS": dict(REDIS_OPTIONS),
            },
        )
        app.extensions["cache"][cache].serializer = BytesOnly()  # never pickle
        app.extensions[EXTENSION] = Store()
    else:
        config = app.config
        pages = LocalPages(config["PAGE_CACHE_ENTRIES"], config["PAGE_CACHE_MEGABYTES"])
        app.extensions[EXTENSION] = pages
    app.wsgi_app = FastPath(app)  # type: ignore[method-assign]
