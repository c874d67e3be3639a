"""Search latency at 100,000 articles on SQLite: `make bench-search` (or run this file).

Not collected by pytest (the name starts with bench_). Builds a throw-away database of synthetic
Vietnamese articles, indexed the way the site indexes them, then times whole /search requests
and prints p50 / p95 per query. The goal in issue 6: p50 under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, insert, select

from newsportal import create_app
from newsportal.extensions import db
from newsportal.models import Article, SearchDocument
from newsportal.models.search import rank_key
from newsportal.search.queries import words

VOCABULARY = (  # noqa: SIM905 - a sentence reads better than a list of 120 strings
    "Đồng Tháp tỉnh huyện xã phường Cao Lãnh Sa Đéc Hồng Ngự Tháp Mười Lai Vung Châu Thành "
    "khiếu nại tố cáo giải quyết công dân tiếp nhận đơn thư Ủy ban nhân dân hội nghị triển khai "
    "nghị quyết kế hoạch chương trình nông nghiệp lúa xoài sen cá tra giá thị trường xuất khẩu "
    "đường giao thông cầu công trình đầu tư vốn dự án học sinh giáo dục y tế bệnh viện dịch vụ "
    "công trực tuyến chuyển đổi số người dân doanh nghiệp hỗ trợ phát triển kinh tế văn hóa "
    "du lịch mùa nước nổi lễ hội thể thao an ninh trật tự môi trường kênh rạch thu hoạch năng suất"
).split()
QUERIES = [
    "dong thap",
    "khieu nai",
    "Đồng Tháp",
    "giai quyet khieu nai to cao",
    '"tiep nhan don"',
    "lua thu hoach nang suat",
    "duong",
    "cau",
    "chuyen doi so",
    "xyzzy khong co",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(n))


def build(app, count: int) -> None:
    rng = random.Random(6)  # noqa: S311 - synthetic text, not security
    start = datetime(2020, 1, 1, tzinfo=UTC)
    batch = 5000
    with app.app_context():
        db.create_all()
        for first in range(0, count, batch):
            articles, docs = [], []
            for i in range(first, min(count, first + batch)):
                title = sentence(rng, rng.randint(8, 14)).capitalize()
                lead = sentence(rng, 30)
                body = " ".join(sentence(rng, 25) + "." for _ in range(6))
                when = start + timedelta(minutes=30 * i)
                articles.append(
                    {
                        "id": i + 1,
                        "title": title,
                        "slug": f"bai-{i + 1}",
                        "lead": lead,
                        "body_md": body,
                        "body_html": f"<p>{body}</p>",
                        "byline": "Minh Hằng",
                        "status": "published",
                        "published_at": when,
                        "created_at": when,
                        "updated_at": when,
                        "comments_enabled": True,
                    }
                )
                text = f"{lead} {body}"
                docs.append(
                    {
                        "id": i + 1,
                        "rank_key": rank_key(when, i + 1),
                        "kind": "article",
                        "ref_id": i + 1,
                        "url": f"/articles/bai-{i + 1}",
                        "title": title,
                        "text": text,
                        "title_folded": " ".join(words(title)),
                        "text_folded": " ".join(words(text)),
                        "visible_from": when,
                        "updated_at": when,
                    }
                )
            db.session.execute(insert(Article), articles)
            db.session.execute(insert(SearchDocument), docs)
            db.session.commit()
            print(f"\r{min(count, first + batch):,} articles", end="", flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--database-url",
        help="a database to fill, e.g. postgresql+psycopg:///bench (one filled before is reused)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    os.environ["NEWSPORTAL_INSTANCE_PATH"] = str(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url or f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-to-use",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        existing = db.session.scalar(select(func.count(Article.id)))
    if existing:
        print(f"reusing the {existing:,} articles already in {args.database_url}")
    else:
        t0 = time.perf_counter()
        build(app, args.articles)
        print(f"built in {time.perf_counter() - t0:.0f} s")
    client = app.test_client()
    everything: list[float] = []
    for query in QUERIES:
        client.get("/search", query_string={"q": query})  # warm the page cache
        first = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        found = first.count('class="search-result"')
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            response = client.get("/search", query_string={"q": query})
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        everything += times
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        median = statistics.median(times)
        print(f"{query!r:34} p50 {median:7.1f} ms   p95 {p95:7.1f} ms   {found} shown")
    overall = statistics.median(everything)
    print(f"all queries: p50 {overall:.1f} ms over {len(everything)} requests")


if __name__ == "__main__":
    main()
