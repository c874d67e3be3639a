"""Each storage backend keeps and serves pictures and result PDFs the same way: the interface,
the response headers readers and caches get, deletion, and the memory a download may take."""

from __future__ import annotations

import hashlib
import tracemalloc
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from newsportal import storage
from newsportal.extensions import db
from newsportal.models import PublishedResult, StoredChunk
from newsportal.models.storage import CHUNK_BYTES

from .storage_helpers import PDF, PDF_SHA, answers, stored_urls, upload_both

YEAR, DAY = 31536000, 86400


@pytest.fixture(params=storage.BACKENDS)
def storage_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app_config(app_config: dict[str, Any], storage_backend: str) -> dict[str, Any]:
    return {**app_config, "STORAGE_BACKEND": storage_backend}


def test_the_interface_holds_for_each_backend(app: Flask, storage_backend: str) -> None:
    key = f"documents/{PDF_SHA}.pdf"
    with app.app_context():
        files = storage.current()
        assert files.name == storage_backend
        assert not files.exists(key)
        assert files.open(key) is None
        files.put(key, PDF)
        files.put(key, PDF)  # content-addressed: the second is a no-op
        db.session.commit()
    with app.app_context():
        files = storage.current()
        assert files.exists(key)
        assert files.read(key) == PDF
        opened = files.open(key)
        assert opened is not None
        with opened.stream as stream:
            assert opened.size == len(PDF)
            assert stream.read() == PDF
        assert list(files.list()) == [key]
        files.delete(key)
        files.delete(key)  # already gone: nothing to do
        assert (files.exists(key), files.read(key), files.open(key)) == (False, None, None)
        assert list(files.list()) == []


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", ".hidden", "a/../b", "a//b", ""])
@pytest.mark.sqlite_only("the key rules are checked before any database is asked")
def test_a_key_cannot_leave_the_storage(app: Flask, key: str) -> None:
    with app.app_context():
        files = storage.current()
        for action in (files.exists, files.read, files.open, files.delete):
            with pytest.raises(storage.BadKey):
                action(key)
        with pytest.raises(storage.BadKey):
            files.put(key, b"x")


def test_uploads_are_served_with_the_stated_headers(app: Flask, auth: Any, client: Any) -> None:
    auth.as_role("editor")
    upload_both(client)
    with app.app_context():
        urls = stored_urls(db.engine)
    assert len(urls) == 4  # the picture 400, 800 and its full 900 px wide, and the PDF
    for url in urls:
        (status, headers, body), (revalidated, _, empty), (partial, ranged, part) = answers(
            client, url
        )
        name = url.rsplit("/", 1)[-1]
        sha, extension = name.split(".")
        pdf = extension == "pdf"
        assert (status, revalidated, partial) == (200, 304, 206)
        assert hashlib.sha256(body).hexdigest() == sha
        assert (empty, part) == (b"", body[100:1100])
        assert headers["Content-Type"] == ("application/pdf" if pdf else "image/jpeg")
        assert headers["Cache-Control"] == f"public, max-age={DAY if pdf else YEAR}, immutable"
        assert headers["ETag"] == f'"{sha}"'
        assert headers["Content-Length"] == str(len(body))
        assert headers["Content-Disposition"] == f"inline; filename={name}"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"] == (
            "sandbox" if pdf else "default-src 'none'; sandbox"
        )
        assert headers["Accept-Ranges"] == "bytes"
        assert "Last-Modified" not in headers  # a copy's time: it would differ between servers
        last = min(1099, len(body) - 1)  # the sample PDF is shorter than the range asked for
        assert ranged["Content-Range"] == f"bytes 100-{last}/{len(body)}"


def test_deleting_a_result_deletes_its_pdf(app: Flask, auth: Any, client: Any) -> None:
    auth.as_role("editor")
    upload_both(client)
    url = f"/documents/{PDF_SHA}.pdf"
    with client.get(url) as served:
        assert served.status_code == 200
    with app.app_context():
        result_id = db.session.scalar(select(PublishedResult.id))
    assert client.post(f"/editor/section/results/{result_id}/delete").status_code == 302
    assert client.get(url).status_code == 404
    with app.app_context():
        assert not storage.current().exists(f"documents/{PDF_SHA}.pdf")


def _large_file() -> bytes:
    """16 MB (the upload limit) that no compression shrinks: sha256 blocks chained."""
    block, blocks = hashlib.sha256(b"seed").digest(), []
    for _ in range(storage.MAX_BYTES // 32):
        block = hashlib.sha256(block).digest()
        blocks.append(block)
    return b"".join(blocks)


@pytest.mark.slow
@pytest.mark.parametrize("storage_backend", ["database"])
def test_a_large_file_is_streamed_from_the_database_a_chunk_at_a_time(
    app: Flask, client: Any
) -> None:
    data = _large_file()
    sha = hashlib.sha256(data).hexdigest()
    with app.app_context():
        storage.current().put(f"{sha}.jpg", data)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(StoredChunk)) == 32
        engine = db.engine
    chunk_reads: list[str] = []

    def record(*args: Any) -> None:
        if "stored_chunks" in args[2]:
            chunk_reads.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    tracemalloc.start()
    try:
        response = client.get(f"/uploads/{sha}.jpg", buffered=False)
        digest = hashlib.sha256()
        for piece in response.response:
            digest.update(piece)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        event.remove(engine, "before_cursor_execute", record)
    assert digest.hexdigest() == sha
    assert len(chunk_reads) == len(data) // CHUNK_BYTES  # each chunk read once, none twice
    # The whole file would be 16 MB; one chunk and the reading around it is what it takes.
    assert peak < 4 * CHUNK_BYTES, peak
    # A Range across a chunk boundary comes from the two chunks either side.
    ranged = client.get(f"/uploads/{sha}.jpg", headers={"Range": "bytes=524000-525000"})
    with ranged:
        assert ranged.status_code == 206
        assert ranged.data == data[524000:525001]
