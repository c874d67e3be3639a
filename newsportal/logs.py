"""Log lines an operator can search: JSON (production default) or text, each with a request id.

One handler on the `newsportal` logger (Flask's `app.logger` too): the per-request line
(requestlog.py) and every warning or error the application writes share its format. A record
carries the id of the request that wrote it (`request_id`, "-" outside a request) and, for the
request line, its `fields`. Nothing here reads a request body, a query string or a header other
than `X-Request-ID`: emails, passwords, tokens and addresses never reach a log line.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.logging import default_handler

LOGGER = "newsportal"
FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
# A proxy's id is kept when it is plain: nginx's $request_id (32 hex), a UUID, a ULID. Anything
# else (a newline forging a second log line, a kilobyte of junk) is replaced by a new one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current_id: ContextVar[str] = ContextVar("request_id", default="-")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The proxy's `X-Request-ID` when it is a safe token, else a new id."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


def current_request_id() -> str:
    return _current_id.get()


def bind_request_id(value: str | None) -> None:
    """Records written from now on carry `value` (None: "-", outside any request)."""
    _current_id.set(value or "-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    the record's `fields`, and the traceback (`exc_info`) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a developer's terminal: the same facts, `key=value` after the message."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        text = super().formatMessage(record)
        fields = getattr(record, "fields", None) or {}
        return " ".join([text, *(f"{key}={value}" for key, value in fields.items())])


class _Handler(logging.StreamHandler[Any]):
    """Ours, so a second create_app (tests, a CLI) replaces it instead of adding another."""


def formatter_for(name: str) -> logging.Formatter:
    if name not in FORMATS:
        raise ValueError(f"NEWSPORTAL_LOG_FORMAT must be one of {', '.join(FORMATS)}: {name!r}")
    return JsonFormatter() if name == "json" else TextFormatter()


def configure(app: Flask) -> None:
    """LOG_FORMAT (json|text; json in production unless set) and LOG_LEVEL (INFO by default)."""
    config = app.config
    name = config.get("LOG_FORMAT") or ("json" if config["ENV"] == "production" else "text")
    formatter = formatter_for(str(name).lower())
    logger = logging.getLogger(LOGGER)
    logger.setLevel(str(config.get("LOG_LEVEL") or "INFO").upper())
    for old in [h for h in logger.handlers if isinstance(h, _Handler) or h is default_handler]:
        logger.removeHandler(old)
    handler = _Handler()  # stderr: gunicorn and systemd's journal collect it
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
