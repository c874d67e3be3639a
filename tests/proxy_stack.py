"""The shipped deploy/ files run for real: nginx with deploy/nginx/newsportal.conf in front of
gunicorn servers started with deploy/gunicorn.conf.py, on loopback ports, as a normal user would
run them (a prefix folder, no root-owned paths). tests/test_nginx.py and `make bench` use it.

Only the values the config marks "operator:" are changed (each must be found, so the test fails
when the shipped file changes shape): the tested config is the shipped one. The benchmark also
serves its bare Flask app with AppServer, so both are measured under the same gunicorn settings.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from .servers import came_up, free_port

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "newsportal.conf"
HEADERS = DEPLOY / "nginx" / "newsportal-headers.conf"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED_UPSTREAMS = (
    "    server 127.0.0.1:8001 max_fails=3 fail_timeout=10s;\n"
    "    server 127.0.0.1:8002 max_fails=3 fail_timeout=10s;\n"
)


class StackError(RuntimeError):
    """A server of the stack did not start; the message holds its log."""


def site_config(
    folder: Path,
    upstreams: list[str],
    https_port: int,
    http_port: int,
    static: Path,
    uploads: Path,
) -> str:
    """deploy/nginx/newsportal.conf with the operator's values set for this machine."""
    text = SITE.read_text()
    replacements = {
        SHIPPED_UPSTREAMS: "".join(
            f"    server {u} max_fails=3 fail_timeout=10s;\n" for u in upstreams
        ),
        "/var/cache/nginx/newsportal": str(folder / "cache"),
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/portal.example.gov.vn/fullchain.pem": str(folder / "cert.pem"),
        "/etc/letsencrypt/live/portal.example.gov.vn/privkey.pem": str(folder / "key.pem"),
        "/var/www/letsencrypt": str(folder / "acme"),
        "/srv/newsportal/static/": f"{static}/",
        "/var/lib/newsportal/instance/uploads": str(uploads),
        "snippets/newsportal-headers.conf": str(folder / "newsportal-headers.conf"),
    }
    for shipped, local in replacements.items():
        if shipped not in text:
            raise StackError(f"{SITE} no longer holds {shipped!r}")
        text = text.replace(shipped, local)
    return text


def main_config(folder: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around a site, in the prefix folder."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's 0700 folders
    temp = "".join(
        f"  {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  sendfile on;\n  access_log {folder / 'access.log'};\n{temp}"
        f"  include {folder / 'newsportal.conf'};\n}}\n"
    )


def self_signed(folder: Path) -> None:
    certificate = ["-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
    files = ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")]
    command = ["openssl", "req", *certificate, *files]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (fixed arguments)


def _wait(process: subprocess.Popen[bytes], port: int, log: Path, what: str) -> None:
    if not came_up(process, port, 60):
        raise StackError(f"{what} did not start:\n{log.read_text(errors='replace')}")


@dataclass
class AppServer:
    """One gunicorn instance run with the shipped deploy/gunicorn.conf.py."""

    folder: Path
    name: str
    env: Mapping[str, str]
    workers: int = 1
    app: str = "newsportal:create_app()"  # gunicorn's WSGI app spec
    pythonpath: Path | None = None  # where `app` is found, when not in the package
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def access_log(self) -> Path:
        return self.folder / f"{self.name}.access.log"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        return f"http://{self.address}"

    def start(self) -> None:
        self.port = free_port()
        log = self.folder / f"{self.name}.log"
        env = {
            **self.env,
            "GUNICORN_BIND": self.address,
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_CONTROL_SOCKET": str(self.folder / f"{self.name}.ctl"),
        }
        command = [
            GUNICORN,
            "-c",
            str(GUNICORN_CONF),
            "--chdir",
            str(ROOT),
            "--access-logfile",
            str(self.access_log),
            "--error-logfile",
            str(log),
        ]
        if self.pythonpath is not None:
            command += ["--pythonpath", str(self.pythonpath)]
        command.append(self.app)
        # The app's own log lines (one per request) and a crash at import go to the log too.
        with log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 (ours)
                command, env=env, cwd=ROOT, stdout=output, stderr=output
            )
        _wait(self.process, self.port, log, f"gunicorn {self.name}")

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Proxy:
    """nginx with the shipped site config in front of `upstreams`."""

    folder: Path
    upstreams: list[str]
    static: Path
    uploads: Path
    https_port: int = 0
    http_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.https_port, self.http_port = free_port(), free_port()
        for sub in ("cache", "acme", "logs"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self_signed(self.folder)
        shutil.copyfile(HEADERS, self.folder / "newsportal-headers.conf")
        site = site_config(
            self.folder, self.upstreams, self.https_port, self.http_port, self.static, self.uploads
        )
        (self.folder / "newsportal.conf").write_text(site)
        (self.folder / "nginx.conf").write_text(main_config(self.folder))
        base = [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        checked = subprocess.run([*base, "-t"], capture_output=True, text=True)  # noqa: S603
        if checked.returncode != 0:
            raise StackError(f"nginx -t refused the config:\n{checked.stderr}")
        self.process = subprocess.Popen([*base, "-g", "daemon off;"])  # noqa: S603 (ours)
        _wait(self.process, self.https_port, self.folder / "error.log", "nginx")

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def stop(self) -> None:
        _stop(self.process)


@contextmanager
def serving(proxy: Proxy | None, apps: Sequence[AppServer]) -> Iterator[None]:
    """The app servers, then nginx in front of all of them; everything stopped afterwards,
    also when one of them did not start."""
    try:
        for app in apps:
            app.start()
        if proxy is not None:
            proxy.upstreams = [app.address for app in apps]
            proxy.start()
        yield
    finally:
        if proxy is not None:
            proxy.stop()
        for app in apps:
            app.stop()


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """A reader's browser: its own cookies, HTTPS to the proxy or HTTP to one app server."""

    def __init__(self, port: int, tls: bool = True) -> None:
        self.port, self.tls = port, tls
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=60, context=context
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in cookie and "1970" not in cookie:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return answer

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, form: Mapping[str, object], headers: dict[str, str] | None = None
    ) -> Answer:
        body = urlencode(form, doseq=True).encode()
        sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body=body, headers=sent)
