"""The benchmark's output: the table on the terminal and the same figures as JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path
from typing import Any

from . import data, mixed
from .servers import MEMORY_TARGET_MB, ROOT, GunicornSettings

HEADER = (
    f"{'cache':5} {'endpoint':11} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare/s':>8} "
    f"{'ratio':>6} {'HWM MB':>6}  targets"
)


def format_checks(targets: list[dict[str, Any]]) -> str:
    return ", ".join(f"{c['target']}: {'met' if c['met'] else 'MISSED'}" for c in targets)


def format_row(row: dict[str, Any]) -> str:
    checks = format_checks(row["targets"])
    return (
        f"{row['page_cache']:5} {row['endpoint']:11} {row['rps']:8.1f} {row['p50_ms']:7.1f} "
        f"{row['p99_ms']:7.1f} {row['baseline_rps']:8.1f} {row['ratio']:6.2f} "
        f"{max(row['site_peak_rss_mb'], default=0):6.0f}  {checks}"
    )


PROXY_HEADER = (
    f"{'via':5} {'endpoint':11} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare/s':>8} {'ratio':>6}"
)


def format_proxy_row(row: dict[str, Any]) -> str:
    return (
        f"{row['via']:5} {row['endpoint']:11} {row['rps']:8.1f} {row['p50_ms']:7.1f} "
        f"{row['p99_ms']:7.1f} {row['baseline_rps']:8.1f} {row['ratio']:6.2f}"
    )


def format_mixed(row: dict[str, Any]) -> str:
    return (
        f"mixed       {row['rps']:8.1f} {row['p50_ms']:7.1f} {row['p99_ms']:7.1f} "
        f"{row['baseline_rps']:8.1f} {row['ratio']:6.2f}  hit rate {row['hit_rate']:.1%} "
        f"({row['hits']:,} hits, {row['misses']:,} misses)  {format_checks(row['targets'])}"
        + _format_memory(row.get("memory"))
    )


def _format_memory(memory: dict[str, Any] | None) -> str:
    if not memory:
        return ""
    return (
        f"\n            workers after a sign-in: VmRSS {', '.join(map(str, memory['rss_mb']))} MB,"
        f" peak VmHWM {', '.join(map(str, memory['peak_mb']))} MB"
    )


def proxy_title(args: argparse.Namespace) -> str:
    return (
        "through the proxy: nginx (deploy/nginx, proxy_cache warm, HTTPS keep-alive) in front "
        f"of one app server; that server alone and the bare app; deploy/gunicorn.conf.py, "
        f"{args.workers} sync workers each"
    )


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "system": platform.platform(),
        "python": platform.python_version(),
        "load_at_start": os.getloadavg(),
    }


def report(
    args: argparse.Namespace,
    dataset: data.Dataset,
    settings: GunicornSettings,
    started: str,
    rows: list[dict[str, Any]],
    memory: dict[str, Any],
    notes: list[str],
    errors: list[str],
    proxy_rows: list[dict[str, Any]],
    mixed_row: dict[str, Any] | None = None,
) -> None:
    print(
        f"\n{dataset.articles:,} articles, {dataset.comments:,} comments; gunicorn "
        f"{settings.workers} {settings.worker_class} workers; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration:g}s after {args.warmup:g}s warm-up; {started}\n"
    )
    if rows:
        print(HEADER)
    for row in rows:
        print(format_row(row))
    if rows and proxy_rows:
        print()
    if proxy_rows:
        print(f"{proxy_title(args)}\n{PROXY_HEADER}")
    for row in proxy_rows:
        print(format_proxy_row(row))
    if mixed_row is not None:
        print(f"\n{mixed.TITLE}\n{format_mixed(mixed_row)}")
    if rows or proxy_rows or mixed_row:
        print()
    for mode, info in memory.items():
        if mode in ("off", "frag", "on"):
            print(
                f"site workers (cache {mode}) after the run: resident (VmRSS) {info['rss_mb']} MB "
                f"(target <= {MEMORY_TARGET_MB:.0f} MB: {'met' if info['met'] else 'MISSED'}); "
                f"peak (VmHWM) {info['peak_mb']} MB"
            )
    if "baseline" in memory:
        bare = memory["baseline"]
        print(f"bare workers: resident {bare['rss_mb']} MB; peak {bare['peak_mb']} MB")
    for line in list(dict.fromkeys(notes)) + [f"ERROR {e}" for e in errors]:
        print(line)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "date": started,
                "machine": machine(),
                "dataset": dataset.__dict__,
                "gunicorn": settings.__dict__,
                "wrk": {
                    "threads": args.threads,
                    "connections": args.connections,
                    "duration_s": args.duration,
                    "warmup_s": args.warmup,
                },
                "results": rows,
                "proxy": {"workers": args.workers, "results": proxy_rows} if proxy_rows else None,
                "mixed": mixed_row,
                "memory": memory,
                "notes": notes,
                "errors": errors,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    if args.site_root.resolve() != ROOT:
        print(f"the site was served from {args.site_root}")
    print(f"written {args.json}")
