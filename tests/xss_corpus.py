"""The third-party XSS corpus (../shared/corpora/xss/payloads.jsonl) and the part of it that is
sent on PostgreSQL.

What the corpus tests prove (the escaping, the sanitiser, the markup around a reader's text) is
decided in Python before any text reaches the database, so SQLite runs every string. PostgreSQL
runs the strings whose storage round trip could differ between engines: every string with a
character outside printable ASCII (Vietnamese and other letters, U+00A0, U+2028, control
characters, NUL), every string longer than 300 characters, and every 25th of the rest so each
source and shape is represented (about 460 of 3,802).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "xss" / "payloads.jsonl"
needs_corpus = pytest.mark.skipif(
    not CORPUS.exists(), reason="../shared/corpora/xss is not beside the project"
)
# Thousands of sends through code the rest of the suite covers line by line: tracing them for
# coverage tripled their time and added no covered line.
untraced = pytest.mark.no_cover
LONG = 300
STRIDE = 25


@cache
def corpus() -> tuple[str, ...]:
    lines = CORPUS.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 is data
    return tuple(json.loads(line)["payload"] for line in lines if line.strip())


def _round_trip_matters(payload: str) -> bool:
    return len(payload) > LONG or any(not " " <= char <= "~" for char in payload)


@cache
def postgres_sample() -> tuple[str, ...]:
    rest = [p for p in corpus() if not _round_trip_matters(p)]
    return tuple(p for p in corpus() if _round_trip_matters(p)) + tuple(rest[::STRIDE])


def for_engine(database_url: str) -> tuple[str, ...]:
    """Every string on SQLite, the sample above on PostgreSQL."""
    return corpus() if database_url.startswith("sqlite") else postgres_sample()
