"""Feeds and sitemaps as XML documents, built by libraries (feedgen, ElementTree), not by hand.

Functions take plain values (URLs already absolute) and return bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

from ..text import iso_time, to_local, xml_safe

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _local(value: datetime) -> datetime:
    """Vietnam time with its +07:00 offset, to the second."""
    return to_local(value).replace(microsecond=0)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    summary: str
    author: str
    published: datetime
    updated: datetime
    category: str = ""


def atom_feed(
    *,
    feed_url: str,
    site_url: str,
    title: str,
    subtitle: str,
    author: str,
    entries: Sequence[FeedEntry],
    updated: datetime,
) -> bytes:
    # Imported here: feedgen and its lxml are some 9 MB in a worker that may never serve a feed.
    from feedgen.feed import FeedGenerator

    # xml_safe on every text: a row stored before cleaning must not make the feed a 500.
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(xml_safe(title))
    feed.subtitle(xml_safe(subtitle))
    feed.author(name=xml_safe(author))
    feed.link(href=site_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.language("vi")
    feed.updated(_local(updated))
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item.url)
        entry.title(xml_safe(item.title))
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.published(_local(item.published))
        entry.updated(_local(item.updated))
        entry.author(name=xml_safe(item.author or author))
        summary, category = xml_safe(item.summary), xml_safe(item.category)
        if summary:
            entry.summary(summary)
        if category:
            entry.category(term=category)
    result: bytes = feed.atom_str(pretty=True)
    return result


def _document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def urlset(entries: Iterable[tuple[str, datetime | None]]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for loc, lastmod in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = xml_safe(loc)
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = iso_time(lastmod)
    return _document(root)


def sitemap_index(entries: Iterable[tuple[str, datetime | None]]) -> bytes:
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for loc, lastmod in entries:
        sitemap = ET.SubElement(root, "sitemap")
        ET.SubElement(sitemap, "loc").text = xml_safe(loc)
        if lastmod is not None:
            ET.SubElement(sitemap, "lastmod").text = iso_time(lastmod)
    return _document(root)
