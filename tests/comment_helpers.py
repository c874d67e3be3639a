"""Helpers shared by the comment and moderation tests."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import html5lib

from newsportal.comments import services, stamp
from newsportal.extensions import db
from newsportal.models import Article, Comment, CommentAudit

DANGEROUS_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "base",
    "meta",
    "link",
    "frame",
    "frameset",
    "applet",
    "form",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
FOREIGN = ("{http://www.w3.org/2000/svg}", "{http://www.w3.org/1998/Math/MathML}")


def comment_data(app: Any, **changes: str) -> dict[str, str]:
    """A valid submission, its signed timestamp old enough to pass the too-fast check."""
    with app.app_context():
        ts = stamp.issue(app.config["SECRET_KEY"], head_start=60)
    data = {
        "name": "Nguyễn Thị Mai",
        "email": "mai@example.org",
        "body": "Xin hỏi khi nào có kết quả hỗ trợ?",
        "consent": "y",
        "ts": ts,
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submitted(
    app: Any,
    article_id: int,
    body: str,
    *,
    name: str = "Bạn đọc Đồng Tháp",
    email: str = "ban-doc@example.org",
    ip: str = "192.0.2.7",
) -> int:
    """A comment sent through the comment service, no form and no rate limit: its id (pending
    unless the policy approves it). For tests about what happens to comments, not the form."""
    policy = services.Policy(secret=app.config["IP_HASH_KEY"], rate_limit=None)
    entry = services.CommentInput(
        name=name, email=email, body=body, ip=ip, form_age=timedelta(minutes=5)
    )
    with app.app_context():
        sent = services.submit_comment(db.session.get_one(Article, article_id), entry, policy)
        assert sent.comment is not None, sent
        return sent.comment.id


def comments(app: Any) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(db.select(Comment).order_by(Comment.id)))


def audits(app: Any) -> list[CommentAudit]:
    with app.app_context():
        return list(db.session.scalars(db.select(CommentAudit).order_by(CommentAudit.id)))


def parse(page: str) -> Any:
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)


def count_with_class(tree: Any, tag: str, css_class: str) -> int:
    return sum(1 for el in tree.iter(tag) if css_class in (el.get("class") or "").split())


def dangerous_parts(page: str | Any, own_scripts: tuple[str, ...] = ("/static/js/",)) -> list[str]:
    """Everything in a served page that could run script, found with an HTML5 parser."""
    tree = parse(page) if isinstance(page, str) else page
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        name = el.tag.split("}")[-1]
        if el.tag.startswith(FOREIGN):
            found.append(f"foreign element {name}")
        if name in DANGEROUS_ELEMENTS:
            src = el.get("src") or el.get("href") or ""
            allowed = (
                (name == "script" and src.startswith(own_scripts))
                # JSON-LD is data a browser never runs (written with |tojson)
                or (name == "script" and el.get("type") == "application/ld+json" and not src)
                or (name == "link" and src.startswith("/static/css/"))
                # the site's own icons and web manifest (never from a reader)
                or (
                    name == "link"
                    and el.get("rel") in ("icon", "apple-touch-icon", "manifest")
                    and src.startswith(("/static/img/", "/site.webmanifest", "/favicon.ico"))
                )
                # the feed and canonical links point at the site itself
                or (
                    name == "link"
                    and el.get("rel") in ("alternate", "canonical")
                    and src.startswith(("/", "http://127.0.0.1:5000/"))
                    and not src.startswith("//")
                )
                or (name == "meta" and not el.get("http-equiv"))
                or (name == "form" and (el.get("action") or "/").startswith("/"))
            )
            if not allowed:
                found.append(f"element {name}")
        for attr, value in el.attrib.items():
            attr_name = attr.split("}")[-1].lower()
            if attr_name.startswith("on") or attr_name == "srcdoc":
                found.append(f"attribute {attr_name} on {name}")
            if attr_name in URL_ATTRIBUTES or attr.endswith("}href"):
                scheme = re.sub(r"[\x00-\x20]", "", value).split(":", 1)[0].lower()
                if ":" in value and scheme in {"javascript", "vbscript", "data"}:
                    found.append(f"{scheme}: URL in {name}@{attr_name}")
    return found
