"""Page weight: the seed article with 50 approved comments, its HTML plus every same-origin
stylesheet and script it loads, stays under 100 KB uncompressed (issue 17's limit; pictures and
fonts are not counted)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from newsportal.comments import moderation, services
from newsportal.extensions import db
from newsportal.models import Article, Comment

from .test_import import SEED, SEED_SLUG, needs_seed

LIMIT = 100 * 1024
COMMENT = (
    "Tôi đồng tình với chủ trương phối hợp tuyên truyền, giám sát việc thực hiện Nghị quyết. "
    "Đề nghị các đơn vị công khai kết quả định kỳ để người dân được biết và cùng theo dõi; "
    "doanh nghiệp nhỏ ở xã tôi rất cần thông tin về thủ tục hỗ trợ."
)


def _fifty_approved(app) -> None:
    with app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.slug == SEED_SLUG))
        policy = services.policy_from({**app.config, "RATELIMIT_ENABLED": False}, None)
        for n in range(50):
            data = services.CommentInput(
                name=f"Bạn đọc Nguyễn Văn {n}",
                email=f"ban-doc-{n}@example.org",
                body=f"{COMMENT} (ý kiến {n})",
                ip=f"192.0.2.{n}",
                form_age=timedelta(minutes=5),
            )
            services.submit_comment(article, data, policy)
        ids = list(db.session.scalars(db.select(Comment.id)))
        moderation.set_status(ids, "approve", None)


@needs_seed
@pytest.mark.sqlite_only("the weight of a page does not depend on the database")
def test_seed_article_with_fifty_comments_weighs_under_100_kb(app, runner, client):
    assert runner.invoke(args=["articles", "import", str(SEED)]).exit_code == 0
    _fifty_approved(app)
    page = client.get(f"/articles/{SEED_SLUG}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.data, "html.parser")
    assert len(soup.select(".comment-list > li")) == 50  # the page really holds them
    sizes = {"HTML": len(page.data)}
    assets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assets += [script["src"] for script in soup.find_all("script", src=True)]
    for url in assets:
        parts = urlsplit(url)
        if parts.netloc:  # another origin: none is allowed by the CSP anyway
            continue
        with client.get(parts.path, query_string=parts.query) as response:
            assert response.status_code == 200, url
            sizes[parts.path] = len(response.data)
    total = sum(sizes.values())
    breakdown = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in sizes.items())
    assert total < LIMIT, f"{total / 1024:.1f} KB: {breakdown}"
    assert any(name.endswith(".css") for name in sizes), breakdown  # the sum is not vacuous
