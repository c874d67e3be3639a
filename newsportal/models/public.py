"""Every model says whether readers see its rows: the cache contract reads it from here.

A change to a row of a `PublicContent` model raises the content version in the same transaction
(see content_version), so no cached page outlives the data; a comment's or a reply's raises only
the versions of the pages that show it (`comment_thread`). A `PrivateContent` model (accounts,
audit rows, revisions, counters) changes no page a reader is served. A new model must choose
one: tests/test_structure.py fails for a model that declares neither.
"""

from __future__ import annotations


class PublicContent:
    """Readers see these rows: adding, changing or deleting one changes public pages."""

    def public_when_added(self) -> bool:
        """Whether a new row is visible at once (a comment is not, until it is approved)."""
        return True

    def comment_thread(self) -> tuple[str, int] | None:
        """Where a comment or a reply shows: ("article", id) or ("comment", id), whose article's
        page and the lists counting its comments are all it changes (content_version scopes
        them). None, the default: any public page may show this row."""
        return None


class PrivateContent:
    """Readers never see these rows as such: changing one leaves every public page as it was."""
