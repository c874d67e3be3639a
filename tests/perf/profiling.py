"""`--profile ENDPOINT`: pyinstrument over N requests in-process, to see where the time goes."""

from __future__ import annotations

import os
import time
from typing import Any

from .data import MODERATOR, MODERATOR_PASSWORD, Dataset
from .load import hidden
from .servers import BenchError

TOP_LINES = 80


def _app(dataset: Dataset, page_cache: bool) -> Any:
    extra = {
        "NEWSPORTAL_ENV": "development",
        "NEWSPORTAL_RATELIMIT_ENABLED": "false",
        "NEWSPORTAL_COMMENT_MIN_SECONDS": "0",
        "NEWSPORTAL_PAGE_CACHE_ENABLED": "true" if page_cache else "false",
    }
    os.environ.update(
        {k: v for k, v in {**dataset.env(), **extra}.items() if k.startswith("NEWSPORTAL_")}
    )
    from newsportal import create_app

    return create_app()


def profile(
    dataset: Dataset, endpoint: str, paths: dict[str, str], requests: int, page_cache: bool
) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError as exc:
        raise BenchError("pyinstrument is missing: make install") from exc
    if endpoint not in paths:
        raise BenchError(f"--profile takes one of: {', '.join(paths)}")
    client = _app(dataset, page_cache).test_client()
    path = paths[endpoint]
    form: dict[str, str] = {}
    if endpoint == "comment":
        page = client.get(path.removesuffix("/comments")).get_data(as_text=True)
        form = {
            "csrf_token": hidden(page, "csrf_token"),
            "ts": hidden(page, "ts"),
            "name": "Nguyễn Văn Đo",
            "email": "do.nguyen@example.org",
            "consent": "y",
        }
    elif endpoint == "moderation":
        page = client.get("/login").get_data(as_text=True)
        client.post(
            "/login",
            data={
                "email": MODERATOR,
                "password": MODERATOR_PASSWORD,
                "csrf_token": hidden(page, "csrf_token"),
            },
        )

    def once(n: int) -> int:
        if form:
            data = {**form, "body": f"Ý kiến đo hiệu năng số {n} {time.time()}"}
            return client.post(path, data=data).status_code
        return client.get(path).status_code

    status = once(0)  # warm: templates compiled, connections open
    if status >= 400:
        raise BenchError(f"{endpoint} answered {status} in-process")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    started = time.perf_counter()
    for n in range(1, requests + 1):
        once(n)
    elapsed = time.perf_counter() - started
    profiler.stop()
    print(
        f"\n{endpoint}: {requests} requests in-process in {elapsed:.2f} s "
        f"({requests / elapsed:.0f}/s, {1000 * elapsed / requests:.1f} ms each, profiler on)"
    )
    report = profiler.output_text(unicode=True, color=False, show_all=False)
    lines = report.splitlines()
    print("\n".join(lines[:TOP_LINES]))
    if len(lines) > TOP_LINES:
        print(f"... {len(lines) - TOP_LINES} more lines")
