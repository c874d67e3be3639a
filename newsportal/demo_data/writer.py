"""Composes synthetic Vietnamese titles, leads, bodies and comments from the pools in `words`.

Bodies and comment texts are rendered through `markup.py` once, into pools that the bulk
generator reuses: rendering a million texts one by one would take longer than inserting them,
and the site's rule stands that no HTML reaches a page except through markup.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .. import markup
from ..comments.services import ip_hash
from ..text import slugify
from . import words

BODY_POOL = 200
COMMENT_POOL = 800
COMMENTER_POOL = 40_000


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def person(rng: random.Random) -> str:
    return " ".join(
        (
            rng.choice(words.FAMILY_NAMES),
            rng.choice(words.MIDDLE_NAMES),
            rng.choice(words.GIVEN_NAMES),
        )
    )


def title(rng: random.Random) -> str:
    place, obj = rng.choice(words.PLACES), rng.choice(words.OBJECTS)
    action = rng.choice(words.ACTIONS)
    pick = rng.randrange(4)
    if pick == 0:
        return f"{_cap(place)}: {_cap(action)} {obj}"
    if pick == 1:
        return f"{rng.choice(words.SUBJECTS)} {action} {obj} tại {place}"
    if pick == 2:
        return f"{_cap(obj)} ở {place} {rng.choice(words.OUTCOMES)}"
    return f"{_cap(place)} {action} {obj} năm {rng.randrange(2019, 2027)}"


def _figures(rng: random.Random) -> str:
    unit, what = rng.choice(words.UNITS)
    amount = f"{rng.randrange(12, 9800):,}".replace(",", ".")  # Vietnamese thousands dot
    counted = f"{unit} {what}" if what else unit
    return (
        f"Đến nay, {rng.choice(words.PLACES)} đã có {amount} {counted}, "
        f"tăng {rng.randrange(2, 35)}% so với cùng kỳ năm trước."
    )


def sentence(rng: random.Random) -> str:
    pick = rng.randrange(6)
    if pick == 0:
        return (
            f"{rng.choice(words.SUBJECTS)} vừa {rng.choice(words.ACTIONS)} "
            f"{rng.choice(words.OBJECTS)} tại {rng.choice(words.PLACES)}."
        )
    if pick == 1:
        return _figures(rng)
    if pick == 2:
        return (
            f"“{rng.choice(words.QUOTES)}”, ông {rng.choice(words.PEOPLE)}, "
            f"{rng.choice(words.ROLES)}, cho biết."
        )
    if pick == 3:
        return (
            f"Việc {rng.choice(words.ACTIONS)} {rng.choice(words.OBJECTS)} "
            f"{rng.choice(words.OUTCOMES)}."
        )
    if pick == 4:
        return (
            f"Theo kế hoạch, trong quý {rng.randrange(1, 5)}, {rng.choice(words.PLACES)} sẽ "
            f"tiếp tục {rng.choice(words.ACTIONS)} {rng.choice(words.OBJECTS)}."
        )
    return (
        f"Bà {rng.choice(words.PEOPLE)} cho rằng cần {rng.choice(words.ACTIONS)} "
        f"{rng.choice(words.OBJECTS)} để người dân được hưởng lợi nhiều hơn."
    )


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def lead(rng: random.Random) -> str:
    return paragraph(rng, rng.randrange(1, 3))


def _table(rng: random.Random) -> str:
    unit, _what = rng.choice(words.UNITS)
    rows = [f"| Địa phương | Năm trước ({unit}) | Năm nay ({unit}) |", "|---|---:|---:|"]
    for place in rng.sample(words.PLACES, rng.randrange(3, 7)):
        before = rng.randrange(100, 5000)
        rows.append(f"| {_cap(place)} | {before} | {before + rng.randrange(-50, 800)} |")
    return "\n".join(rows)


def body(rng: random.Random, size: str) -> str:
    """Markdown: 'short' is two paragraphs; 'medium' adds a quote; 'long' has sections,
    lists and a table like the province's own summary reports."""
    if size == "short":
        return "\n\n".join(paragraph(rng, rng.randrange(2, 4)) for _ in range(2))
    parts = [paragraph(rng, rng.randrange(3, 6)) for _ in range(rng.randrange(3, 6))]
    if size == "medium":
        parts.insert(2, f"> {rng.choice(words.QUOTES)}.")
        return "\n\n".join(parts)
    for heading in rng.sample(words.HEADINGS, rng.randrange(2, 5)):
        parts.append(f"## {heading}")
        parts.extend(paragraph(rng, rng.randrange(3, 7)) for _ in range(rng.randrange(2, 4)))
        if rng.random() < 0.5:
            parts.append("\n".join(f"- {_cap(o)}" for o in rng.sample(words.OBJECTS, 4)))
    parts.append(_table(rng))
    parts.append(f"**{rng.choice(words.REPORTERS)}**")
    return "\n\n".join(parts)


def comment(rng: random.Random) -> str:
    first = " ".join(rng.sample(words.COMMENT_SENTENCES, rng.randrange(1, 4)))
    roll = rng.random()
    if roll < 0.15:
        return f"{first}\n\n{rng.choice(words.COMMENT_SENTENCES)}"
    if roll < 0.2:
        return f"{first} Xem thêm: {rng.choice(words.LINKS)}"
    return first


@dataclass
class Pools:
    """Everything reused across rows: rendered bodies and comments, commenters, hashed IPs."""

    bodies: list[tuple[str, str]]  # (markdown, html)
    comments: list[tuple[str, str]]  # (text, html)
    commenters: list[tuple[str, str]]  # (name, email)
    ip_hashes: list[str]


def make_pools(rng: random.Random, secret: str) -> Pools:
    sizes = ["short"] * 5 + ["medium"] * 4 + ["long"] * 2
    sources = [body(rng, rng.choice(sizes)) for _ in range(BODY_POOL)]
    texts = list(dict.fromkeys(comment(rng) for _ in range(COMMENT_POOL)))
    commenters = []
    for n in range(COMMENTER_POOL):
        name = person(rng)
        given, family = slugify(name.split()[-1]), slugify(name.split()[0])
        commenters.append((name, f"{given}.{family}{n}@example.org"))
    # Documentation address ranges (RFC 5737), hashed exactly as the comment pipeline does.
    ips = [f"{net}.{n}" for net in ("192.0.2", "198.51.100", "203.0.113") for n in range(1, 255)]
    return Pools(
        bodies=[(src, markup.render_article(src)) for src in sources],
        comments=[(text, markup.render_comment(text)) for text in texts],
        commenters=commenters,
        ip_hashes=[ip_hash(ip, secret) for ip in ips],
    )
