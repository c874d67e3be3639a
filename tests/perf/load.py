"""Load with wrk: one Lua script per endpoint, results read from a JSON line that script prints.

Also the few plain HTTP calls the benchmark makes itself (a session cookie, the comment form's
hidden fields, a moderator's login), with the standard library only.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .servers import BenchError

MARKER = "BENCH_JSON "
SLOW_SECONDS = 120  # a single request slower than this is reported, not waited for
_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, '
    .. '"timeouts": %d, "p50_us": %d, "p99_us": %d}\\n',
    "BENCH_JSON ", summary.requests, summary.duration, e.status, e.connect + e.read + e.write,
    e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""
_POST = """
local counter = 0
function setup(thread)
  thread:set("tid", tostring(math.random(1, 1000000)))
end
function request()
  counter = counter + 1
  -- A different text each time: the pipeline would take a repeat as already received.
  local body = %(prefix)s .. tid .. "-" .. counter
  return wrk.format("POST", %(path)s, {
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = %(cookie)s,
  }, body)
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    kind: str  # reader | comment | moderation
    cookie: str = ""
    form: str = ""  # urlencoded fields for a POST; the text goes last and gets a counter
    script_body: str = ""  # a Lua script choosing each request itself (mixed.py)

    def script(self) -> str:
        if self.script_body:
            return self.script_body + _DONE
        if self.form:
            return (
                _POST
                % {
                    "prefix": lua_string(self.form),
                    "path": lua_string(self.path),
                    "cookie": lua_string(self.cookie),
                }
                + _DONE
            )
        header = f'wrk.headers["Cookie"] = {lua_string(self.cookie)}\n' if self.cookie else ""
        return header + _DONE


@dataclass(frozen=True)
class Measurement:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    status_errors: int
    socket_errors: int
    timeouts: int


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise BenchError(
            "wrk is not installed: run `make bench` (it installs it) or apt-get install wrk"
        )
    return found


def run_wrk(
    base: str, endpoint: Endpoint, seconds: int, connections: int, threads: int
) -> Measurement:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(endpoint.script())
    try:
        done = subprocess.run(
            [
                wrk_binary(),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base + endpoint.path,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        Path(script.name).unlink()
    line = next((x for x in done.stdout.splitlines() if x.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {endpoint.name}: {done.stderr or done.stdout}")
    data = json.loads(line[len(MARKER) :])
    seconds_run = data["duration_us"] / 1e6
    return Measurement(
        rps=data["requests"] / seconds_run if seconds_run else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        status_errors=data["status_errors"],
        socket_errors=data["socket_errors"],
        timeouts=data["timeouts"],
    )


def measured(
    args: argparse.Namespace,
    base: str,
    target: Endpoint,
    label: str,
    errors: list[str],
    notes: list[str],
) -> Measurement:
    """One row's figures: a warm-up, then the measured run; error answers go to `errors`."""
    run_wrk(base, target, args.warmup, args.connections, args.threads)
    result = run_wrk(base, target, args.duration, args.connections, args.threads)
    if result.status_errors:
        errors.append(f"{label}: {result.status_errors} error responses of {result.requests}")
    if result.timeouts or not result.requests:
        # Too slow is a figure to report, not a broken run: time one request alone.
        started = time.perf_counter()
        try:
            fetch(base + target.path, target.cookie, timeout=SLOW_SECONDS)
            alone = f"{time.perf_counter() - started:.1f} s"
        except (TimeoutError, ConnectionError):
            alone = f"no answer after {time.perf_counter() - started:.0f} s"
        notes.append(
            f"{label}: {result.requests} answered in {args.duration} s "
            f"({result.timeouts} timed out); the next request took {alone}, behind "
            "the ones wrk left queued"
        )
    return result


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# The only HTTPS server the benchmark talks to is its own nginx on loopback, whose certificate
# it made itself (tests/proxy_stack.py).
_LOOPBACK_TLS = ssl.create_default_context()
_LOOPBACK_TLS.check_hostname = False
_LOOPBACK_TLS.verify_mode = ssl.CERT_NONE
_opener = urllib.request.build_opener(
    _NoRedirect, urllib.request.HTTPSHandler(context=_LOOPBACK_TLS)
)


def fetch(
    url: str, cookie: str = "", data: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, str, str]:
    """(status, body, the session cookie to send next: the new one if the answer set one)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})
    try:
        response = _opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:  # 3xx/4xx/5xx arrive here without redirects
        response = exc
    with response:
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                cookie = header.split(";", 1)[0]
        return response.status, text, cookie


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    if not match:
        raise BenchError(f"no {name} field in the page")
    return match.group(1)


def form_token(base: str, page: str, cookie: str) -> tuple[str, str, str]:
    """(csrf_token, ts, cookie) as a browser gets them: from the form, or, when the page is
    shared by every reader (page cache) and names a token URL, from that URL as its script does."""
    url = re.search(r'data-token-url="([^"]+)"', page)
    if url is None:
        return hidden(page, "csrf_token"), hidden(page, "ts"), cookie
    status, body, cookie = fetch(base + html.unescape(url.group(1)), cookie)
    if status != 200:
        raise BenchError(f"the comment form's token URL answered {status}")
    token = json.loads(body)
    return token["csrf_token"], token["ts"], cookie


def sign_in(base: str, email: str, password: str) -> str:
    """A staff member's session cookie, signed in through the login form as a browser would."""
    _s, login, cookie = fetch(base + "/login")
    status, _b, cookie = fetch(
        base + "/login",
        cookie,
        {"email": email, "password": password, "csrf_token": hidden(login, "csrf_token")},
    )
    if status != 302:
        raise BenchError(f"{email}: the login answered {status}")
    return cookie
