"""The proxy run of `make bench`: anonymous reader pages through nginx, from one app server
alone and the bare Flask app, in the same run, with the same wrk client and concurrency.

nginx runs the shipped deploy/nginx/newsportal.conf in front of that one app server, started as
tests/test_nginx.py starts it (tests/proxy_stack.py), with its proxy_cache warm; wrk talks HTTPS
to it over keep-alive connections, as a browser does. The app server and the bare app both run
the shipped deploy/gunicorn.conf.py with the same worker count, over plain HTTP on loopback, as
nginx reaches them. For each page the bare app is measured first, then the app server, then
nginx: the ratios compare runs seconds apart on a machine whose load changes by the minute.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from ..proxy_stack import NGINX, ROOT, AppServer, Client, Proxy, StackError, serving
from . import data, load
from .report import format_proxy_row
from .servers import BenchError

PAGES = ("home", "article", "category")
WARM_TRIES = 5


def nginx_binary() -> str:
    if not Path(NGINX).exists():
        raise BenchError(
            "nginx is not installed: run `make bench` (it installs it), "
            "apt-get install nginx-light, or pass --proxy off"
        )
    return NGINX


def warm(proxy: Proxy, name: str, path: str) -> None:
    """The page must come from nginx's cache before it is measured: one the app marks private,
    or answers with a cookie, would measure the app server behind nginx instead."""
    seen = ""
    for _ in range(WARM_TRIES):
        answer = Client(proxy.https_port).get(path)  # a new anonymous reader each time
        if answer.status != 200:
            raise BenchError(f"nginx/{name}: {path} answered {answer.status} through nginx")
        seen = answer.headers.get("X-Cache-Status", "")
        if seen == "HIT":
            return
    raise BenchError(
        f"nginx/{name}: {path} is not served from nginx's cache (X-Cache-Status {seen!r}, "
        f"Cache-Control {answer.headers.get('Cache-Control')!r})"
    )


def _lines(path: Path) -> int:
    return sum(1 for _ in path.open("rb")) if path.exists() else 0


def _recycled(server: AppServer) -> int:
    """Workers gunicorn replaced after max_requests (deploy/gunicorn.conf.py) during the run:
    a new site worker serves nothing while it boots, which the req/s figures include."""
    log = server.folder / f"{server.name}.log"
    return log.read_text(errors="replace").count("Autorestarting worker")


def row(
    via: str,
    name: str,
    path: str,
    got: load.Measurement,
    bare: load.Measurement,
    reached_app: int | None = None,
) -> dict[str, Any]:
    return {
        "via": via,
        "endpoint": name,
        "path": path,
        "rps": round(got.rps, 1),
        "p50_ms": round(got.p50_ms, 2),
        "p99_ms": round(got.p99_ms, 2),
        "baseline_rps": round(bare.rps, 1),
        "baseline_p99_ms": round(bare.p99_ms, 2),
        "ratio": round(got.rps / bare.rps if bare.rps else 0.0, 3),
        "requests": got.requests,
        "socket_errors": got.socket_errors,
        "timeouts": got.timeouts,
        "reached_app": reached_app,  # nginx's requests the app server answered
    }


def measure(
    args: argparse.Namespace,
    dataset: data.Dataset,
    urls: dict[str, str],
    folder: Path,
    errors: list[str],
    notes: list[str],
) -> list[dict[str, Any]]:
    pages = [p for p in PAGES if not args.only or p in args.only.split(",")]
    if not pages:
        return []
    shutil.rmtree(folder, ignore_errors=True)  # a cache left by an earlier run is not warm-up
    folder.mkdir(parents=True)
    app = AppServer(
        folder,
        "app",
        {**dataset.site_env(page_cache=True), "NEWSPORTAL_PROXY_HOPS": "1"},
        workers=args.workers,
    )
    bare = AppServer(
        folder,
        "bare",
        dataset.env(),
        workers=args.workers,
        app="baseline_app:app",
        pythonpath=Path(__file__).parent,
    )
    proxy = Proxy(folder / "nginx", [], ROOT / "static", Path(dataset.instance) / "uploads")
    rows = []
    try:
        with serving(None, [bare]), serving(proxy, [app]):
            for name in pages:
                status, _body, _cookie = load.fetch(app.base + urls[name])
                if status != 200:
                    raise BenchError(f"app/{name}: {urls[name]} answered {status}")
                warm(proxy, name, urls[name])
                target = load.Endpoint(name, urls[name], "reader")
                constant = load.measured(
                    args,
                    bare.base,
                    load.Endpoint("baseline", "/", "baseline"),
                    f"bare/{name}",
                    errors,
                    notes,
                )
                alone = load.measured(args, app.base, target, f"app/{name}", errors, notes)
                before = _lines(app.access_log)
                proxied = load.measured(args, proxy.base, target, f"nginx/{name}", errors, notes)
                reached = _lines(app.access_log) - before
                notes.append(
                    f"nginx/{name}: {reached:,} requests reached the app server during the "
                    f"warm-up and the {proxied.requests:,} measured (revalidations after s-maxage)"
                )
                rows += [
                    row("nginx", name, urls[name], proxied, constant, reached),
                    row("app", name, urls[name], alone, constant),
                ]
                for done in rows[-2:]:
                    print(format_proxy_row(done), flush=True)
            for server in (app, bare):
                notes.append(
                    f"{server.name}: workers replaced after max_requests during the proxy "
                    f"run: {_recycled(server)}"
                )
    except StackError as exc:
        raise BenchError(str(exc)) from exc
    return rows
