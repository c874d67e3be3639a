"""`flask demo load`: original sample content and staff accounts, safe to run twice."""

import re
import unicodedata
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bs4 import BeautifulSoup

from newsportal import ROOT
from newsportal.text import as_utc, utcnow

from .conftest import all_articles, all_categories, get_user
from .demo_snapshot import load_demo

SEED_BODY = Path(__file__).resolve().parents[2] / "shared" / "seed" / "dong-thap-nq68.md"


def test_demo_load_gives_a_site_worth_trying(app, client):
    result = load_demo(app)
    assert result.exit_code == 0, result.output
    articles = all_articles(app)
    assert len(all_categories(app)) >= 3
    assert len(articles) >= 8
    states = [a.state() for a in articles]
    assert "draft" in states
    scheduled = [a for a in articles if a.state() == "scheduled"]
    assert scheduled
    assert all(a.published_at > utcnow() for a in scheduled)
    assert any("<table>" in a.body_html for a in articles)
    images = [src for a in articles for src in re.findall(r'<img[^>]* src="([^"]+)"', a.body_html)]
    local = [src for src in images if src.startswith("/static/")]
    assert local
    assert all((ROOT / src.lstrip("/")).is_file() for src in local)
    lengths = sorted(len(a.body_md) for a in articles)
    assert lengths[-1] > 3 * lengths[0]  # varied length
    home = BeautifulSoup(client.get("/").get_data(as_text=True), "html5lib")
    assert len(home.select(".top-story, .headlines li, .card")) >= 6


MENU = ["Thời sự", "Chỉ đạo – Điều hành", "Kinh tế", "Nông nghiệp"]
MENU += ["Văn hóa – Xã hội", "Giáo dục", "Y tế"]


def test_demo_fills_every_category_of_a_provincial_portal(app):
    assert load_demo(app).exit_code == 0
    categories = sorted(all_categories(app), key=lambda c: c.position)
    assert [c.name for c in categories] == MENU
    articles = all_articles(app)
    assert len(articles) >= 30
    published = Counter(a.category_id for a in articles if a.state() == "published")
    assert all(published[c.id] >= 4 for c in categories), published


def test_every_demo_article_has_a_picture_and_nfc_text(app):
    assert load_demo(app).exit_code == 0
    articles = all_articles(app)
    assert all(a.featured_image_id for a in articles)
    assert len({a.featured_image_id for a in articles}) == len(articles)  # each its own
    for a in articles:
        for text in (a.title, a.lead, a.body_md, a.byline, a.featured_image_alt):
            assert text
            assert unicodedata.normalize("NFC", text) == text, a.slug
        assert "minh họa" in a.featured_image_caption


def test_demo_dates_are_the_last_three_weeks_whenever_it_is_loaded(app):
    assert load_demo(app).exit_code == 0
    now = utcnow()
    dates = sorted(as_utc(a.published_at) for a in all_articles(app) if a.state() == "published")
    recent = [d for d in dates if now - timedelta(days=22) < d]
    # one keeps its day: its text names it, and the reception schedule's 20th agrees with it
    assert len(recent) >= len(dates) - 1
    assert dates[-1] > now - timedelta(days=2)
    assert len({d.date() for d in recent}) >= 15  # spread out, not all on one day


def test_demo_accounts_are_printed_and_work(app, client):
    result = load_demo(app)
    passwords = dict(re.findall(r"account (\S+) \(\w+\) password: (\S+)", result.output))
    assert len(passwords) == 4
    roles = {get_user(app, email).role for email in passwords}
    assert roles == {"admin", "editor", "moderator", "reporter"}
    assert get_user(app, "phongvien@example.org").role == "reporter"
    editor = next(email for email in passwords if get_user(app, email).role == "editor")
    client.post("/login", data={"email": editor, "password": passwords[editor]})
    assert client.get("/editor/").status_code == 200


def test_demo_load_is_idempotent(app, runner):
    runner.invoke(args=["demo", "load"])
    first = [(a.slug, a.published_at, a.featured_image_id) for a in all_articles(app)]
    menu = [(c.name, c.position) for c in all_categories(app)]
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "password unchanged" in second.output
    assert [(a.slug, a.published_at, a.featured_image_id) for a in all_articles(app)] == first
    assert [(c.name, c.position) for c in all_categories(app)] == menu
    assert len(menu) == 7


def test_demo_articles_are_original_not_the_seed(app):
    load_demo(app)
    if not SEED_BODY.exists():
        return
    seed = SEED_BODY.read_text(encoding="utf-8")
    seed_sentences = {s.strip() for s in re.split(r"[.;]", seed) if len(s.strip()) > 40}
    for article in all_articles(app):
        assert not any(sentence in article.body_md for sentence in seed_sentences)


def test_demo_load_brings_comments_to_moderate(app, runner, client):
    from .comment_helpers import comments

    load_demo(app)
    statuses = [c.status for c in comments(app)]
    assert statuses.count("pending") >= 3
    assert "approved" in statuses
    page = client.get("/articles/lanh-dao-ubnd-tinh-tiep-cong-dan-dinh-ky-thang-11")
    reply = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(
        string=re.compile("Ban Biên tập trả lời bạn đọc")
    )
    assert reply is not None
    assert reply.parent.get_text(" ", strip=True) == "Ban Biên tập trả lời bạn đọc Trần Văn Lộc"
    runner.invoke(args=["demo", "load"])
    assert len(comments(app)) == len(statuses)
