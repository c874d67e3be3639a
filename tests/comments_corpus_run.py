"""The XSS corpus sent as a reader's comment (name and text), one slice per test module: under
`--dist loadfile` a module runs on one worker, and the whole corpus in one module kept a worker
busy for minutes while the other had finished. Every slice takes every CHUNKS-th string, so each
holds every source and shape of the corpus; together the slices send every string once."""

from __future__ import annotations

from typing import Any

from newsportal.comments import moderation

from . import xss_corpus
from .comment_helpers import comment_data, comments, count_with_class, dangerous_parts, parse

CHUNKS = 4


def send_slice(
    index: int, app: Any, client: Any, make_article: Any, auth: Any, database_url: str
) -> None:
    app.config.update(RATELIMIT_ENABLED=False, MODERATION_PER_PAGE=5000)
    assert len(xss_corpus.corpus()) > 3000
    payloads = xss_corpus.for_engine(database_url)[index::CHUNKS]
    article = make_article("Hỗ trợ người lao động", lead="Sapo.", body="Nội dung.")
    sent = 0
    for n, payload in enumerate(payloads):
        body = (payload + " ...")[:3000] if len(payload.strip()) < 3 else payload[:3000]
        name = payload.strip()[:80] or "x"
        data = comment_data(app, name=name, body=body, email=f"x{n}@example.org")
        response = client.post(f"/articles/{article.slug}/comments", data=data)
        if response.status_code == 200:  # re-shown form: what was typed goes back in safely
            assert dangerous_parts(response.get_data(as_text=True)) == [], payload
        else:
            sent += 1
            # Each string comes from a reader of their own: flashes left in one cookie would
            # grow it by one per post and make each request slower than the last.
            client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    # More than 3,000 of the whole corpus are taken: each slice takes at least its share of
    # that, so the slices together do (and PostgreSQL's sample takes the same share).
    assert sent > 3000 * len(payloads) / len(xss_corpus.corpus())
    with app.app_context():
        moderation.set_status([c.id for c in comments(app)], "approve", None)
    page = parse(app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True))
    assert dangerous_parts(page) == []
    assert count_with_class(page, "li", "comment") == sent  # the markup around them is intact
    auth.as_role("moderator")
    desk = parse(client.get("/moderation/?status=approved").get_data(as_text=True))
    assert dangerous_parts(desk) == []
    assert count_with_class(desk, "li", "queue-item") == sent
