"""Every model says whether readers see its rows: the cache contract reads it from here.

A change to a row of a `PublicContent` model raises the content version in the same transaction
(see content_version), so no cached page outlives the data. A row that can say which pages show
a change raises only those pages' scopes instead: a comment or a reply (`comment_thread`), and
an article whose edit touched only what its own page, the lists and the feeds show
(`edit_scopes`). A `PrivateContent` model (accounts, audit rows, revisions, counters) changes no
page a reader is served. A new model must choose one: tests/test_structure.py fails for a model
that declares neither.
"""

from __future__ import annotations

# The lists of article cards (a lead, a comment count): each list page declares one of these, and
# a change to a card raises those of the lists that show it (card_lists.py).
LISTS = "lists"  # what a query reading cards or counts says it read: any of the lists below
FRONT = "lists:front"  # the home page: the top stories and each category's block
LATEST = "lists:latest"  # the home page's later pages: every published article, newest first
FEEDS = "feeds"  # the feeds and sitemaps: leads and update times, no comment counts


def article_scope(slug: str) -> str:
    """The scope of one article's pages (the page and its print view): its text, its comments."""
    return f"article:{slug}"


def list_scope(kind: str, slug: str) -> str:
    """The scope of one category's, tag's or author's pages of cards."""
    return f"{LISTS}:{kind}:{slug}"


def covers(declared: str, read: str) -> bool:
    """Whether a page declaring `declared` is raised by every change to what `read` names."""
    return read == declared or (read == LISTS and declared.startswith(f"{LISTS}:"))


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

    def edit_scopes(self) -> set[str] | None:
        """Asked of a changed row about to be written: the scopes of every page its change shows
        on, when the row can name them (none: no public page shows it), `cards_of(id)` standing
        for the lists showing an article's card. None, the default: any public page may show
        this change."""
        return None


CARDS = "cards:"


def cards_of(article_id: int) -> str:
    """Not a page's scope: every list showing this article's card, which content_version asks
    card_lists.py for."""
    return f"{CARDS}{article_id}"


class PrivateContent:
    """Readers never see these rows as such: changing one leaves every public page as it was."""
