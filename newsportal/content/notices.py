"""Who hears about a review step: the place mail plugs in.

The review services call these after their transaction has committed, with the id of the item
(an article today). They do nothing yet: the email feature puts its outbox writes here (a
notice to the editors when an article waits, to the writer when it comes back), so the review
code never learns how anyone is told.
"""

from __future__ import annotations


def review_requested(article_id: int) -> None:
    """An article was submitted for review ("Gửi duyệt"): tell the editors."""


def sent_back(article_id: int) -> None:
    """An article was sent back with the editor's note ("Trả lại"): tell its writer."""
