"""The XSS corpus sent as a reader's comment (name and text): it comes out inert everywhere it is
shown. A module of its own so that `--dist loadfile` can give it a worker while the rest of the
comment tests run on the other."""

import pytest

from newsportal.comments import moderation

from . import xss_corpus
from .comment_helpers import comment_data, comments, count_with_class, dangerous_parts, parse


@pytest.mark.slow
@xss_corpus.needs_corpus
def test_xss_corpus_as_name_and_body_comes_out_inert(app, client, make_article, auth, database_url):
    app.config.update(RATELIMIT_ENABLED=False, MODERATION_PER_PAGE=5000)
    assert len(xss_corpus.corpus()) > 3000
    payloads = xss_corpus.for_engine(database_url)
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
            # The reader reads the confirmation where it is sent: flashes left in the cookie
            # would grow it by one per post and make each request slower than the last.
            with client.session_transaction() as session:
                session.pop("_flashes", None)
    # More than 3,000 of the whole corpus are taken (the same share of the PostgreSQL sample).
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
