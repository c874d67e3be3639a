"""What the storage tests share: uploads through the real desk forms, a response's headers
stripped of what differs from one request to the next, and real gunicorn servers with a
browser-like client for the two-server test."""

from __future__ import annotations

import hashlib
import http.cookiejar
import io
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from newsportal.media.demo import rice_field
from newsportal.models import Image, PublishedResult
from newsportal.pages.demo import sample_pdf

from .servers import came_up, free_port

PICTURE = rice_field(900, 600)  # three copies: 400, 800 and the full 900 px wide
PDF = sample_pdf("12/KL-TTR - SAMPLE")
PDF_SHA = hashlib.sha256(PDF).hexdigest()
RESULT_FORM = {
    "title": "Kết luận nội dung tố cáo đối với ông X",
    "document_number": "12/KL-TTr",
    "issued_on": "2026-10-01",
    "kind": "denunciation",
    "summary": "Tố cáo đúng một phần.",
    "url": "",
}
GUNICORN = Path(sys.executable).with_name("gunicorn")
# Headers that differ between two answers by design: the time, and the id each request gets
# for the logs (newsportal/requestlog.py).
PER_REQUEST = {"Date", "X-Request-ID"}


def picture_form() -> dict[str, Any]:
    return {"file": (io.BytesIO(PICTURE), "canh-dong.jpg")}


def result_form() -> dict[str, Any]:
    return {**RESULT_FORM, "pdf": (io.BytesIO(PDF), "ket-luan.pdf")}


def upload_both(client: Any) -> None:
    """An editor's picture and result PDF, sent through the desk's forms."""
    page = client.post("/editor/images/", data=picture_form(), content_type="multipart/form-data")
    assert page.status_code == 302
    saved = client.post(
        "/editor/section/results/new", data=result_form(), content_type="multipart/form-data"
    )
    assert saved.status_code == 302


def stored_urls(engine: Engine) -> list[str]:
    """Where readers fetch every stored picture copy and result PDF, from the rows."""
    with engine.connect() as connection:
        variants = connection.scalars(select(Image.variants)).all()
        shas = connection.scalars(select(PublishedResult.file_sha256)).all()
    pictures = [f"/uploads/{copy['name']}" for copies in variants for copy in copies]
    return sorted(pictures) + [f"/documents/{sha}.pdf" for sha in shas if sha]


def answers(client: Any, url: str) -> list[tuple[int, dict[str, str], bytes]]:
    """A plain GET, a revalidation with the ETag, and a Range request, as a reader sends them."""
    full = client.get(url)
    etag = full.headers["ETag"]
    found = [
        full,
        client.get(url, headers={"If-None-Match": etag}),
        client.get(url, headers={"Range": "bytes=100-1099"}),
    ]
    result = []
    for response in found:
        headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
        result.append((response.status_code, headers, response.get_data()))
        response.close()
    return result


class Server:
    """A real gunicorn process serving the app; what it prints goes to `log`."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [
            str(GUNICORN),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{self.port}",
            "newsportal:create_app()",
        ]
        with log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
                command, env={**os.environ, **env}, stdout=output, stderr=output
            )
        if not came_up(self.process, self.port, 30):
            self.stop()
            raise RuntimeError(log.read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Browser:
    """One cookie jar, any server; redirects are answers, not followed."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def send(self, request: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers.items()), error.read()

    def get(self, url: str) -> tuple[int, dict[str, str], bytes]:
        return self.send(urllib.request.Request(url))  # noqa: S310 (http://127.0.0.1 only)

    def post(self, url: str, fields: dict[str, Any]) -> int:
        """A form as a browser sends it: multipart when it carries a file."""
        if any(isinstance(value, tuple) for value in fields.values()):
            files = {k: FileStorage(*v) if isinstance(v, tuple) else v for k, v in fields.items()}
            boundary, body = encode_multipart(files)
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            body, kind = (
                urllib.parse.urlencode(fields).encode(),
                "application/x-www-form-urlencoded",
            )
        request = urllib.request.Request(url, data=body, headers={"Content-Type": kind})  # noqa: S310
        return self.send(request)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
