"""The built artefact: a wheel installed outside the checkout serves the whole site.

Built once per run (sdist, then the wheel from that sdist, as `python -m build` does), installed
into a fresh virtualenv in a temporary folder from requirements.lock (hashes checked) plus the
wheel alone, migrated, loaded with the demo, and served by gunicorn in production mode on a free
loopback port, as behind a proxy: `Host` is the public one, `X-Forwarded-Proto: https`.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
import urllib.parse
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from newsportal import ROOT

from .servers import came_up, free_port

pytestmark = pytest.mark.slow

PUBLIC_HOST = "portal.example.test"
EDITOR = ("bien.tap.wheel@example.org", "Trần Thị Bình", "ngọn-đèn-biển-cửa-đại-2026")
UV = Path(sys.executable).with_name("uv")
DEV_TOOLS = {"pytest", "ruff", "mypy", "hypothesis", "playwright", "coverage", "uv"}
# Interface strings each page shows: Vietnamese in a working install, English when the
# compiled catalogues are missing (what a wheel without them served).
STRINGS = {
    "home": ["Skip to content", "Staff sign-in", "Citizen reception schedule"],
    "article": ["Print", "Staff sign-in"],
    "login": [
        "For editors, moderators and administrators. Readers do not need an account to "
        "read or comment."
    ],
    "editor": ["New article", "Publication time", "Last saved"],
}


def _run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(  # noqa: S603 (our own tools, fixed arguments)
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_env() -> dict[str, str]:
    # Nothing of the checkout or this run's settings may leak into the installed site.
    leaks = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    return {
        k: v for k, v in os.environ.items() if k not in leaks and not k.startswith("NEWSPORTAL")
    }


@dataclass
class Artefacts:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Artefacts:
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the dev extra's setuptools and babel, no download; the wheel is built from
    # the sdist, so a file missing from the sdist is missing from the wheel too.
    _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        _clean_env(),
        out,
    )
    (wheel,) = out.glob("newsportal-*.whl")
    (sdist,) = out.glob("newsportal-*.tar.gz")
    return Artefacts(wheel, sdist)


@dataclass
class Client:
    """One reader's cookies, speaking to the server as the proxy in front would."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{PUBLIC_HOST}{path}"  # CSRF's HTTPS referrer check
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, content

    def page(self, path: str) -> BeautifulSoup:
        status, _, content = self.request("GET", path)
        assert status == 200, (path, status, content[:500])
        return BeautifulSoup(content, "html.parser")


@dataclass
class Site:
    venv: Path
    env: dict[str, str]
    port: int
    article: str
    log: Path


@pytest.fixture(scope="session")
def site(artefacts: Artefacts, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("deployed")  # outside the checkout: nothing to fall back on
    venv = home / "venv"
    env = _clean_env()
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env, home)
    python = str(venv / "bin" / "python")
    # The deployment's install: the locked runtime dependencies, hashes checked, then the wheel
    # alone, compiled to bytecode as pip would. uv installs the same files pip would from the
    # same lock, in a fraction of the time.
    install = [str(UV), "pip", "install", "--quiet", "--compile-bytecode", "--python", python]
    _run(
        [*install, "--require-hashes", "--no-deps", "-r", str(ROOT / "requirements.lock")],
        env,
        home,
    )
    _run([*install, "--no-deps", str(artefacts.wheel)], env, home)
    env |= {
        "NEWSPORTAL_ENV": "production",
        "NEWSPORTAL_SECRET_KEY": secrets.token_urlsafe(48),
        "NEWSPORTAL_PUBLIC_URL": f"https://{PUBLIC_HOST}",
        "NEWSPORTAL_PROXY_HOPS": "1",
        "NEWSPORTAL_INSTANCE_PATH": str(home / "instance"),
    }
    flask = [str(venv / "bin" / "flask"), "--app", "newsportal"]
    _run([*flask, "db", "upgrade"], env, home)
    loaded = _run([*flask, "demo", "load"], env, home)
    article = re.findall(r"^article: (/articles/\S+)$", loaded, re.MULTILINE)[0]
    email, name, password = EDITOR
    create = [*flask, "users", "create", email, "--name", name, "--role", "editor"]
    _run([*create, "--password", password], env, home)
    port = free_port()
    log = home / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (the installed gunicorn, fixed arguments)
            [
                str(venv / "bin" / "gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "newsportal:create_app()",
            ],
            env=env,
            cwd=home,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        assert came_up(server, port, 60), log.read_text()
        yield Site(venv, env, port, article, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _vietnamese() -> dict[str, str]:
    with (ROOT / "newsportal/translations/vi/LC_MESSAGES/messages.po").open("rb") as file:
        return {m.id: m.string for m in read_po(file) if isinstance(m.id, str) and m.string}


def _speaks_vietnamese(page: BeautifulSoup, strings: list[str]) -> None:
    assert page.html is not None
    assert page.html.get("lang") == "vi"
    text = " ".join(page.get_text(" ").split())
    translations = _vietnamese()
    for english in strings:
        assert translations[english] in text, english
        assert english not in text


def test_the_wheel_holds_the_site_folders_and_compiled_catalogues(artefacts):
    names = set(zipfile.ZipFile(artefacts.wheel).namelist())
    for folder in ("templates", "static", "migrations"):
        sources = [
            p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
        assert sources
        for path in sources:
            assert f"newsportal/{path.relative_to(ROOT).as_posix()}" in names
    for lang in ("vi", "en"):
        assert f"newsportal/translations/{lang}/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith(("tests/", "instance/"))]


def test_the_sdist_holds_what_the_wheel_is_built_from(artefacts):
    with tarfile.open(artefacts.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in (
        "setup.py",
        "pyproject.toml",
        "requirements.lock",
        "templates/base.html",
        "static/css/site.css",
        "migrations/env.py",
        "newsportal/translations/vi/LC_MESSAGES/messages.po",
        "newsportal/translations/vi/LC_MESSAGES/messages.mo",
    ):
        assert needed in names


def test_the_installed_package_is_the_wheel_and_runs_without_dev_tools(site):
    # where the venv's python finds the package (found, not imported: that costs seconds)
    probe = "import importlib.util; print(importlib.util.find_spec('newsportal').origin)"
    found = _run([str(site.venv / "bin/python"), "-c", probe], site.env, site.venv).strip()
    package = Path(found).parent
    assert package.is_relative_to(site.venv)
    assert (package / "templates" / "base.html").is_file()  # site_files.INSTALLED: no checkout
    listed = _run(
        [str(UV), "pip", "list", "--python", str(site.venv / "bin/python")], site.env, site.venv
    )
    names = {line.split()[0].lower() for line in listed.splitlines()[2:]}
    assert {"gunicorn", "newsportal"} <= names
    assert not names & DEV_TOOLS
    # every requirement of every installed package is met: the lock is the whole closure
    _run([str(UV), "pip", "check", "--python", str(site.venv / "bin/python")], site.env, site.venv)


@pytest.mark.parametrize(("path", "strings"), [("/", "home"), (None, "article")])
def test_the_installed_site_serves_vietnamese_pages(site, path, strings):
    page = Client(site.port).page(path or site.article)
    _speaks_vietnamese(page, STRINGS[strings])


def test_the_installed_site_serves_its_static_files(site):
    status, headers, content = Client(site.port).request("GET", "/static/css/site.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert content == (ROOT / "static/css/site.css").read_bytes()


def test_the_installed_site_signs_an_editor_in_to_the_desk(site):
    client = Client(site.port)
    login = client.page("/login")
    _speaks_vietnamese(login, STRINGS["login"])
    token = login.find("input", attrs={"name": "csrf_token"})
    assert token is not None
    email, _, password = EDITOR
    form = {"csrf_token": str(token["value"]), "email": email, "password": password}
    status, headers, _ = client.request("POST", "/login", form)
    assert status == 302, site.log.read_text()[-2000:]
    assert "__Host-session" in client.cookies  # production's cookie, sent back over "HTTPS"
    desk = client.page("/editor/")
    _speaks_vietnamese(desk, STRINGS["editor"])
    assert EDITOR[1] in desk.get_text()  # signed in as the account the CLI made


def test_the_installed_site_keeps_staff_pages_from_anonymous_readers(site):
    status, headers, _ = Client(site.port).request("GET", "/editor/")
    assert status == 302
    assert urllib.parse.urlsplit(headers["Location"]).path == "/login"


def test_the_installed_site_keeps_its_data_outside_the_package(site):
    assert (Path(site.env["NEWSPORTAL_INSTANCE_PATH"]) / "newsportal.db").is_file()
    assert not list(site.venv.glob("lib/python*/site-packages/instance"))
    # without NEWSPORTAL_INSTANCE_PATH an installed site uses Flask's <venv>/var/newsportal-instance
    env = {k: v for k, v in site.env.items() if k != "NEWSPORTAL_INSTANCE_PATH"}
    env["NEWSPORTAL_ENV"] = "development"
    probe = "from newsportal import create_app; print(create_app().instance_path)"
    shown = _run([str(site.venv / "bin/python"), "-c", probe], env, site.venv).strip()
    assert Path(shown) == site.venv / "var" / "newsportal-instance"


# What a checkout holds that `git clone` would not bring: the copy starts without catalogues.
UNTRACKED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "*.mo",
    "__pycache__",
    "instance",
    "test-artifacts",
    "node_modules",
    "*.egg-info",
    "build",
    "dist",
    "htmlcov",
    ".*_cache",
    ".coverage*",
)
PROBE = """
import sys
import newsportal
from newsportal import create_app
from newsportal.extensions import db
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with app.app_context():
    db.create_all()
print(newsportal.__file__)
print(app.test_client().get("/login").get_data(as_text=True))
"""


def test_an_editable_install_compiles_the_catalogues_it_serves(tmp_path):
    # `pip install -e .` without make: pip calls the backend's build_editable in the checkout
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=UNTRACKED)
    catalogues = sorted(checkout.glob("newsportal/translations/*/LC_MESSAGES/messages.mo"))
    assert not catalogues
    build = "import sys; from setuptools import build_meta; build_meta.build_editable(sys.argv[1])"
    _run([sys.executable, "-c", build, str(tmp_path)], _clean_env(), checkout)
    for lang in ("vi", "en"):
        assert (checkout / f"newsportal/translations/{lang}/LC_MESSAGES/messages.mo").is_file()
    # the editable install imports the checkout itself: run the copy as it would
    env = _clean_env() | {
        "PYTHONPATH": str(checkout),
        "NEWSPORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    shown = _run([sys.executable, "-c", PROBE, f"sqlite:///{tmp_path / 'site.db'}"], env, tmp_path)
    module, html = shown.split("\n", 1)
    assert Path(module).is_relative_to(checkout)
    _speaks_vietnamese(BeautifulSoup(html, "html.parser"), STRINGS["login"])
