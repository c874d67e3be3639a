"""`flask articles import`, `flask comments purge`, `flask search reindex`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..articles.importer import import_article, parse_file
from ..articles.services import reindex_articles
from ..comments import retention
from ..errors import FieldError
from ..markup_bounds import MAX_DEPTH
from ..pages.services import reindex_pages

articles = AppGroup("articles", help="Articles from files.")
comments = AppGroup("comments", help="Reader comments.")
search = AppGroup("search", help="The search index.")

# What the importer's FieldError codes say, after "<file>: <field>: ". The command line speaks
# English like the rest of its output; `details` fill the braces.
IMPORT_MESSAGES = {
    "unreadable": "cannot read it ({error})",
    "not_yaml": "{problem}",
    "not_closed": "not closed by a line with ---",
    "missing": "missing",
    "required": "missing",  # the desk's word: nothing left once invisible characters go
    "not_text": "must be text",
    "not_iso_time": "cannot read {value!r} as an ISO 8601 date and time",
    "year_range": "year {year} is not between 1900 and 2200",
    "unknown_status": "{value!r} is not published or draft",
    "invalid": "{value!r} is not a valid address (a-z, 0-9, -)",
    "no_slug": "has no letter or digit to make an address from",
    "no_letter": "{value!r} has no letter or digit",
    "exists": "{value!r} already exists (use --update)",
    "too_deep": f"cannot be displayed: quotes, lists or tags nest more than {MAX_DEPTH} deep",
    "too_complex": (
        "cannot be displayed: thousands of unclosed [ or <, headings without blank lines "
        "between them, or far more table cells or tags than text"
    ),
}


def import_message(path: Path, error: FieldError) -> str:
    return f"{path}: {error.field}: " + IMPORT_MESSAGES[error.code].format(**error.details)


@articles.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--update", is_flag=True, help="Replace articles whose slug already exists.")
def import_command(files: tuple[Path, ...], update: bool) -> None:
    """Import Markdown files with front matter (title, author, published_at, ...)."""
    failed = 0
    for path in files:
        try:
            article = import_article(parse_file(path), update=update)
        except FieldError as exc:
            click.echo(f"error: {import_message(path, exc)}", err=True)
            failed += 1
        else:
            click.echo(f"imported {path} -> /articles/{article.slug}")
    if failed:
        raise SystemExit(1)


@comments.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    default=None,
    help="Age in days of the spam and rejected comments to delete [COMMENT_PURGE_DAYS].",
)
def purge_command(days: int | None) -> None:
    """Retention, everything due: spam and rejected comments older than N days (approved ones
    stay), User-Agents older than USER_AGENT_KEEP_DAYS, security events older than
    SECURITY_EVENTS_KEEP_DAYS, outbox emails older than MAIL_KEEP_DAYS. The site also runs it
    hourly by itself (comments/retention.py)."""
    periods = retention.periods_from(current_app.config, batch=False)
    if days is not None:
        periods = replace(periods, comment_days=days)
    report = retention.run(periods)
    click.echo(
        f"deleted {report.comments} spam/rejected comments older than {periods.comment_days} days"
    )
    click.echo(
        f"cleared the User-Agent of {report.user_agents} comments older than "
        f"{periods.user_agent_days} days"
    )
    click.echo(
        f"deleted {report.security_events} security events older than {periods.security_days} days"
    )
    click.echo(f"deleted {report.mails} outbox emails older than {periods.mail_days} days")


@search.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from the articles and the information pages."""
    click.echo(f"indexed {reindex_articles()} articles and {reindex_pages()} pages")
