"""The XSS corpus sent as a search query and indexed as an article's text, one slice per test
module: under `--dist loadfile` a module runs on one worker, and the whole corpus in one module
kept a worker busy for minutes. Every slice takes every CHUNKS-th string, so each holds every
source and shape; together the slices send every string once."""

from __future__ import annotations

from typing import Any

from . import xss_corpus
from .comment_helpers import dangerous_parts

CHUNKS = 3


def search_slice(index: int, app: Any, make_article: Any, database_url: str) -> None:
    everything = xss_corpus.corpus()
    assert len(everything) > 3000
    # Every payload is also indexed text, so highlighting runs over it in the results.
    make_article(title="Kho mẫu tấn công", lead=" ".join(everything[:400])[:2000], body="")
    client = app.test_client()
    own = client.get("/search?q=kho+mau").get_data(as_text=True)
    assert "<mark>Kho</mark> <mark>mẫu</mark> tấn công" in own
    assert dangerous_parts(own) == []
    for payload in xss_corpus.for_engine(database_url)[index::CHUNKS]:
        response = client.get("/search", query_string={"q": payload[:300] + " kho mau"})
        assert response.status_code == 200, payload
        assert dangerous_parts(response.get_data(as_text=True)) == [], payload
