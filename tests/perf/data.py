"""The benchmark's database: generated once per size into its own instance dir, then reused."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .servers import ROOT, BenchError, clean_env

FLASK = str(Path(sys.executable).with_name("flask"))
MODERATOR = "bench-moderator@example.org"
MODERATOR_PASSWORD = "bench-moderator-password"
DEEP_PAGE = 200


@dataclass(frozen=True)
class Dataset:
    instance: str
    database_url: str  # "" = the SQLite file in the instance dir
    articles: int
    comments: int
    showcase: str  # newest article: exactly 50 approved comments
    showcase_approved: int
    category: str
    category_page: int
    generate_seconds: float | None
    db_bytes: int | None

    def env(self) -> dict[str, str]:
        extra = {"NEWSPORTAL_INSTANCE_PATH": self.instance}
        if self.database_url:
            extra["NEWSPORTAL_DATABASE_URL"] = json.dumps(self.database_url)
        return clean_env(extra)

    def site_env(self, page_cache: bool, fragments: bool = True) -> dict[str, str]:
        """How the benchmark serves the site on this data: limits that would refuse a load
        generator's requests are off."""
        return {
            **self.env(),
            "NEWSPORTAL_ENV": "development",
            "NEWSPORTAL_RATELIMIT_ENABLED": "false",
            "NEWSPORTAL_COMMENT_MIN_SECONDS": "0",
            "NEWSPORTAL_PAGE_CACHE_ENABLED": "true" if page_cache else "false",
            "NEWSPORTAL_FRAGMENT_CACHE_ENABLED": "true" if fragments else "false",
            "PYTHONDONTWRITEBYTECODE": "1",  # leave another checkout as it was
        }


def _flask(env: dict[str, str], *args: str) -> None:
    """Output goes straight to the terminal, so the generator's progress bar shows."""
    done = subprocess.run([FLASK, "--app", "newsportal", *args], cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(args)} failed")


def _app(env: dict[str, str]) -> Any:
    import os

    from newsportal import create_app

    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith("NEWSPORTAL_")})
    try:
        return create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _describe(env: dict[str, str]) -> dict[str, Any]:
    """Find the pages to measure by asking the app itself (published means published now)."""
    from sqlalchemy import func, select

    from newsportal.extensions import db
    from newsportal.models import Article, Category, Comment, published_filter

    app = _app(env)
    with app.app_context():
        newest = db.session.execute(
            select(Article.id, Article.slug)
            .where(published_filter())
            .order_by(Article.published_at.desc())
            .limit(1)
        ).one()
        approved = db.session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.article_id == newest.id, Comment.status == "approved")
        )
        biggest = db.session.execute(
            select(Category.slug, func.count(Article.id).label("n"))
            .join(Article, Article.category_id == Category.id)
            .where(published_filter())
            .group_by(Category.slug)
            .order_by(func.count(Article.id).desc())
            .limit(1)
        ).one()
    per_page = int(app.config["ARTICLES_PER_PAGE"])
    pages = max(1, -(-int(biggest.n) // per_page))
    return {
        "showcase": newest.slug,
        "showcase_approved": int(approved or 0),
        "category": biggest.slug,
        "category_page": min(DEEP_PAGE, pages),
    }


def _still_there(dataset: Dataset) -> bool:
    """A PostgreSQL database may have been dropped since; then generate again."""
    from sqlalchemy import select

    from newsportal.extensions import db
    from newsportal.models import Article

    try:
        with _app(dataset.env()).app_context():
            query = select(Article.id).where(Article.slug == dataset.showcase)
            return db.session.scalar(query) is not None
    except Exception:  # any driver error: the data is not usable
        return False


def prepare(root: Path, articles: int, comments: int, database_url: str = "") -> Dataset:
    """Reuse the instance dir of the same size when its generation finished; else make it."""
    tag = "sqlite" if not database_url else "pg"
    instance = root / f"bench-{tag}-{articles}-{comments}"
    meta = instance / "dataset.json"
    if meta.exists():
        data = json.loads(meta.read_text())
        dataset = Dataset(**data)
        if data.get("database_url", "") == database_url and _still_there(dataset):
            print(f"reusing the generated database in {instance}")
            _flask(dataset.env(), "db", "upgrade")  # the tables of migrations added since
            return dataset
    db_file = instance / "newsportal.db"
    for stale in instance.glob("newsportal.db*"):
        stale.unlink()  # an interrupted generation: start again
    instance.mkdir(parents=True, exist_ok=True)
    env = Dataset(str(instance), database_url, 0, 0, "", 0, "", 0, None, None).env()
    _flask(env, "db", "upgrade")
    started = time.perf_counter()
    counts = ["--articles", str(articles), "--comments", str(comments), "--seed", "1"]
    _flask(env, "demo", "generate", *counts)
    seconds = round(time.perf_counter() - started, 1)
    _flask(
        env,
        "users",
        "create",
        MODERATOR,
        "--name",
        "Người duyệt bình luận",
        "--role",
        "moderator",
        "--password",
        MODERATOR_PASSWORD,
    )
    size = db_file.stat().st_size if db_file.exists() else None
    dataset = Dataset(
        str(instance),
        database_url,
        articles,
        comments,
        generate_seconds=seconds,
        db_bytes=size,
        **_describe(env),
    )
    meta.write_text(json.dumps(asdict(dataset), indent=2))
    return dataset
