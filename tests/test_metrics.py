"""/metrics: counts that go up, summed over processes, readable only from allowed addresses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from newsportal import create_app, metrics

from .comment_helpers import comment_data

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(client, environ=LOCAL) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", environ_overrides=environ, buffered=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return parse(response.get_data(as_text=True))


def parse(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests(samples, endpoint: str, status: str = "2xx") -> float:
    return samples.get(
        ("newsportal_requests_total", (("endpoint", endpoint), ("status", status))), 0.0
    )


def cache(samples, result: str) -> float:
    return samples.get(("newsportal_page_cache_total", (("result", result),)), 0.0)


def comments(samples, outcome: str) -> float:
    return samples.get(("newsportal_comments_total", (("outcome", outcome),)), 0.0)


@pytest.mark.sqlite_only("counters live in the process, whatever the database")
def test_requests_and_page_cache_counts_go_up(app):
    client = app.test_client(use_cookies=False)
    before = scrape(client)
    client.get("/", buffered=True)  # rendered: a miss
    client.get("/", buffered=True)  # from the cache's fast path: a hit
    client.get("/no-such-page", buffered=True)
    after = scrape(client)
    assert requests(after, "reader.home") - requests(before, "reader.home") == 2
    assert requests(after, "unmatched", "4xx") - requests(before, "unmatched", "4xx") == 1
    assert cache(after, "miss") - cache(before, "miss") == 1
    assert cache(after, "hit") - cache(before, "hit") == 1
    latency = (
        "newsportal_request_duration_seconds_count",
        (("endpoint", "reader.home"), ("status", "2xx")),
    )
    assert after[latency] - before.get(latency, 0) == 2
    labels = {
        dict(key[1]).get("endpoint") for key in after if key[0] == "newsportal_requests_total"
    }
    assert not any(label.startswith("/") for label in labels)  # names, never raw paths


def test_comments_by_outcome_and_the_queue_length(app, make_article):
    article = make_article("Lấy ý kiến", body="Nội dung.")
    client = app.test_client()
    before = scrape(client)
    assert before[("newsportal_moderation_queue_length", ())] == 0
    url = f"/articles/{article.slug}/comments"
    client.post(url, data=comment_data(app), buffered=True)
    client.post(url, data=comment_data(app, body="Ý kiến thứ hai"), buffered=True)
    client.post(url, data=comment_data(app, website="http://spam.example"), buffered=True)
    client.post(url, data={**comment_data(app), "ts": "forged"}, buffered=True)
    after = scrape(client)
    assert comments(after, "pending") - comments(before, "pending") == 2
    assert comments(after, "bot:honeypot") - comments(before, "bot:honeypot") == 1
    assert comments(after, "refused:expired") - comments(before, "refused:expired") == 1
    assert after[("newsportal_moderation_queue_length", ())] == 2


@pytest.mark.sqlite_only("who may read /metrics does not depend on the database")
@pytest.mark.parametrize(
    ("settings", "environ", "status"),
    [
        ({}, {"REMOTE_ADDR": "127.0.0.1"}, 200),
        ({}, {"REMOTE_ADDR": "::1"}, 200),
        # A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6: still the same address.
        ({}, {"REMOTE_ADDR": "::ffff:127.0.0.1"}, 200),
        ({"METRICS_ALLOWED_IPS": ["10.0.0.0/8"]}, {"REMOTE_ADDR": "::ffff:10.0.0.5"}, 200),
        ({}, {"REMOTE_ADDR": "::ffff:10.0.0.5"}, 404),
        # A Unix socket has no peer address: nobody to trust.
        ({}, {"REMOTE_ADDR": ""}, 404),
        ({}, {"REMOTE_ADDR": "10.0.0.5"}, 404),
        ({"METRICS_ALLOWED_IPS": ["10.0.0.0/8"]}, {"REMOTE_ADDR": "10.0.0.5"}, 200),
        ({"METRICS_ALLOWED_IPS": ["10.0.0.0/8"]}, {"REMOTE_ADDR": "127.0.0.1"}, 404),
        # Nobody is trusted to forward: the header a client sends is ignored.
        ({}, {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}, 404),
        # One proxy trusted: the reader's address it forwards is the one checked.
        (
            {"PROXY_HOPS": 1},
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
            404,
        ),
        ({"PROXY_HOPS": 1}, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}, 200),
        (
            {"PROXY_HOPS": 1},
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "127.0.0.1, 198.51.100.7"},
            404,
        ),
    ],
)
def test_only_allowed_addresses_read_metrics(app_config, settings, environ, status):
    client = create_app({**app_config, **settings}).test_client()
    response = client.get("/metrics", environ_overrides=environ, buffered=True)
    assert response.status_code == status
    if status == 404:
        assert b"newsportal_requests_total" not in response.data


@pytest.mark.sqlite_only("configuration parsing")
@pytest.mark.parametrize("value", ["127.0.0.1", ["not-an-ip"], ["10.0.0.0/33"], [1]])
def test_a_bad_allow_list_refuses_to_start(app_config, value):
    with pytest.raises(ValueError, match="METRICS_ALLOWED_IPS"):
        create_app({**app_config, "METRICS_ALLOWED_IPS": value})


WORKER = """
from newsportal import metrics
for _ in range({n}):
    metrics.observe_request("reader.home", 200, 0.01)
    metrics.page_cache(hit=True)
"""


@pytest.mark.sqlite_only("the multiprocess files do not depend on the database")
def test_counts_from_several_processes_are_summed(app, tmp_path, monkeypatch):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {
        **os.environ,
        metrics.MULTIPROC_ENV: str(folder),
        "PYTHONPATH": str(ROOT),
        "NEWSPORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER.format(n=n)], env=env)  # noqa: S603 (our script)
        for n in (3, 4)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert len(list(folder.glob("counter_*.db"))) == 2  # one file per process
    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(folder))
    for worker in workers:
        metrics.child_exit(None, SimpleNamespace(pid=worker.pid))  # the workers have ended
    # This process scrapes as another gunicorn worker would: the sums of every worker's files.
    samples = scrape(app.test_client())
    assert requests(samples, "reader.home") == 7
    assert cache(samples, "hit") == 7
    assert samples[("newsportal_moderation_queue_length", ())] == 0
    monkeypatch.delenv(metrics.MULTIPROC_ENV)
    metrics.on_starting(None)  # no folder set in this process: nothing to clear
    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(folder))
    metrics.on_starting(None)  # a new run starts from zero
    assert list(folder.glob("*.db")) == []
