"""`flask articles import`, `flask comments purge`, `flask search reindex`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import security_log
from ..articles.importer import ImportFailure, import_article, parse_file
from ..articles.services import reindex_articles
from ..comments import moderation
from ..pages.services import reindex_pages

articles = AppGroup("articles", help="Articles from files.")
comments = AppGroup("comments", help="Reader comments.")
search = AppGroup("search", help="The search index.")


@articles.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--update", is_flag=True, help="Replace articles whose slug already exists.")
def import_command(files: tuple[Path, ...], update: bool) -> None:
    """Import Markdown files with front matter (title, author, published_at, ...)."""
    failed = 0
    for path in files:
        try:
            article = import_article(parse_file(path), update=update)
        except ImportFailure as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
        else:
            click.echo(f"imported {path} -> /articles/{article.slug}")
    if failed:
        raise SystemExit(1)


@comments.command("purge")
@click.option("--older-than", "days", type=click.IntRange(min=1), default=30, show_default=True,
              help="Age in days of the spam and rejected comments to delete.")  # fmt: skip
def purge_command(days: int) -> None:
    """Retention: spam and rejected comments older than N days (approved ones stay), and
    security events older than SECURITY_EVENTS_KEEP_DAYS."""
    removed = moderation.purge(days)
    click.echo(f"deleted {removed} spam/rejected comments older than {days} days")
    keep = int(current_app.config["SECURITY_EVENTS_KEEP_DAYS"])
    events = security_log.purge(keep)
    click.echo(f"deleted {events} security events older than {keep} days")


@search.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from the articles and the information pages."""
    click.echo(f"indexed {reindex_articles()} articles and {reindex_pages()} pages")
