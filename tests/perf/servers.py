"""gunicorn servers for the benchmark: a free port, wait until ready, read worker memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..servers import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


class BenchError(RuntimeError):
    """Something that makes the figures meaningless: the run stops with a non-zero exit."""


@dataclass(frozen=True)
class GunicornSettings:
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1

    def args(self) -> list[str]:
        return [
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
        ]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The developer's NEWSPORTAL_* settings must not change what is measured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
    return {**env, **extra}


@dataclass
class Server:
    name: str
    app: str  # gunicorn's WSGI app spec
    settings: GunicornSettings
    env: dict[str, str]
    log: Path
    pythonpath: str | None = None
    root: Path = ROOT  # another checkout to serve, with its own .venv (compare branches)
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        venv_gunicorn = self.root / ".venv" / "bin" / "gunicorn"
        cmd = [
            str(venv_gunicorn) if self.root != ROOT and venv_gunicorn.exists() else GUNICORN,
            "--chdir",
            str(self.root),
            *self.settings.args(),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        if self.pythonpath:
            cmd += ["--pythonpath", self.pythonpath]
        return [*cmd, self.app]

    def environment(self) -> dict[str, str]:
        # gunicorn puts the directory it starts in on sys.path (behind --chdir's, ahead of
        # site-packages), and the developer's PYTHONPATH may name this checkout: with
        # --site-root, neither may supply a module the other checkout lacks.
        return {**self.env, "PYTHONPATH": str(self.root)}

    def start(self, ready_path: str = "/") -> None:
        self.port = free_port()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=self.root, env=self.environment(), stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.base + ready_path, timeout=5) as response:
                    if response.status == 200 and len(self.worker_pids()) == self.settings.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} server did not answer {ready_path} within 60 s")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def memory_mb(self, field: str) -> dict[int, float]:
        """A figure of /proc/PID/status per worker: VmRSS (resident now) or VmHWM (its peak)."""
        figures = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith(f"{field}:"):
                    figures[pid] = int(line.split()[1]) / 1024
        return figures

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


MEMORY_TARGET_MB = 90.0  # resident (VmRSS) per worker after the run; the peak is reported only


def memory_figures(
    resident: dict[int, float], peak: dict[int, float], target: float | None = MEMORY_TARGET_MB
) -> dict[str, Any]:
    """Each worker's VmRSS and VmHWM, in the same order; the target is checked on VmRSS."""
    pids = sorted(resident)
    figures: dict[str, Any] = {
        "rss_mb": [round(resident[pid], 1) for pid in pids],
        "peak_mb": [round(peak.get(pid, 0.0), 1) for pid in pids],
    }
    if target is not None:
        figures["met"] = bool(resident) and max(resident.values()) <= target
    return figures
