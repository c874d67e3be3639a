"""/healthz/ready: whether this server can do its work, for a load balancer or an orchestrator.

/healthz (database.py) stays the cheap liveness check. Readiness reports each backing service on
its own: "ok", "down" or "not configured"; 503 when a configured one is down. Each check is one
round trip with a short timeout (SELECT 1, PING), reads no cache, needs no sign-in and sets no
cookie. Redis down is reported though reader pages still render: the operator should know.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask, current_app

from .extensions import db

EXTENSION = "newsportal.health"
TIMEOUT_SECONDS = 0.5
OK, DOWN, NOT_CONFIGURED = "ok", "down", "not configured"


def _database() -> str:
    try:
        db.session.execute(db.text("SELECT 1"))
    except Exception:  # any driver error means "down", never a 500
        db.session.rollback()
        return DOWN
    return OK


def _redis(client: redis.Redis | None) -> str:
    if client is None:
        return NOT_CONFIGURED
    try:
        client.ping()
    except redis.RedisError:
        return DOWN
    return OK


def _client(url: str | None) -> redis.Redis | None:
    if not url or not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def register(app: Flask) -> None:
    config = app.config
    cache_url = config.get("REDIS_URL")
    limits_url = config.get("RATELIMIT_STORAGE_URL")
    clients = {"redis": _client(cache_url)}
    if limits_url and limits_url != cache_url:  # a second server: reported on its own
        clients["ratelimit_storage"] = _client(limits_url)
    app.extensions[EXTENSION] = clients

    @app.get("/healthz/ready", endpoint="healthz_ready")
    def ready() -> tuple[dict[str, Any], int, dict[str, str]]:
        checks = {"database": _database()}
        for name, client in current_app.extensions[EXTENSION].items():
            checks[name] = _redis(client)
        status = 503 if DOWN in checks.values() else 200
        body = {"status": "ok" if status == 200 else "unavailable", **checks}
        return body, status, {"Cache-Control": "no-store"}
