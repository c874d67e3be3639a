"""`flask demo ...`: sample content for trying the site, and synthetic bulk for benchmarks."""

from __future__ import annotations

import secrets
import time
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .. import storage
from ..articles.importer import ArticleFile, import_article, parse_file
from ..articles.services import reindex_articles, save_category, set_featured_image
from ..auth.services import create_user, find_user
from ..comments import moderation
from ..comments import services as comment_services
from ..demo_data.generate import SHOWCASE_COMMENTS, generate
from ..extensions import db
from ..media import demo as demo_pictures
from ..media.services import Limits, store_image
from ..models import Article, Category, Comment, Role
from ..pages import demo as page_demo
from ..pages.services import reindex_pages
from ..text import as_utc, nfc, to_local, utcnow

demo = AppGroup("demo", help="Sample content for trying the site.")
DEMO_CONTENT = Path(__file__).resolve().parent.parent / "demo_content"
DEMO_ACCOUNTS = [
    ("admin@example.org", "Quản trị viên", Role.ADMIN),
    ("bientap@example.org", "Biên tập viên", Role.EDITOR),
    ("kiemduyet@example.org", "Người duyệt bình luận", Role.MODERATOR),
    ("phongvien@example.org", "Phóng viên", Role.REPORTER),
]


@demo.command("load")
def demo_load() -> None:
    """Sample articles, categories and staff accounts. Safe to run again."""
    _demo_categories()
    items = [parse_file(path) for path in sorted(DEMO_CONTENT.glob("*.md"))]
    for item in items:
        if db.session.scalar(select(Article.id).where(Article.slug == item.slug)):
            continue
        item.published_at = _when_loaded(item)
        import_article(item)
        click.echo(f"article: /articles/{item.slug}")
    _demo_comments()
    _demo_pages()
    _demo_pictures(items)
    click.echo(f"search: {reindex_articles()} articles and {reindex_pages()} pages indexed")
    for email, name, role in DEMO_ACCOUNTS:
        if find_user(email) is not None:
            click.echo(f"account {email} ({role}) already exists; password unchanged")
            continue
        password = secrets.token_urlsafe(12)
        create_user(email, name, role, password)
        click.echo(f"account {email} ({role}) password: {password}")


@demo.command("generate")
@click.option("--articles", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--comments", type=click.IntRange(min=0), default=10_000, show_default=True)
@click.option("--seed", type=int, default=None, help="Same seed, same texts (slugs stay unique).")
def demo_generate(articles: int, comments: int, seed: int | None) -> None:
    """Add synthetic Vietnamese articles and comments in bulk, for benchmarks. Adds on re-run."""
    started = time.perf_counter()
    with click.progressbar(length=articles + comments, label="generating") as bar:
        summary = generate(articles, comments, current_app.config["IP_HASH_KEY"], seed, bar.update)
    elapsed = time.perf_counter() - started
    click.echo(
        f"added {articles} articles and {comments} comments in {elapsed:.1f}s (tables analysed)"
    )
    if summary.showcase_slug:
        click.echo(
            f"article with {SHOWCASE_COMMENTS} approved comments: /articles/{summary.showcase_slug}"
        )
    click.echo(
        f"largest category: /categories/{summary.deep_category_slug} "
        f"({summary.deep_category_articles} published articles)"
    )


# (article slug, name, email, text, approved?, official reply)
DEMO_COMMENTS = [
    (
        "lanh-dao-ubnd-tinh-tiep-cong-dan-dinh-ky-thang-11",
        "Trần Văn Lộc",
        "loc.tran@example.org",
        "Cho tôi hỏi lịch tiếp công dân tháng sau đã có chưa? Tôi muốn đăng ký để trình bày "
        "việc cấp giấy chứng nhận quyền sử dụng đất.",
        True,
        "Chào anh Lộc, lịch tiếp công dân được đăng trong mục Giải quyết khiếu nại, tố cáo. "
        "Anh có thể đến Trụ sở Tiếp công dân tỉnh trong giờ hành chính để được hướng dẫn.",
    ),
    (
        "vu-lua-thu-dong-nang-suat-binh-quan-dat-hon-5-7-tan-ha",
        "Nguyễn Thị Hạnh",
        "hanh.nguyen@example.org",
        "Năm nay giá lúa tươi ổn định, bà con ở xã tôi rất phấn khởi.",
        True,
        None,
    ),
    (
        "vu-lua-thu-dong-nang-suat-binh-quan-dat-hon-5-7-tan-ha",
        "Lê Minh Đức",
        "duc.le@example.org",
        "Xin hỏi giống lúa nào cho năng suất cao nhất ở vùng Tháp Mười?",
        False,
        None,
    ),
    (
        "thap-muoi-dam-sen-mua-nuoc-rut-hut-khach-tham-quan-cuoi-tuan",
        "Phạm Thu Trang",
        "trang.pham@example.org",
        "Cuối tuần này gia đình tôi sẽ ghé đầm sen. Có chỗ gửi xe "
        "không ạ?\n\nXem thêm: https://example.org/du-lich-dong-thap",
        False,
        None,
    ),
    (
        "cao-lanh-gia-xoai-cat-chu-tang-nhe-vao-cuoi-nam",
        "Võ Văn Tâm",
        "tam.vo@example.org",
        "Mong tỉnh hỗ trợ thêm đầu ra cho xoài xuất khẩu.",
        False,
        None,
    ),
]


def _demo_comments() -> None:
    """A few comments to moderate; added once (an article that has comments is left alone)."""
    policy = comment_services.Policy(secret=current_app.config["IP_HASH_KEY"], rate_limit=None)
    for slug, name, email, text, approve, answer in DEMO_COMMENTS:
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        if article is None or db.session.scalar(
            select(Comment.id).where(Comment.article_id == article.id, Comment.email == email)
        ):
            continue
        data = comment_services.CommentInput(
            name=name, email=email, body=text, ip="192.0.2.10", form_age=timedelta(minutes=5)
        )
        comment = comment_services.submit_comment(article, data, policy).comment
        if comment is None:  # taken for a bot's: never, the demo form is five minutes old
            continue
        if approve:
            moderation.set_status([comment.id], "approve", None)
        if answer:
            moderation.reply(comment, None, answer)
    click.echo("comments: a few to moderate at /moderation/")


def _demo_pages() -> None:
    """The complaints-and-denunciations section and the other information pages."""
    for slug in page_demo.load_pages(DEMO_CONTENT / "pages"):
        click.echo(f"page: /pages/{slug}")
    documents = page_demo.load_documents(DEMO_CONTENT / "legal_documents.yaml")
    results = page_demo.load_results(DEMO_CONTENT / "published_results.yaml", storage.current())
    sessions = page_demo.load_schedule()
    click.echo(
        f"section lists: {documents} legal documents, {results} published results, "
        f"{sessions} reception sessions added"
    )


def _demo_categories() -> None:
    """The portal's menu, in its order; a category the desk already has is left as it is."""
    names = yaml.safe_load((DEMO_CONTENT / "categories.yaml").read_text(encoding="utf-8"))
    for position, name in enumerate(names, start=1):
        if db.session.scalar(select(Category.id).where(Category.name == name)) is None:
            save_category(None, name, "", position)


def _when_loaded(item: ArticleFile) -> datetime | None:
    """`days_ago: 3` puts an article three days before the load, at its file's time of day, so
    the home page looks current whenever the demo is loaded; `publish_in_days` schedules one."""
    now = utcnow().replace(second=0, microsecond=0)
    days = item.extra.get("publish_in_days")
    if isinstance(days, int):
        return now + timedelta(days=days)
    ago = item.extra.get("days_ago")
    if not isinstance(ago, int) or item.published_at is None:
        return item.published_at
    clock = to_local(item.published_at)
    day = to_local(now) - timedelta(days=max(1, ago))  # a day back at least: never scheduled
    return as_utc(day.replace(hour=clock.hour, minute=clock.minute))


def _demo_pictures(items: list[ArticleFile]) -> None:
    """Each article's featured picture, drawn on the spot from its file's `picture:` (scene,
    palette, alt, caption); once per article. Saved last, so the content version moves."""
    config = current_app.config
    limits = Limits(
        config["IMAGE_MAX_BYTES"], config["IMAGE_MAX_PIXELS"], config["IMAGE_MAX_DECODED_PIXELS"]
    )
    for item in items:
        picture = item.extra.get("picture")
        article = db.session.scalar(select(Article).where(Article.slug == item.slug))
        if not picture or article is None or article.featured_image_id is not None:
            continue
        seed = picture.get("seed", zlib.crc32(item.slug.encode()))
        size = tuple(config["DEMO_PICTURE_SIZE"])
        data = demo_pictures.draw(picture["scene"], picture.get("palette", "noon"), seed, size)
        image = store_image(data, f"{item.slug}.jpg", None, storage.current(), limits)
        set_featured_image(article, image.id, nfc(picture["alt"]), nfc(picture["caption"]), None)
        click.echo(f"picture: /uploads/{image.largest['name']}")
