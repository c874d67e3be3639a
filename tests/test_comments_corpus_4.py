"""Slice 4 of 4 of the XSS corpus sent as a reader's comment comes out inert everywhere it is
shown (tests/comments_corpus_run.py): a module per slice so both workers share the corpus."""

import pytest

from . import xss_corpus
from .comments_corpus_run import send_slice


@pytest.mark.slow
@xss_corpus.needs_corpus
@xss_corpus.untraced
def test_xss_corpus_slice_as_name_and_body_comes_out_inert(
    app, client, make_article, auth, database_url
):
    send_slice(3, app, client, make_article, auth, database_url)
