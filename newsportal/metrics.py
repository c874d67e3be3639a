"""Prometheus metrics at /metrics, summed over every gunicorn worker, for allowed addresses only.

Several workers: set PROMETHEUS_MULTIPROC_DIR (an empty folder the workers may write, emptied
before each start) in gunicorn's environment. prometheus_client then keeps each worker's counts
in files there and a scrape, whichever worker answers it, sums them. deploy/gunicorn.conf.py
imports the two hooks below:

    from newsportal.metrics import child_exit, on_starting  # noqa: F401 (gunicorn hooks)

Without the variable (one process: `flask run`, the tests) counts live in this process.
Label values are bounded: the endpoint name (never the raw path), a status class, a fixed set
of outcomes. The moderation queue's length is counted when scraped, one indexed COUNT.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from .extensions import db
from .models import Comment, CommentStatus

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "unmatched"  # no route: 404s, scanners' guesses
EXTENSION = "newsportal.metrics"
LOOPBACK = ["127.0.0.1/32", "::1/128"]

_registry = CollectorRegistry()  # this process's own samples, when not in multiprocess mode
REQUESTS = Counter(
    "newsportal_requests_total",
    "HTTP requests answered, by endpoint and status class.",
    ["endpoint", "status"],
    registry=_registry,
)
LATENCY = Histogram(
    "newsportal_request_duration_seconds",
    "Time to answer a request, body sent, by endpoint and status class.",
    ["endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=_registry,
)
PAGE_CACHE = Counter(
    "newsportal_page_cache_total",
    "Reader page cache look-ups, by result (hit or miss).",
    ["result"],
    registry=_registry,
)
COMMENTS = Counter(
    "newsportal_comments_total",
    "Comments sent by readers, by outcome: pending, rejected, spam, duplicate, bot:<reason>, "
    "refused:<reason>.",
    ["outcome"],
    registry=_registry,
)


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def observe_request(endpoint: str, status: int, seconds: float) -> None:
    labels = (endpoint, status_class(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


def page_cache(hit: bool) -> None:
    PAGE_CACHE.labels("hit" if hit else "miss").inc()


def comment_outcome(outcome: str) -> None:
    COMMENTS.labels(outcome).inc()


class _Scrape:
    """What one scrape reports: the counters (every worker's, summed) and the queue length."""

    def __init__(self, counters: Any) -> None:
        self.counters = counters

    def collect(self) -> Iterator[Metric]:
        yield from self.counters.collect()
        pending = db.session.scalar(
            select(func.count()).select_from(Comment).where(Comment.status == CommentStatus.PENDING)
        )
        gauge = GaugeMetricFamily(
            "newsportal_moderation_queue_length", "Comments waiting for a moderator."
        )
        gauge.add_metric([], float(pending or 0))
        yield gauge


def _counters() -> Any:
    if not os.environ.get(MULTIPROC_ENV):
        return _registry
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def allowed_networks(value: object) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """METRICS_ALLOWED_IPS: a JSON list of addresses or CIDR blocks (`["10.0.0.0/8"]`)."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError('NEWSPORTAL_METRICS_ALLOWED_IPS must be a JSON list, e.g. ["10.0.0.5/32"]')
    try:
        return [ipaddress.ip_network(v.strip(), strict=False) for v in value]
    except ValueError as error:
        raise ValueError(f"NEWSPORTAL_METRICS_ALLOWED_IPS: {error}") from None


def _allowed(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in current_app.extensions[EXTENSION])


def scrape() -> Response:
    # request.remote_addr is the address the app trusts: the peer, or with PROXY_HOPS the one
    # ProxyFix took from X-Forwarded-For. Anyone else sees no such page.
    if not _allowed(request.remote_addr):
        abort(404)
    body = generate_latest(_Scrape(_counters()))
    return Response(body, mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def register(app: Flask) -> None:
    app.extensions[EXTENSION] = allowed_networks(app.config["METRICS_ALLOWED_IPS"])
    app.add_url_rule("/metrics", "metrics", scrape, methods=["GET"])


# gunicorn server hooks (deploy/gunicorn.conf.py imports them).


def on_starting(server: Any) -> None:
    """The master, before any worker: counts a previous run left behind are not this run's."""
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live gauges go; its counters stay in the sums, as they should."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(worker.pid)
