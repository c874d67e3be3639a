"""The per-request log line, the request id a proxy sends or the app makes, and error records."""

from __future__ import annotations

import json
import logging

import pytest

from newsportal import create_app, logs

from .conftest import PASSWORD

pytestmark = pytest.mark.sqlite_only("log lines and ids do not depend on the database")

HEX_ID = r"[0-9a-f]{32}"


@pytest.fixture
def lines(caplog):
    """The request lines logged so far, as the JSON formatter writes them (parsed back)."""
    caplog.set_level(logging.INFO, logger="newsportal")
    formatter = logs.JsonFormatter()

    def read(logger: str = "newsportal.request") -> list[dict]:
        return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]

    return read


def test_a_request_line_holds_the_facts_and_the_proxys_id(client, lines):
    response = client.get(
        "/search?q=b%C3%A0i+vi%E1%BA%BFt", headers={"X-Request-ID": "req-42.a:b"}, buffered=True
    )
    assert response.headers["X-Request-ID"] == "req-42.a:b"
    (line,) = lines()
    assert line["request_id"] == "req-42.a:b"
    assert line["method"] == "GET"
    assert line["path"] == "/search"  # no query string: what a reader searched stays theirs
    assert line["status"] == 200
    assert line["endpoint"] == "search.search"
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    assert "user_id" not in line  # anonymous


@pytest.mark.parametrize(
    "hostile",
    [
        "abc\ndef",
        "abc\r\nX-Evil: 1",
        "a" * 1000,
        "",
        "id with spaces",
        '"quoted"',
        "ümlaut",
        "a{b}",
    ],
    ids=["newline", "crlf", "1000 chars", "empty", "spaces", "quotes", "non-ascii", "braces"],
)
def test_a_hostile_request_id_is_replaced_by_a_new_one(client, lines, hostile):
    # In the environ, as a server hands it over: Werkzeug's client refuses a newline in a header.
    response = client.get(
        "/healthz", environ_overrides={"HTTP_X_REQUEST_ID": hostile}, buffered=True
    )
    made = response.headers["X-Request-ID"]
    assert made != hostile
    assert logs.REQUEST_ID.fullmatch(made)
    (line,) = lines()
    assert line["request_id"] == made


def test_without_a_header_each_request_gets_its_own_id(client, lines):
    first = client.get("/healthz", buffered=True).headers["X-Request-ID"]
    second = client.get("/healthz", buffered=True).headers["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in lines()] == [first, second]


def test_a_page_from_the_cache_fast_path_is_logged_with_its_endpoint(app, lines):
    client = app.test_client(use_cookies=False)  # no cookie: the fast path may answer
    client.get("/", buffered=True)
    assert client.get("/", buffered=True).status_code == 200
    assert [line["endpoint"] for line in lines()] == ["reader.home", "reader.home"]


def test_a_sign_in_line_holds_no_email_or_password_and_staff_lines_their_id(
    client, make_user, lines, caplog
):
    user_id = make_user("editor")
    response = client.post(
        "/login", data={"email": "editor@example.org", "password": PASSWORD}, buffered=True
    )
    assert response.status_code == 302
    client.get("/editor/", buffered=True)
    login, desk = lines()
    assert (login["path"], login["method"], login["status"]) == ("/login", "POST", 302)
    assert desk["user_id"] == user_id
    text = caplog.text + "".join(json.dumps(line) for line in lines())
    for secret in ("editor@example.org", PASSWORD, "example.org"):
        assert secret not in text


def test_a_server_error_logs_its_traceback_with_the_request_id(app, lines):
    def broken():
        raise RuntimeError("hỏng")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page, and a log record
    response = app.test_client().get("/broken", headers={"X-Request-ID": "trace-me"}, buffered=True)
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-me"
    (error,) = [line for line in lines("newsportal") if line["level"] == "ERROR"]
    assert error["request_id"] == "trace-me"
    assert "Traceback" in error["exc_info"]
    assert "RuntimeError: hỏng" in error["exc_info"]
    (line,) = lines()
    assert (line["status"], line["request_id"]) == (500, "trace-me")


def test_an_error_that_escapes_the_app_is_still_logged_and_its_id_released(app, lines):
    def broken():
        raise RuntimeError("hỏng")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = True  # as under the debugger: no 500 page, it escapes
    with pytest.raises(RuntimeError, match="hỏng"):
        app.test_client().get("/broken", headers={"X-Request-ID": "escaped-1"})
    (line,) = lines()
    assert (line["path"], line["status"], line["request_id"]) == (
        "/broken",
        0,
        "escaped-1",
    )  # 0: no response sent
    assert logs.current_request_id() == "-"  # the next line this thread logs is not this request's


@pytest.mark.parametrize(
    ("env", "setting", "expected"),
    [
        ("development", None, logs.TextFormatter),
        ("development", "json", logs.JsonFormatter),
        ("production", None, logs.JsonFormatter),
        ("production", "text", logs.TextFormatter),
    ],
)
def test_log_format_follows_the_setting(app_config, env, setting, expected):
    config = {**app_config, "ENV": env, "LOG_FORMAT": setting, "LOG_LEVEL": "warning"}
    if env == "production":
        config["PUBLIC_URL"] = "https://portal.example.gov.vn"
    create_app(config)
    logger = logging.getLogger("newsportal")
    (handler,) = [h for h in logger.handlers if isinstance(h, logs._Handler)]
    assert type(handler.formatter) is expected
    assert logger.level == logging.WARNING


def test_an_unknown_log_format_refuses_to_start(app_config):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        create_app({**app_config, "LOG_FORMAT": "xml"})


def test_the_text_format_carries_the_id_and_fields():
    record = logging.LogRecord("newsportal.request", logging.INFO, "", 0, "GET / 200", None, None)
    record.request_id = "abc"
    record.fields = {"status": 200, "endpoint": "reader.home"}
    text = logs.TextFormatter().format(record)
    assert "[abc]" in text
    assert text.endswith("GET / 200 status=200 endpoint=reader.home")
