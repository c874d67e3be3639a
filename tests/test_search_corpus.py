"""The XSS corpus sent as a search query and indexed as an article's text: the results page
comes out inert. A module of its own so that `--dist loadfile` can balance it."""

import pytest

from . import xss_corpus
from .comment_helpers import dangerous_parts


@pytest.mark.slow
@xss_corpus.needs_corpus
def test_xss_corpus_as_query_and_as_indexed_text_comes_out_inert(app, make_article, database_url):
    everything = xss_corpus.corpus()
    assert len(everything) > 3000
    # Every payload is also indexed text, so highlighting runs over it in the results.
    make_article(title="Kho mẫu tấn công", lead=" ".join(everything[:400])[:2000], body="")
    client = app.test_client()
    own = client.get("/search?q=kho+mau").get_data(as_text=True)
    assert "<mark>Kho</mark> <mark>mẫu</mark> tấn công" in own
    assert dangerous_parts(own) == []
    for payload in xss_corpus.for_engine(database_url):
        response = client.get("/search", query_string={"q": payload[:300] + " kho mau"})
        assert response.status_code == 200, payload
        assert dangerous_parts(response.get_data(as_text=True)) == [], payload
