"""What `make bench` starts gunicorn with, and how it judges the workers' memory (no servers)."""

from __future__ import annotations

from pathlib import Path

from tests.perf.servers import MEMORY_TARGET_MB, ROOT, GunicornSettings, Server, memory_figures


def site(root: Path) -> Server:
    env = {"PATH": "/usr/bin", "PYTHONPATH": str(ROOT)}  # as a developer's shell may have it
    return Server(
        "site", "newsportal:create_app()", GunicornSettings(), env, root / "x.log", root=root
    )


def test_another_checkout_is_served_from_its_own_directory(tmp_path: Path) -> None:
    other = tmp_path / "other-checkout"
    (other / ".venv" / "bin").mkdir(parents=True)
    (other / ".venv" / "bin" / "gunicorn").touch()
    server = site(other)
    cmd = server.command()
    assert cmd[0] == str(other / ".venv" / "bin" / "gunicorn")
    assert cmd[cmd.index("--chdir") + 1] == str(other)
    assert cmd[-1] == "newsportal:create_app()"
    env = server.environment()
    assert env["PYTHONPATH"] == str(other)
    assert env["PATH"] == "/usr/bin"
    assert str(ROOT) not in cmd


def test_this_checkout_is_served_from_itself() -> None:
    server = site(ROOT)
    assert server.command()[server.command().index("--chdir") + 1] == str(ROOT)
    assert server.environment()["PYTHONPATH"] == str(ROOT)


def test_memory_target_is_on_resident_memory_not_the_peak() -> None:
    assert MEMORY_TARGET_MB == 90
    under = memory_figures({11: 85.04, 12: 89.96}, {11: 131.0, 12: 104.0})
    assert under == {"rss_mb": [85.0, 90.0], "peak_mb": [131.0, 104.0], "met": True}
    assert memory_figures({11: 90.5}, {11: 95.0})["met"] is False
    assert memory_figures({}, {})["met"] is False  # no worker read: not met
    assert "met" not in memory_figures({11: 200.0}, {11: 200.0}, target=None)
