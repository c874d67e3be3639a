"""Reader comments: held for moderation, never lost, never unsafe, never leaking the email."""

import pytest
from bs4 import BeautifulSoup

from newsportal.comments import moderation, stamp
from newsportal.extensions import db
from newsportal.models import Article, ModerationRule

from .comment_helpers import (
    audits,
    comment_data,
    comments,
)


@pytest.fixture
def article(make_article):
    return make_article("Hỗ trợ người lao động", lead="Sapo.", body="Nội dung.")


def post(client, article, data):
    return client.post(f"/articles/{article.slug}/comments", data=data)


def page_of(client, article):
    return client.get(f"/articles/{article.slug}").get_data(as_text=True)


def approve_all(app):
    with app.app_context():
        moderation.set_status([c.id for c in comments(app)], "approve", None)


def form_values(html):
    page = BeautifulSoup(html, "html5lib")
    form = page.select_one("form.comment-form")
    return {
        "name": form.find(id="name")["value"],
        "email": form.find(id="email")["value"],
        "body": form.find(id="body").get_text(),
    }


def test_new_comment_is_pending_and_hidden_from_others(app, client, article):
    response = post(client, article, comment_data(app))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/articles/{article.slug}#comments")
    (comment,) = comments(app)
    assert comment.status == "pending"
    own = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bình luận của bạn đã được gửi và đang chờ duyệt." in own
    assert "Xin hỏi khi nào có kết quả hỗ trợ?" in own  # the author sees it, marked
    assert "Đang chờ duyệt – chỉ bạn nhìn thấy" in own
    stranger = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Xin hỏi khi nào có kết quả hỗ trợ?" not in stranger
    heading = BeautifulSoup(stranger, "html5lib").select_one("#comments-heading").get_text()
    assert heading.split() == ["Bình", "luận", "(0)"]


def test_approved_comment_appears_with_name_time_and_count(app, client, article):
    post(client, article, comment_data(app))
    approve_all(app)
    page = BeautifulSoup(app.test_client().get(f"/articles/{article.slug}").data, "html5lib")
    (item,) = page.select(".comment")
    assert item.select_one(".comment-name").get_text() == "Nguyễn Thị Mai"
    assert item.find("time").get_text().count(" - ") == 1
    assert "(1)" in page.select_one("#comments-heading").get_text()
    assert len(audits(app)) == 2  # created by the system, approved


@pytest.mark.parametrize("action", ["reject", "spam"])
def test_rejected_and_spam_stay_hidden(app, client, article, action):
    post(client, article, comment_data(app))
    with app.app_context():
        moderation.set_status([comments(app)[0].id], action, None)
    assert "Xin hỏi" not in app.test_client().get(f"/articles/{article.slug}").get_data(
        as_text=True
    )


def test_the_email_appears_nowhere_public(app, client, article):
    post(client, article, comment_data(app, email="bi.mat@example.org"))
    approve_all(app)
    reader = app.test_client()
    for url in ("/", f"/articles/{article.slug}", "/categories/none"):
        response = reader.get(url)
        assert "bi.mat@example.org" not in response.get_data(as_text=True)
        assert "bi.mat@example.org" not in str(response.headers)
    own = client.get(f"/articles/{article.slug}")
    assert "bi.mat@example.org" not in own.get_data(as_text=True).split('id="email"')[0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Vui lòng nhập họ và tên."),
        ({"name": "x" * 81}, "name", "80"),
        ({"email": ""}, "email", "Vui lòng nhập địa chỉ thư điện tử."),
        ({"email": "khong-phai-email"}, "email", "Địa chỉ thư điện tử không đúng định dạng."),
        ({"body": "ab"}, "body", "3"),
        ({"body": "x" * 3001}, "body", "3.000"),
        ({"consent": None}, "consent", ""),
    ],
)
@pytest.mark.sqlite_only("form validation, before any write")
def test_each_invalid_field_keeps_everything_typed(app, client, article, changes, field, message):
    typed = comment_data(app, body="Nội dung tôi đã gõ rất lâu.\n\nĐoạn hai.")
    typed.update({k: v for k, v in changes.items() if v is not None})
    if changes.get("consent", "") is None:
        typed.pop("consent")
    response = post(client, article, typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    values = form_values(html)
    assert values["name"] == typed["name"]
    assert values["email"] == typed["email"]
    assert values["body"] == typed["body"]
    error = BeautifulSoup(html, "html5lib").find(id=f"{field}-error")
    assert error is not None
    assert message in error.get_text()
    assert comments(app) == []


def test_missing_or_expired_csrf_token_keeps_the_text(csrf_app, make_article):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        from newsportal.articles import services

        data = services.ArticleData(title="Bài CSRF", lead="", body_md="x", byline="")
        slug = services.save_article(None, data, None, "publish").slug
    typed = comment_data(csrf_app, body="Văn bản không được mất.")
    response = client.post(f"/articles/{slug}/comments", data=typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "không kiểm tra được biểu mẫu" in html.lower()
    assert "phiên" not in html.lower()  # a reader who never had a session is not told of one
    assert form_values(html)["body"] == "Văn bản không được mất."
    fresh = BeautifulSoup(html, "html5lib").find("input", attrs={"name": "csrf_token"})["value"]
    again = client.post(f"/articles/{slug}/comments", data={**typed, "csrf_token": fresh})
    assert again.status_code == 302
    with csrf_app.app_context():
        assert len(comments(csrf_app)) == 1


def test_expired_or_forged_timestamp_re_shows_the_form(app, client, article):
    for ts in ("", "123.forged", stamp.issue("another-secret", head_start=60)):
        response = post(client, article, comment_data(app, ts=ts, body="Giữ nguyên nội dung."))
        assert response.status_code == 200
        assert form_values(response.get_data(as_text=True))["body"] == "Giữ nguyên nội dung."
        assert "hết hạn" in response.get_data(as_text=True)
    app.config["COMMENT_FORM_MAX_AGE"] = 30
    response = post(client, article, comment_data(app))  # issued 60 s ago
    assert "hết hạn" in response.get_data(as_text=True)
    assert comments(app) == []


def test_resending_a_re_shown_form_at_once_is_not_taken_for_a_bot(app, client, article):
    response = post(client, article, comment_data(app, ts="", body="Gửi lại ngay."))
    fresh_ts = BeautifulSoup(response.data, "html5lib").find("input", attrs={"name": "ts"})["value"]
    post(client, article, comment_data(app, ts=fresh_ts, body="Gửi lại ngay."))
    assert [c.status for c in comments(app)] == ["pending"]


def test_rate_limit_refuses_with_text_kept(app, client, article):
    app.config["COMMENT_RATE_LIMIT"] = "2 per 10 minutes"
    for n in range(2):
        assert post(client, article, comment_data(app, body=f"Bình luận số {n}")).status_code == 302
    response = post(client, article, comment_data(app, body="Bình luận thứ ba"))
    assert response.status_code == 429
    assert "vui lòng chờ" in response.get_data(as_text=True).lower()
    assert form_values(response.get_data(as_text=True))["body"] == "Bình luận thứ ba"
    assert len(comments(app)) == 2
    other_email = post(client, article, comment_data(app, email="khac@example.org", body="Khác"))
    assert other_email.status_code == 429  # same address: per-IP limit holds too


def test_rate_limit_can_be_switched_off(app, client, article):
    app.config.update(COMMENT_RATE_LIMIT="1 per 10 minutes", RATELIMIT_ENABLED=False)
    for n in range(4):
        assert post(client, article, comment_data(app, body=f"Số {n}")).status_code == 302
    assert len(comments(app)) == 4


def test_the_same_comment_twice_is_one_row(app, client, article):
    post(client, article, comment_data(app))
    second = post(client, article, comment_data(app, name="Mai", email="MAI@example.org"))
    assert second.status_code == 302
    assert len(comments(app)) == 1


def add_rule(app, kind, value):
    with app.app_context():
        moderation.add_rule(kind, value, None, app.config["SECRET_KEY"])


@pytest.mark.parametrize(
    ("term", "body", "hit"),
    [
        ("abc", "chuỗi abc ở đây", True),
        ("abc", "chuỗi abcdef không trùng", False),
        ("đểu", "đồ deu quá", True),
        ("đểu", "ĐỂU", True),
        ("lừa đảo", "toàn lua dao thôi", True),
        ("lừa đảo", "lừa đảo!", True),
        ("dao", "con dao sắc", True),
        ("dao", "daoxyz", False),
    ],
)
def test_banned_terms_match_whole_words_with_or_without_accents(
    app, client, article, term, body, hit
):
    add_rule(app, "banned", term)
    post(client, article, comment_data(app, body=body))
    (comment,) = comments(app)
    assert (comment.status == "rejected") is hit


def test_suspect_terms_and_links_hold_with_flags(app, client, article):
    add_rule(app, "suspect", "khuyến mãi")
    post(
        client,
        article,
        comment_data(app, body="Có khuyen mai tại http://a.example và https://b.example"),
    )
    (comment,) = comments(app)
    assert comment.status == "pending"
    assert comment.flag_list == ["suspect:khuyến mãi", "links"]


def test_blocked_email_and_address_go_to_spam(app, client, article):
    add_rule(app, "blocked_email", "Spammer@Example.org")
    add_rule(app, "blocked_ip", "127.0.0.1")
    post(client, article, comment_data(app, email="spammer@example.org"))
    post(client, article, comment_data(app, email="khac@example.org", body="Từ địa chỉ bị chặn"))
    assert [c.status for c in comments(app)] == ["spam", "spam"]
    with app.app_context():
        stored = db.session.scalars(db.select(ModerationRule.value)).all()
    assert "127.0.0.1" not in stored  # kept only as its HMAC


def test_text_is_normalised_before_storing(app, client, article):
    import unicodedata

    body = unicodedata.normalize("NFD", "Tiếng Việt") + "\x00\x07 ok\n\n\n\n\nđoạn sau   \n"
    post(client, article, comment_data(app, body=body))
    (comment,) = comments(app)
    assert comment.body == "Tiếng Việt ok\n\nđoạn sau"
    assert comment.body_html == "<p>Tiếng Việt ok</p><p>đoạn sau</p>"
    assert len(comment.ip_hash) == 64
    assert "127.0.0.1" not in comment.ip_hash
    assert comment.consent_at is not None


def test_comment_markup_is_escaped_and_only_http_links_linked(app, client, article):
    post(
        client,
        article,
        comment_data(
            app, body="<b>đậm?</b> xem https://example.org/a?x=1&y=2 hoặc example.com, a@b.vn\nhết"
        ),
    )
    (comment,) = comments(app)
    assert comment.body_html == (
        '<p>&lt;b&gt;đậm?&lt;/b&gt; xem <a href="https://example.org/a?x=1&amp;y=2" '
        'rel="nofollow ugc noopener">https://example.org/a?x=1&amp;y=2</a> hoặc example.com, '
        "a@b.vn<br>hết</p>"
    )


def test_closed_article_shows_no_form_and_refuses_a_post(app, client, make_article):
    article = make_article("Đã đóng bình luận")
    with app.app_context():
        row = db.session.get(Article, article.id)
        row.comments_enabled = False
        db.session.commit()
    page = BeautifulSoup(client.get(f"/articles/{article.slug}").data, "html5lib")
    assert page.select_one("form.comment-form") is None
    assert "đã đóng" in page.select_one("#comments").get_text()
    response = post(client, article, comment_data(app, body="Tôi vẫn muốn góp ý."))
    assert response.status_code == 200
    assert "đã đóng" in response.get_data(as_text=True)
    assert "Tôi vẫn muốn góp ý." in response.get_data(as_text=True)
    assert comments(app) == []


def test_comments_close_after_n_days_when_configured(app, client, make_article):
    article = make_article("Bài cũ", when=-60 * 24 * 10)
    app.config["COMMENTS_CLOSE_AFTER_DAYS"] = 7
    assert post(client, article, comment_data(app)).status_code == 200
    app.config["COMMENTS_CLOSE_AFTER_DAYS"] = 30
    assert post(client, article, comment_data(app)).status_code == 302


def test_unknown_or_unpublished_article_is_404(app, client, make_article):
    draft = make_article("Nháp", when=None)
    assert post(client, draft, comment_data(app)).status_code == 404
    assert client.post("/articles/khong-co/comments", data=comment_data(app)).status_code == 404


def test_notices_and_links_on_the_form(client, article):
    page = BeautifulSoup(client.get(f"/articles/{article.slug}").data, "html5lib")
    section = page.select_one("#comments")
    text = section.get_text()
    assert "không hiển thị công khai" in text.lower()
    assert "Bình luận được duyệt trước khi hiển thị" in text
    hrefs = {a["href"] for a in section.find_all("a")}
    assert {
        "/pages/khieu-nai-to-cao",
        "/pages/noi-quy-binh-luan",
        "/pages/bao-ve-du-lieu-ca-nhan",
    } <= hrefs
    form = section.select_one("form.comment-form")
    fields = {i["name"] for i in form.find_all(["input", "textarea"])}
    assert fields >= {"name", "email", "body", "consent", "website", "ts"}


def test_article_query_count_is_the_same_for_1_and_200_comments(
    app, client, article, count_queries
):
    def add(n, start):
        with app.app_context():
            from newsportal.comments import services

            policy = services.Policy(secret="s", rate_limit=None)
            row = db.session.get(Article, article.id)
            for i in range(start, start + n):
                services.submit_comment(
                    row,
                    services.CommentInput(
                        name=f"Người {i}",
                        email=f"n{i}@example.org",
                        body=f"Ý kiến số {i}",
                        ip="10.0.0.1",
                        form_age=__import__("datetime").timedelta(seconds=60),
                    ),
                    policy,
                )
        approve_all(app)

    add(1, 0)
    app.config["FRAGMENT_CACHE_ENABLED"] = False  # both renders read the sidebar: like for like
    reader = app.test_client()
    reader.get("/")  # the menu, read once per content version (approvals leave it alone)
    one = count_queries(lambda: reader.get(f"/articles/{article.slug}"))
    add(199, 1)
    many = count_queries(lambda: reader.get(f"/articles/{article.slug}"))
    assert one == many
    page = BeautifulSoup(reader.get(f"/articles/{article.slug}").data, "html5lib")
    assert page.select_one("#comments-heading .count").get_text() == "(200)", page.select_one(
        "#comments-heading"
    )


def test_an_accepted_comment_costs_a_fixed_number_of_statements(app, article, count_queries):
    """The article, the rules that concern it (one query, however many there are), the
    comment and its audit row, and one read of when the digest and retention last ran; and
    from a reader with earlier comments, the duplicate check among them."""
    with app.app_context():
        for kind, value in (
            ("banned", "lừa đảo"),
            ("suspect", "quảng cáo"),
            ("blocked_email", "spam@example.org"),
            ("blocked_ip", "0" * 64),
        ):
            db.session.add(ModerationRule(kind=kind, value=value))
        db.session.commit()
    # The first comment of the hour sends the digest and runs retention; those are not timed.
    assert (
        post(app.test_client(), article, comment_data(app, email="dau@example.org")).status_code
        == 302
    )
    reader = app.test_client()

    def send(body):
        response = post(reader, article, comment_data(app, email="lan@example.org", body=body))
        assert response.status_code == 302

    assert count_queries(lambda: send("Ý kiến thứ nhất về bài")) == 5
    assert count_queries(lambda: send("Ý kiến thứ hai về bài")) == 6
    assert [c.status for c in comments(app)] == ["pending"] * 3
    assert len(audits(app)) == 3
