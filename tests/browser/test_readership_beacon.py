"""The article page says it was read, under the strict policy; the beacon sets no cookie."""

from __future__ import annotations

import pytest

from newsportal.readership import buffer

from .conftest import NewContext
from .live_server import LiveServer

pytestmark = pytest.mark.browser

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def test_an_article_view_sends_one_beacon_and_is_counted(
    new_context: NewContext, live_server: LiveServer
) -> None:
    slug = live_server.slugs["article"]
    article_id = live_server.article_id(slug)
    counts = live_server.app.extensions[buffer.EXTENSION]
    counts.take()  # whatever other walks left
    counts.flushed_at = buffer.clock()  # no flush takes this view before it is looked at
    context = new_context(user_agent=BROWSER)  # a headless browser's own name is a bot's
    page = context.new_page()
    with page.expect_response(f"**/r/{article_id}") as beacon:
        page.goto(f"/articles/{slug}")
    assert beacon.value.status == 204
    assert beacon.value.request.method == "POST"
    assert "set-cookie" not in beacon.value.headers  # the comment form's token sets its own
    assert beacon.value.headers["cache-control"] == "no-store"
    assert counts.take().get(article_id, 0) == 1
