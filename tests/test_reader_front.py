"""The reader pages' content layout: the home page's front and category blocks, the sidebar,
comment counts on lists, share links and breadcrumbs."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from newsportal import storage
from newsportal.articles import services as articles
from newsportal.comments import moderation
from newsportal.media import demo as pictures
from newsportal.media.services import Limits, store_image
from newsportal.text import utcnow

from .comment_helpers import comment_data, comments
from .page_helpers import make_page


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _with_picture(app, title: str, category_id: int) -> None:
    config = app.config
    limits = Limits(config["IMAGE_MAX_BYTES"], config["IMAGE_MAX_PIXELS"])
    with app.app_context():
        image = store_image(pictures.rice_field(), "lua.jpg", None, storage.current(), limits)
        data = articles.ArticleData(
            title=title,
            lead="Năng suất bình quân đạt hơn 5,7 tấn/ha.",
            body_md="Bà con phấn khởi.",
            byline="Minh Hằng",
            published_at=utcnow() - timedelta(minutes=1),
            featured_image_id=image.id,
            featured_image_alt="Cánh đồng lúa chín",
        )
        articles.save_article(None, data, None, "publish")


@pytest.fixture
def front_page(app, make_article, make_category):
    economy = make_category("Kinh tế", position=1)
    health = make_category("Y tế", position=2)
    make_category("Giáo dục", position=3)  # no article: no block
    for n in range(6):
        make_article(f"Kinh tế {n}", when=-100 - n, category_id=economy)
    for n in range(3):
        make_article(f"Y tế {n}", when=-50 - n, category_id=health)
    _with_picture(app, "Lúa được mùa", economy)


def test_home_front_is_the_top_story_with_its_picture_beside_four_headlines(client, front_page):
    page = soup(client.get("/"))
    top = page.select_one(".front .top-story")
    assert top.h2.get_text(strip=True) == "Lúa được mùa"
    assert top.find("img")["alt"] == "Cánh đồng lúa chín"
    headlines = [h.get_text(strip=True) for h in page.select(".front .headlines h3")]
    assert headlines == ["Y tế 0", "Y tế 1", "Y tế 2", "Kinh tế 0"]


def test_home_has_a_block_per_category_in_menu_order_and_no_article_twice(client, front_page):
    page = soup(client.get("/"))
    blocks = page.select(".category-block")
    assert [b.h2.a["href"] for b in blocks] == ["/categories/kinh-te"]  # Y tế all in the front
    assert [c.h3.get_text(strip=True) for c in blocks[0].select(".card")] == [
        "Kinh tế 1",
        "Kinh tế 2",
        "Kinh tế 3",
        "Kinh tế 4",
    ]
    main = page.select(".main-col .top-story h2, .main-col h3")
    seen = Counter(h.get_text(strip=True) for h in main)
    assert max(seen.values()) == 1


def test_home_page_two_is_the_plain_latest_list(app, client, front_page):
    app.config["ARTICLES_PER_PAGE"] = 5
    page = soup(client.get("/?page=2"))
    assert page.select_one(".front") is None
    assert page.select_one(".category-block") is None
    assert len(page.select(".card")) == 5


@pytest.mark.parametrize("url", ["/", "/articles/{slug}", "/categories/kinh-te"])
def test_reader_pages_queries_do_not_grow(
    app, client, make_article, make_category, count_queries, url
):
    app.config["PAGE_CACHE_ENABLED"] = False
    cat = make_category("Kinh tế")
    first = make_article("Bài đầu", category_id=cat)
    few = count_queries(lambda: client.get(url.format(slug=first.slug)))
    for n in range(12):
        make_category(f"Mục {n}")
        make_article(f"Bài {n}", category_id=cat)
    many = count_queries(lambda: client.get(url.format(slug=first.slug)))
    # the sidebar's most read: one; the version's menu, read again after each change: one; the
    # article's related cards carry no comment counts (its page's scope is its own comments)
    assert few == many == 11


def test_comment_counts_on_lists_count_only_approved(app, client, make_article, make_category):
    cat = make_category("Kinh tế")
    talked = make_article("Bài được bàn", category_id=cat)
    for n in range(3):
        data = comment_data(app, email=f"r{n}@example.org", body=f"Ý kiến số {n} rất hay.")
        client.post(f"/articles/{talked.slug}/comments", data=data)
    with app.app_context():
        moderation.set_status([c.id for c in comments(app)[:2]], "approve", None)
    for url in ("/categories/kinh-te", "/?page=1"):
        counts = [c.get_text(strip=True) for c in soup(client.get(url)).select(".comment-count")]
        assert counts == ["2 bình luận"]
    client.get("/?lang=en")
    counts = [c.get_text(strip=True) for c in soup(client.get("/")).select(".comment-count")]
    assert counts == ["2 comments"]


def test_share_links_use_the_configured_address_not_the_host(app, client, make_article):
    app.config["PUBLIC_URL"] = "https://congthongtin.example.gov.vn"
    article = make_article("Chia sẻ bài")
    page = soup(client.get(f"/articles/{article.slug}", headers={"Host": "evil.example"}))
    share = page.select_one(".share")
    url = f"https://congthongtin.example.gov.vn/articles/{article.slug}"
    assert share["data-share-url"] == url
    facebook = share.find("a", href=True)["href"]
    assert facebook == f"https://www.facebook.com/sharer/sharer.php?u={quote(url, safe='/')}"
    assert "evil.example" not in str(share)
    assert share.select_one(".share-native").has_attr("hidden")  # shown by share.js only
    assert share.select_one(".share-copy").has_attr("hidden")
    assert share.select_one("[aria-live]") is not None
    assert page.find("script", src=lambda src: (src or "").startswith("/static/js/share.js"))


def test_article_breadcrumbs(client, make_article, make_category):
    cat = make_category("Kinh tế")
    article = make_article("Giá lúa tăng", category_id=cat)
    nav = soup(client.get(f"/articles/{article.slug}")).select_one("nav.breadcrumbs")
    assert nav["aria-label"] == "Đường dẫn"
    items = nav.select("ol > li")
    assert [li.get_text(strip=True) for li in items] == ["Trang chủ", "Kinh tế", "Giá lúa tăng"]
    assert items[0].a["href"] == "/"
    assert items[1].a["href"] == "/categories/kinh-te"
    assert items[2].find(attrs={"aria-current": "page"}) is not None


def test_page_breadcrumbs_show_the_section_trail(app, client):
    root = make_page(app, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    make_page(app, "Hướng dẫn tố cáo", parent_id=root.id)
    items = soup(client.get("/pages/huong-dan-to-cao")).select("nav.breadcrumbs ol > li")
    assert [li.get_text(strip=True) for li in items] == [
        "Trang chủ",
        "Giải quyết khiếu nại, tố cáo",
        "Hướng dẫn tố cáo",
    ]


@pytest.mark.parametrize("url", ["/", "/articles/{slug}", "/categories/kinh-te"])
def test_sidebar_blocks_on_reader_pages(app, client, make_article, make_category, url):
    cat = make_category("Kinh tế")
    article = make_article("Bài bên lề", category_id=cat)
    make_article("Bài khác", category_id=cat, when=-200)
    sidebar = soup(client.get(url.format(slug=article.slug))).select_one("aside.sidebar")
    headings = [h.get_text(strip=True) for h in sidebar.select("h2")]
    assert "Các buổi tiếp công dân sắp tới" in headings
    if url == "/":
        assert "Tin mới nhất" not in headings  # the front already is the latest news
    else:
        assert headings[0] == "Tin mới nhất"
        assert sidebar.find("a", href="/?page=2") is not None
