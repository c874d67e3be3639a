"""Slice 1 of 3 of the XSS corpus as a search query and as indexed text: the results page comes
out inert (tests/search_corpus_run.py). A module per slice so both workers share the corpus."""

import pytest

from . import xss_corpus
from .search_corpus_run import search_slice


@pytest.mark.slow
@xss_corpus.needs_corpus
@xss_corpus.untraced
def test_xss_corpus_slice_as_query_and_as_indexed_text_comes_out_inert(
    app, make_article, database_url
):
    search_slice(0, app, make_article, database_url)
