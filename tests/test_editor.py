"""The editor desk: who may enter, and every newsroom action."""

import re
from datetime import timedelta
from urllib.parse import unquote_plus

import pytest
from bs4 import BeautifulSoup

from newsportal.articles.forms import ERRORS
from newsportal.extensions import db
from newsportal.models import Article, ArticleRevision
from newsportal.text import to_local, utcnow

from .conftest import PASSWORD, all_articles, all_categories


def form_for(title="Đồng Tháp: Bài mới", **extra):
    data = {
        "title": title,
        "slug": "",
        "lead": "Sapo.",
        "body": "Thân **bài**.",
        "byline": "Minh Hằng",
        "category_id": "None",
        "published_at": "",
        "comments_enabled": "y",
        "action": "save",
    }
    data.update(extra)
    return data


def local_input(minutes):
    return to_local(utcnow() + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def revisions(app, article_id):
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(ArticleRevision)
                .where(ArticleRevision.article_id == article_id)
                .order_by(ArticleRevision.id)
            )
        )


EDITOR_GETS = [
    "/editor/",
    "/editor/?state=draft&category=1&page=1",
    "/editor/articles/new",
    "/editor/articles/{id}",
    "/editor/articles/{id}/history",
    "/editor/articles/{id}/revisions/{rev}",
    "/editor/categories/",
    "/editor/categories/{cat}",
]


@pytest.fixture
def ids(app, make_article, make_category):
    cat = make_category("Thời sự")
    article = make_article("Bài có sẵn", category_id=cat)
    rev = revisions(app, article.id)[0].id
    return {"id": article.id, "rev": rev, "cat": cat}


# Every route x role is in the authorization matrix (tests/test_authorization.py); here only what
# it does not send: a listing with filters.
DESK_REQUESTS = [("GET", url) for url in EDITOR_GETS if "?" in url]


@pytest.mark.parametrize(("method", "url"), DESK_REQUESTS)
@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("moderator", 403)])
def test_desk_is_closed_to_anonymous_and_moderators(auth, client, ids, method, url, role, expected):
    auth.as_role(role)
    response = client.open(url.format(**ids), method=method)
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", EDITOR_GETS)
@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_desk_is_open_to_editors_and_admins(auth, client, ids, url, role):
    auth.as_role(role)
    assert client.get(url.format(**ids)).status_code == 200


def test_nothing_changes_when_a_moderator_posts(app, auth, client, ids):
    auth.as_role("moderator")
    before = [(a.title, a.status) for a in all_articles(app)]
    client.post(f"/editor/articles/{ids['id']}", data=form_for("Bị sửa trộm", action="publish"))
    client.post(f"/editor/articles/{ids['id']}/unpublish")
    client.post(f"/editor/categories/{ids['cat']}/delete")
    assert [(a.title, a.status) for a in all_articles(app)] == before
    assert len(all_categories(app)) == 1


def test_save_creates_a_draft_with_a_folded_slug(app, auth, client):
    auth.as_role("editor")
    response = client.post("/editor/articles/new", data=form_for())
    assert response.status_code == 302
    (article,) = all_articles(app)
    assert article.slug == "dong-thap-bai-moi"
    assert article.state() == "draft"
    assert article.body_html == "<p>Thân <strong>bài</strong>.</p>"
    assert client.get("/articles/dong-thap-bai-moi").status_code == 404


def test_publish_now_puts_it_on_the_site(app, auth, client):
    auth.as_role("editor")
    client.post("/editor/articles/new", data=form_for(action="publish"))
    (article,) = all_articles(app)
    assert article.state() == "published"
    assert abs((article.published_at - utcnow()).total_seconds()) < 60
    assert client.get(f"/articles/{article.slug}").status_code == 200
    assert "Đồng Tháp: Bài mới" in client.get("/").get_data(as_text=True)


def test_publish_with_a_future_time_schedules(app, auth, client):
    auth.as_role("editor")
    client.post(
        "/editor/articles/new", data=form_for(action="publish", published_at=local_input(120))
    )
    (article,) = all_articles(app)
    assert article.state() == "scheduled"
    assert client.get(f"/articles/{article.slug}").status_code == 404
    listing = client.get("/editor/?state=scheduled").get_data(as_text=True)
    assert "Đồng Tháp: Bài mới" in listing


def test_typed_time_is_vietnam_time(app, auth, client):
    auth.as_role("editor")
    client.post(
        "/editor/articles/new", data=form_for(action="publish", published_at="2022-04-29T14:47")
    )
    (article,) = all_articles(app)
    assert article.published_at.isoformat() == "2022-04-29T07:47:00+00:00"
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "14:47 - 29/04/2022" in page


def test_unpublish_takes_it_off_at_once(app, auth, client, make_article):
    article = make_article("Bài sẽ bị gỡ")
    auth.as_role("editor")
    assert client.get(f"/articles/{article.slug}").status_code == 200
    client.post(f"/editor/articles/{article.id}/unpublish")
    assert client.get(f"/articles/{article.slug}").status_code == 404
    assert all_articles(app)[0].state() == "draft"


def test_unpublish_needs_post(auth, client, make_article):
    article = make_article("Bài")
    auth.as_role("editor")
    assert client.get(f"/editor/articles/{article.id}/unpublish").status_code == 405
    assert client.get(f"/articles/{article.slug}").status_code == 200


def test_slug_is_unique(app, auth, client):
    auth.as_role("editor")
    client.post("/editor/articles/new", data=form_for("Tin nhanh"))
    client.post("/editor/articles/new", data=form_for("Tin nhanh"))
    assert [a.slug for a in all_articles(app)] == ["tin-nhanh", "tin-nhanh-2"]
    response = client.post("/editor/articles/new", data=form_for("Khác", slug="tin-nhanh"))
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html5lib")
    with app.test_request_context():
        expected = str(ERRORS["taken"])
    assert page.select_one("#slug-error").get_text() == expected
    assert len(all_articles(app)) == 2


def test_slug_is_editable_before_publication(app, auth, client, make_article):
    draft = make_article("Bản nháp", when=None)
    auth.as_role("editor")
    client.post(f"/editor/articles/{draft.id}", data=form_for("Bản nháp", slug="Địa chỉ MỚI"))
    assert all_articles(app)[0].slug == "dia-chi-moi"


def test_slug_is_stable_once_published(app, auth, client, make_article):
    article = make_article("Tiêu đề gốc")
    auth.as_role("editor")
    response = client.post(
        f"/editor/articles/{article.id}", data=form_for("Tiêu đề đã sửa", slug="duong-dan-khac")
    )
    assert response.status_code == 200
    assert all_articles(app)[0].slug == article.slug
    client.post(
        f"/editor/articles/{article.id}", data=form_for("Tiêu đề đã sửa", slug=article.slug)
    )
    saved = all_articles(app)[0]
    assert (saved.title, saved.slug) == ("Tiêu đề đã sửa", "tieu-de-goc")
    client.post(f"/editor/articles/{article.id}/unpublish")
    client.post(f"/editor/articles/{article.id}", data=form_for("Lại sửa", slug="moi-hoan-toan"))
    assert (
        all_articles(app)[0].slug == "tieu-de-goc"
    )  # readers' links still work after re-publishing


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "!!!"}, "title"),
        ({"slug": "$$$"}, "slug"),
        ({"published_at": "29/04/2022"}, "published_at"),
        ({"category_id": "999"}, "category_id"),
        ({"title": "x" * 301}, "title"),
    ],
)
@pytest.mark.sqlite_only("form validation, before any write")
def test_bad_input_keeps_everything_typed(app, auth, client, changes, field):
    auth.as_role("editor")
    typed = form_for("Tiêu đề giữ nguyên", lead="Sapo gõ dở", body="Nội dung **dài** đã gõ.")
    typed.update(changes)
    response = client.post("/editor/articles/new", data=typed)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html5lib")
    assert page.find(id="lead").get_text() == "Sapo gõ dở"
    assert page.find(id="body").get_text() == "Nội dung **dài** đã gõ."
    assert page.find(id=field).find_parent(class_="field").select(".error")
    assert all_articles(app) == []


def test_every_save_writes_a_revision_with_who_and_what(app, auth, client, make_user):
    auth.as_role("editor")
    client.post("/editor/articles/new", data=form_for("Phiên bản 1", body="Một"))
    (article,) = all_articles(app)
    client.post(f"/editor/articles/{article.id}", data=form_for("Phiên bản 2", body="Hai"))
    client.post(
        f"/editor/articles/{article.id}", data=form_for("Phiên bản 3", body="Ba", action="publish")
    )
    revs = revisions(app, article.id)
    assert [(r.title, r.body_md, r.note) for r in revs] == [
        ("Phiên bản 1", "Một", "save"),
        ("Phiên bản 2", "Hai", "save"),
        ("Phiên bản 3", "Ba", "publish"),
    ]
    assert all(r.user_id is not None for r in revs)
    history = client.get(f"/editor/articles/{article.id}/history").get_data(as_text=True)
    assert "Phiên bản 1" in history
    assert "Người editor" in history


def test_restore_brings_back_old_text_as_a_new_revision(app, auth, client):
    auth.as_role("editor")
    client.post(
        "/editor/articles/new", data=form_for("Bản đầu", lead="Sapo đầu", body="Đoạn *đầu*.")
    )
    (article,) = all_articles(app)
    client.post(
        f"/editor/articles/{article.id}", data=form_for("Bản sau", lead="Sapo sau", body="Sau.")
    )
    first = revisions(app, article.id)[0]
    page = BeautifulSoup(
        client.get(f"/editor/articles/{article.id}/revisions/{first.id}").data, "html.parser"
    )
    restoring = page.select_one("#restoring")
    assert [d.text for d in restoring.select("del")] == [
        "[bỏ:] sau",
        "[bỏ:] sau",
        "[bỏ:] Sau.",
    ]
    assert [i.text for i in restoring.select("ins")] == [
        "[thêm:] đầu",
        "[thêm:] đầu",
        "[thêm:] Đoạn đầu.",
    ]
    client.post(f"/editor/articles/{article.id}/revisions/{first.id}/restore")
    restored = all_articles(app)[0]
    assert (restored.title, restored.lead, restored.body_md) == (
        "Bản đầu",
        "Sapo đầu",
        "Đoạn *đầu*.",
    )
    assert restored.body_html == "<p>Đoạn <em>đầu</em>.</p>"
    revs = revisions(app, article.id)
    assert len(revs) == 3
    assert revs[-1].note == f"restore:{first.id}"


def test_revision_of_another_article_is_refused(app, auth, client, make_article):
    one, two = make_article("Một"), make_article("Hai")
    rev_of_two = revisions(app, two.id)[0].id
    auth.as_role("editor")
    assert client.get(f"/editor/articles/{one.id}/revisions/{rev_of_two}").status_code == 404
    assert (
        client.post(f"/editor/articles/{one.id}/revisions/{rev_of_two}/restore").status_code == 404
    )
    assert all_articles(app)[0].title == "Một"


def test_preview_uses_the_same_sanitiser(auth, client):
    auth.as_role("editor")
    response = client.post("/editor/preview", data={"body": "**đậm** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "<p><strong>đậm</strong> </p>"
    assert response.headers["Cache-Control"] == "no-store"


def test_preview_button_works_without_javascript(app, auth, client):
    auth.as_role("editor")
    response = client.post(
        "/editor/articles/new", data=form_for(body="## Xem thử", action="preview")
    )
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("#preview h2").get_text() == "Xem thử"
    assert page.find(id="title")["value"] == "Đồng Tháp: Bài mới"
    assert all_articles(app) == []


def test_editor_list_filters_and_paginates(app, auth, client, make_article, make_category):
    economy = make_category("Kinh tế")
    make_article("Đã đăng kinh tế", category_id=economy)
    make_article("Bản nháp", when=None)
    make_article("Hẹn giờ", when=60)
    auth.as_role("editor")

    def titles(query):
        page = BeautifulSoup(client.get(f"/editor/?{query}").get_data(as_text=True), "html.parser")
        return {row.td.a.get_text() for row in page.select(".desk-table tbody tr")}

    assert titles("") == {"Đã đăng kinh tế", "Bản nháp", "Hẹn giờ"}
    assert titles("state=draft") == {"Bản nháp"}
    assert titles("state=scheduled") == {"Hẹn giờ"}
    assert titles("state=published") == {"Đã đăng kinh tế"}
    assert titles(f"category={economy}") == {"Đã đăng kinh tế"}
    app.config["EDITOR_PER_PAGE"] = 2
    assert len(titles("")) == 2
    assert len(titles("page=2")) == 1


def test_editor_list_is_newest_first(auth, client, make_article):
    for title in ("Cũ", "Giữa", "Mới"):
        make_article(title)
    auth.as_role("editor")
    page = BeautifulSoup(client.get("/editor/").get_data(as_text=True), "html.parser")
    assert [row.td.a.get_text() for row in page.select(".desk-table tbody tr")] == [
        "Mới",
        "Giữa",
        "Cũ",
    ]


def test_categories_are_managed_from_the_desk(app, auth, client):
    auth.as_role("editor")
    client.post("/editor/categories/", data={"name": "Đời sống", "slug": "", "position": "3"})
    (cat,) = all_categories(app)
    assert (cat.name, cat.slug, cat.position) == ("Đời sống", "doi-song", 3)
    client.post(
        f"/editor/categories/{cat.id}",
        data={"name": "Đời sống - Xã hội", "slug": "xa-hoi", "position": "1"},
    )
    assert all_categories(app)[0].slug == "xa-hoi"
    clash = client.post(
        "/editor/categories/", data={"name": "Khác", "slug": "xa-hoi", "position": "0"}
    )
    assert clash.status_code == 200
    assert len(all_categories(app)) == 1
    client.post(f"/editor/categories/{cat.id}/delete")
    assert all_categories(app) == []


def test_a_category_with_articles_is_not_deleted(app, auth, client, make_article, make_category):
    cat = make_category("Kinh tế")
    make_article("Bài", category_id=cat)
    auth.as_role("editor")
    client.post(f"/editor/categories/{cat}/delete")
    assert len(all_categories(app)) == 1


@pytest.fixture
def csrf_client(csrf_app):
    return csrf_app.test_client()


def test_posts_without_a_csrf_token_change_nothing(csrf_app, csrf_client, make_user):
    from .conftest import PASSWORD

    with csrf_app.app_context():
        from newsportal.auth.services import create_user

        create_user("editor@example.org", "Biên tập", "editor", PASSWORD)
    login_page = csrf_client.get("/login").get_data(as_text=True)
    token = BeautifulSoup(login_page, "html.parser").find("input", attrs={"name": "csrf_token"})[
        "value"
    ]
    csrf_client.post(
        "/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token}
    )
    response = csrf_client.post(
        "/editor/articles/new", data=form_for(body="Không được mất chữ nào.")
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "hết hạn" in html
    assert BeautifulSoup(html, "html5lib").find(id="body").get_text() == "Không được mất chữ nào."
    with csrf_app.app_context():
        assert db.session.scalar(db.select(db.func.count(Article.id))) == 0
    form_page = csrf_client.get("/editor/articles/new").get_data(as_text=True)
    token = BeautifulSoup(form_page, "html.parser").find("input", attrs={"name": "csrf_token"})[
        "value"
    ]
    assert (
        csrf_client.post(
            "/editor/articles/new", data={**form_for(), "csrf_token": token}
        ).status_code
        == 302
    )


def test_edit_form_has_unsaved_changes_warning_script(auth, client):
    auth.as_role("editor")
    page = BeautifulSoup(client.get("/editor/articles/new").get_data(as_text=True), "html.parser")
    assert (
        page.find("script", src=re.compile(r"^/static/js/editor\.js\?v=[0-9a-f]{12}$")) is not None
    )
    with client.get("/static/js/editor.js") as script:
        assert "beforeunload" in script.get_data(as_text=True)


def test_save_keeps_a_scheduled_article_scheduled(app, auth, client):
    auth.as_role("editor")
    client.post(
        "/editor/articles/new", data=form_for(action="publish", published_at=local_input(90))
    )
    (article,) = all_articles(app)
    client.post(f"/editor/articles/{article.id}", data=form_for(published_at=""))
    assert all_articles(app)[0].state() == "scheduled"
    client.post(f"/editor/articles/{article.id}", data=form_for(action="publish_now"))
    assert all_articles(app)[0].state() == "published"


def test_save_does_not_hide_a_live_article_by_moving_it_to_the_future(
    app, auth, client, make_article
):
    article = make_article("Đang hiển thị")
    auth.as_role("editor")
    response = client.post(
        f"/editor/articles/{article.id}",
        data=form_for("Đang hiển thị", published_at=local_input(60)),
    )
    assert response.status_code == 200
    assert BeautifulSoup(response.data, "html5lib").select_one("#published_at-error") is not None
    assert all_articles(app)[0].state() == "published"


def test_revision_page_works_for_someone_other_than_its_author(app, client, make_user):
    make_user("editor")
    make_user("admin")
    client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    client.post("/editor/articles/new", data=form_for())
    client.post("/logout")
    client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    (article,) = all_articles(app)
    rev = revisions(app, article.id)[0]
    page = client.get(f"/editor/articles/{article.id}/revisions/{rev.id}")
    assert page.status_code == 200
    assert "Người editor" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"published_at": "hôm qua"}, "published_at"),
        ({"published_at": "0001-01-01T00:00"}, "published_at"),
        ({"category_id": "999"}, "category_id"),
        ({"title": "x" * 301}, "title"),
    ],
)
def test_form_errors_are_in_vietnamese(auth, client, changes, field):
    auth.as_role("editor")
    response = client.post("/editor/articles/new", data=form_for(**changes))
    error = BeautifulSoup(response.data, "html5lib").select_one(f"#{field}-error").get_text()
    assert not error.startswith(("Not a valid", "Field cannot")), error
    assert any(ch in error for ch in "ăâđêôơưạảãáàệếềểễọỏõóòộốồổỗờớởỡợụủũúùừứửữự"), error


def _desk_titles(client, query):
    page = BeautifulSoup(client.get(f"/editor/?{query}").get_data(as_text=True), "html.parser")
    return [row.td.a.get_text() for row in page.select(".desk-table tbody tr")], page


def test_desk_list_searches_filters_sorts_and_counts_few_queries(
    app, auth, client, make_user, count_queries
):
    auth.as_role("editor")
    other = make_user("admin", "khac@example.org")
    for title, tags in [
        ("Đồng Tháp: mùa lúa", "Lúa gạo"),
        ("Ấp Bắc ngày mới", "Lúa gạo, Du lịch"),
        ("Zalo cho dân", ""),
        ("100% xã có điện", ""),
    ]:
        client.post("/editor/articles/new", data=form_for(title, tags=tags))
    with app.app_context():
        zalo = db.session.scalar(db.select(Article).where(Article.title == "Zalo cho dân"))
        zalo.created_by_id = other
        db.session.commit()
    # folded: no accents, any case, and đ is d; "%" is a character, not a wildcard
    assert _desk_titles(client, "q=DONG+thap")[0] == ["Đồng Tháp: mùa lúa"]
    assert _desk_titles(client, "q=ap+bac")[0] == ["Ấp Bắc ngày mới"]
    assert _desk_titles(client, "q=100%25")[0] == ["100% xã có điện"]
    assert _desk_titles(client, "q=0%25+x")[0] == ["100% xã có điện"]
    assert _desk_titles(client, f"author={other}")[0] == ["Zalo cho dân"]
    assert _desk_titles(client, "tag=l%C3%BAa+G%E1%BA%A0O")[0] == [
        "Ấp Bắc ngày mới",
        "Đồng Tháp: mùa lúa",
    ]
    assert _desk_titles(client, "tag=du-lich&state=draft")[0] == ["Ấp Bắc ngày mới"]
    # by the folded title: "Đ" among the Ds on both databases, not after Z
    assert _desk_titles(client, "sort=title")[0] == [
        "100% xã có điện",
        "Ấp Bắc ngày mới",
        "Đồng Tháp: mùa lúa",
        "Zalo cho dân",
    ]
    assert _desk_titles(client, "sort=title_desc")[0][0] == "Zalo cho dân"
    assert _desk_titles(client, "sort=updated_asc")[0][0] == "Đồng Tháp: mùa lúa"
    listed, page = _desk_titles(client, "sort=status&q=a")
    assert page.select_one("th[aria-sort]").get_text() == "Trạng thái"
    assert page.select_one("#q")["value"] == "a"
    app.config["EDITOR_PER_PAGE"] = 2
    assert len(_desk_titles(client, "sort=title&page=2")[0]) == 2
    assert _desk_titles(client, "page=9")[0] == []

    def queries_for(query):
        return count_queries(lambda: client.get(f"/editor/?{query}"))

    few = queries_for("")
    assert few <= 8
    assert queries_for("q=a&author=1&state=draft&category=1&tag=lua-gao&sort=status") <= few + 1


# (query string, the field that says it was ignored); the list is the same as without it
BAD_LIST_ARGS = [
    ("author=abc", "author"),
    ("author=99999999999999999999", "author"),
    ("author=4242", "author"),
    ("state=deleted", "state"),
    ("category=-1", "category"),
    ("category=%C2%B2", "category"),
    ("sort=password", "sort"),
    ("q=" + "x" * 101, "q"),
    ("tag=" + "x" * 41, "tag"),
    ("tag=kh%C3%B4ng+c%C3%B3", "tag"),
    ("page=-3&page=abc&_external=1&sort=", None),
]


@pytest.mark.sqlite_only("the list's argument checks, the same on every database")
def test_bad_list_arguments_are_ignored_and_shown(auth, client, make_article):
    # One signed-in client for every case: signing in is most of what a case would cost.
    make_article("Tin duy nhất")
    auth.as_role("editor")
    for query, field in BAD_LIST_ARGS:
        response = client.get(f"/editor/?{query}")
        assert response.status_code == 200, query
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        rows = [row.td.a.get_text() for row in page.select(".desk-table tbody tr")]
        assert rows == ["Tin duy nhất"], query
        if field is None:
            continue
        box = page.select_one(f"#{field}").find_parent(class_="field")
        assert box.select_one(".error") is not None, query
        if field in ("q", "tag"):
            typed = unquote_plus(query.split("=", 1)[1])
            assert page.select_one(f"#{field}")["value"] == typed, query
