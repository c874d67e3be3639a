"""Who hears about a review step: the place mail plugs in.

The review services call these after their transaction has committed, with the id of the item
(an article today); mail writes its outbox rows in a transaction of its own (mail.services), so
the review code never learns how anyone is told and a send-back is saved even if no one is.
"""

from __future__ import annotations

from ..mail import services as mail


def review_requested(article_id: int) -> None:
    """An article was submitted for review ("Gửi duyệt"): tell the editors."""
    mail.review_requested(article_id)


def sent_back(article_id: int) -> None:
    """An article was sent back with the editor's note ("Trả lại"): tell its writer."""
    mail.review_sent_back(article_id)
