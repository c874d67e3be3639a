"""Feeds, sitemap, robots.txt, share cards, related articles, author pages, print view."""

from __future__ import annotations

import json
import re
from datetime import datetime
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from .page_helpers import make_page

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OFFSET_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


def _visibility_set(make_article, make_category):
    cat = make_category("Kinh tế")
    live = make_article(title="Đã đăng <b>Tháp Mười</b>", category_id=cat, lead="Sapo & đủ")
    draft = make_article(title="Bản nháp bí mật", when=None, category_id=cat)
    scheduled = make_article(title="Bài hẹn giờ bí mật", when=+90, category_id=cat)
    return live, draft, scheduled


def test_feed_is_atom_with_absolute_urls_offsets_and_only_published(
    client, make_article, make_category
):
    live, draft, scheduled = _visibility_set(make_article, make_category)
    response = client.get("/feed.xml")
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Đã đăng <b>Tháp Mười</b>"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == f"http://127.0.0.1:5000/articles/{live.slug}"
    assert entry.findtext(f"{ATOM}summary") == "Sapo & đủ"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Minh Hằng"
    published = entry.findtext(f"{ATOM}published")
    assert OFFSET_TIME.match(published)
    assert datetime.fromisoformat(published) == live.published_at.replace(microsecond=0)
    assert OFFSET_TIME.match(root.findtext(f"{ATOM}updated"))
    self_link = [ln for ln in root.findall(f"{ATOM}link") if ln.get("rel") == "self"][0]
    assert self_link.get("href") == "http://127.0.0.1:5000/feed.xml"
    assert b"bi mat" not in response.data
    assert "bí mật".encode() not in response.data


def test_feed_keeps_the_latest_30(client, app, make_article):
    for i in range(32):
        make_article(title=f"Tin số {i}", when=-100 + i)
    root = ET.fromstring(client.get("/feed.xml").data)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert len(titles) == 30
    assert titles[0] == "Tin số 31"


def test_category_feed_has_only_that_category(client, make_article, make_category):
    farming = make_category("Nông nghiệp")
    make_article(title="Lúa thu đông", category_id=farming)
    make_article(title="Không chuyên mục")
    response = client.get("/categories/nong-nghiep/feed.xml")
    root = ET.fromstring(response.data)
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Lúa thu đông"]
    assert client.get("/categories/khong-co/feed.xml").status_code == 404
    page = BeautifulSoup(client.get("/categories/nong-nghiep").data, "html.parser")
    assert page.select_one('link[rel=alternate][type="application/atom+xml"][href$="/feed.xml"]')


def test_every_page_links_the_feed(client):
    soup = BeautifulSoup(client.get("/").data, "html.parser")
    link = soup.select_one('head link[rel=alternate][type="application/atom+xml"]')
    assert link["href"] == "/feed.xml"


def test_sitemap_lists_published_articles_with_lastmod(client, make_article, make_category):
    live, draft, scheduled = _visibility_set(make_article, make_category)
    response = client.get("/sitemap.xml")
    assert response.content_type == "application/xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SM}urlset"
    locs = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}
    assert "http://127.0.0.1:5000/" in locs
    assert "http://127.0.0.1:5000/categories/kinh-te" in locs
    article_url = f"http://127.0.0.1:5000/articles/{live.slug}"
    assert OFFSET_TIME.match(locs[article_url])
    assert f"http://127.0.0.1:5000/articles/{draft.slug}" not in locs
    assert f"http://127.0.0.1:5000/articles/{scheduled.slug}" not in locs


def test_sitemap_lists_every_published_information_page_with_lastmod(app, client):
    section = make_page(app, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    child = make_page(app, "Lịch tiếp công dân", parent_id=section.id, slug="lich-tiep-cong-dan")
    privacy = make_page(app, "Bảo vệ dữ liệu cá nhân", slug="bao-ve-du-lieu-ca-nhan")
    draft = make_page(app, "Trang nháp chưa công bố", publish=False)
    root = ET.fromstring(client.get("/sitemap.xml").data)
    locs = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}
    for page in (section, child, privacy):
        lastmod = locs[f"http://127.0.0.1:5000/pages/{page.slug}"]
        assert OFFSET_TIME.match(lastmod)
        assert datetime.fromisoformat(lastmod) == page.updated_at.replace(microsecond=0)
    assert f"http://127.0.0.1:5000/pages/{draft.slug}" not in locs


def test_sitemap_becomes_an_index_past_the_limit(app, client, make_article):
    app.config["SITEMAP_MAX_URLS"] = 3
    for i in range(5):
        make_article(title=f"Tin {i}", when=-100 + i)
    root = ET.fromstring(client.get("/sitemap.xml").data)
    assert root.tag == f"{SM}sitemapindex"
    pages = [s.findtext(f"{SM}loc") for s in root.findall(f"{SM}sitemap")]
    assert pages == [f"http://127.0.0.1:5000/sitemap-{n}.xml" for n in (1, 2)]  # home + 5 articles
    seen = []
    for url in pages:
        part = ET.fromstring(client.get(url.removeprefix("http://127.0.0.1:5000")).data)
        assert part.tag == f"{SM}urlset"
        seen += [u.findtext(f"{SM}loc") for u in part.findall(f"{SM}url")]
    assert len(seen) == len(set(seen)) == 6
    assert client.get("/sitemap-3.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_robots_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.content_type == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in text
    assert "Disallow: /editor/" in text


def test_article_page_has_canonical_opengraph_twitter_and_jsonld(
    client, make_article, make_category
):
    cat = make_category("Thời sự")
    article = make_article(
        title='Tiêu đề </script><script>alert("x")</script>',
        lead="Sapo 'một' & hai",
        category_id=cat,
    )
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    url = f"http://127.0.0.1:5000/articles/{article.slug}"
    assert soup.select_one("link[rel=canonical]")["href"] == url

    def meta(key):
        tag = soup.select_one(f'meta[property="{key}"]') or soup.select_one(f'meta[name="{key}"]')
        return tag["content"] if tag else None

    assert meta("og:title") == article.title
    assert meta("og:description") == "Sapo 'một' & hai"
    assert meta("og:url") == url
    assert meta("og:type") == "article"
    assert OFFSET_TIME.match(meta("article:published_time"))
    assert meta("twitter:card") == "summary"
    site_picture = "http://127.0.0.1:5000/static/img/share.jpg?v="  # content-hashed (static_urls)
    assert re.fullmatch(re.escape(site_picture) + "[0-9a-f]{12}", meta("og:image"))
    assert "image" not in json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert meta("twitter:title") == article.title
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    assert html.count("</script>") == len(soup.find_all("script"))  # nothing broke out
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == "Sapo 'một' & hai"
    assert OFFSET_TIME.match(data["datePublished"])
    assert OFFSET_TIME.match(data["dateModified"])
    assert data["datePublished"] == meta("article:published_time")
    assert data["author"] == [
        {"@type": "Person", "name": "Minh Hằng", "url": "http://127.0.0.1:5000/authors/minh-hang"}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["articleSection"] == "Thời sự"


def test_related_articles_same_category_newest_not_itself(client, make_article, make_category):
    farming, other = make_category("Nông nghiệp"), make_category("Văn hóa")
    main = make_article(title="Bài chính", category_id=farming, when=-10)
    for i in range(5):
        make_article(title=f"Cùng mục {i}", category_id=farming, when=-100 + i)
    make_article(title="Khác mục", category_id=other)
    make_article(title="Cùng mục nháp", category_id=farming, when=None)
    soup = BeautifulSoup(client.get(f"/articles/{main.slug}").data, "html.parser")
    related = [a.get_text() for a in soup.select(".related .card h3 a")]
    assert related == ["Cùng mục 4", "Cùng mục 3", "Cùng mục 2", "Cùng mục 1"]


def test_article_page_queries_stay_constant_with_related(
    client, make_article, make_category, count_queries
):
    cat = make_category("Nông nghiệp")
    main = make_article(title="Bài chính", category_id=cat)
    few = count_queries(lambda: client.get(f"/articles/{main.slug}"))
    for i in range(6):
        make_article(title=f"Cùng mục {i}", category_id=cat)
    assert count_queries(lambda: client.get(f"/articles/{main.slug}")) == few


def test_author_page_lists_their_published_articles(client, make_article):
    make_article(title="Bài của Hằng", byline="Minh Hằng")
    make_article(title="Bài khác của Hằng", byline="MINH HẰNG")
    make_article(title="Bài nháp của Hằng", byline="Minh Hằng", when=None)
    make_article(title="Bài của An", byline="Trần An")
    response = client.get("/authors/minh-hang")
    assert response.status_code == 200
    titles = {a.get_text() for a in BeautifulSoup(response.data, "html.parser").select(".card a")}
    assert titles == {"Bài của Hằng", "Bài khác của Hằng"}
    article = make_article(title="Liên kết tác giả", byline="Trần An")
    soup = BeautifulSoup(client.get(f"/articles/{article.slug}").data, "html.parser")
    assert soup.select_one(".byline a[rel=author]")["href"] == "/authors/tran-an"


@pytest.mark.parametrize(
    ("slug", "status"),
    [("khong-ai", 404), ("minh", 404), ("MINH-HANG", 404), ("a" * 500, 404), ("%00", 400)],
)
def test_unknown_author_is_404(client, make_article, slug, status):
    make_article(byline="Minh Hằng")
    assert client.get(f"/authors/{slug}").status_code == status  # a NUL in a path is a bad request


def test_print_view_is_the_article_alone(client, make_article):
    article = make_article(title="Bản in thử", body="Nội dung **in**.")
    soup = BeautifulSoup(client.get(f"/articles/{article.slug}/print").data, "html.parser")
    assert soup.h1.get_text() == "Bản in thử"
    assert "in" in soup.select_one(".body strong").get_text()
    assert soup.find("nav") is None
    assert soup.find("form") is None
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"
    assert soup.select_one("link[rel=canonical]")["href"].endswith(f"/articles/{article.slug}")
    draft = make_article(title="Nháp", when=None)
    assert client.get(f"/articles/{draft.slug}/print").status_code == 404
    page = BeautifulSoup(client.get(f"/articles/{article.slug}").data, "html.parser")
    assert page.select_one(f'a[href="/articles/{article.slug}/print"]') is not None


def test_feed_and_sitemap_queries_stay_constant(
    client, make_article, make_category, count_queries, version_reads
):
    cat = make_category("Kinh tế")
    make_article(title="Tin 0", category_id=cat)
    feed = count_queries(lambda: client.get("/feed.xml"))
    sitemap = count_queries(lambda: client.get("/sitemap.xml"))
    for i in range(1, 6):
        make_article(title=f"Tin {i}", category_id=cat)
    # the content version (the page cache's key) and, the first time after a change, the menu
    # it keeps; then the feed's or the sitemap's own reads
    assert count_queries(lambda: client.get("/feed.xml")) == feed == 3
    # right after the feed: the version as the feed read it (conftest `version_reads`), then
    # the sitemap's: the count, the categories, the tags in use, the pages, the articles
    assert count_queries(lambda: client.get("/sitemap.xml")) == sitemap == version_reads + 5
