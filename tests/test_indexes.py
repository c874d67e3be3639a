"""Every list the site shows is read through an index, never by scanning the table."""

import pytest
from sqlalchemy import event, func, select

from newsportal.extensions import db
from newsportal.models import (
    Article,
    Comment,
    CommentStatus,
    PublishedResult,
    ReceptionSession,
    published_filter,
)
from newsportal.text import utcnow

LISTS = {
    "home": lambda: select(Article).where(published_filter()).order_by(Article.published_at.desc()),
    "category": lambda: (
        select(Article)
        .where(Article.category_id == 1, published_filter())
        .order_by(Article.published_at.desc())
    ),
    "approved comments of an article": lambda: (
        select(Comment)
        .where(Comment.article_id == 1, Comment.status == CommentStatus.APPROVED)
        .order_by(Comment.created_at)
    ),
    "moderation queue, oldest first": lambda: (
        select(Comment).where(Comment.status == CommentStatus.PENDING).order_by(Comment.created_at)
    ),
    "a commenter's record": lambda: select(func.count()).where(
        Comment.email == "a@b.vn", Comment.status == CommentStatus.APPROVED
    ),
    "reception schedule": lambda: (
        select(ReceptionSession)
        .where(ReceptionSession.starts_at >= utcnow())
        .order_by(ReceptionSession.starts_at)
    ),
    "published results": lambda: select(PublishedResult).order_by(
        PublishedResult.issued_on.desc(), PublishedResult.id.desc()
    ),
}


@pytest.mark.sqlite_only("reads SQLite's query plans")
@pytest.mark.parametrize("name", LISTS)
def test_lists_use_an_index(app, name):
    with app.app_context():
        statement = LISTS[name]().compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(db.text(f"EXPLAIN QUERY PLAN {statement}")).all()
    details = " | ".join(row[-1] for row in plan)
    assert "USING INDEX" in details or "USING COVERING INDEX" in details, details
    assert "TEMP B-TREE" not in details, details  # sorted by the index, not afterwards


@pytest.mark.sqlite_only("reads SQLite's query plans")
def test_the_moderation_queue_reads_each_commenters_record_by_index(app):
    from newsportal.comments import moderation

    statements = []
    with app.app_context():
        listener = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        moderation.queue("pending", None, "", 1, 50, 0)
        event.remove(db.engine, "before_cursor_execute", listener)
        sql, params = statements[-1]
        plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        details = " | ".join(row[-1] for row in plan)
    # A million comments: through the status index this took minutes, not milliseconds.
    assert "ix_comments_email_status" in details, details
