"""The systemd units in deploy/systemd, checked by systemd-analyze verify: systemd cannot run
them here (PID 1 is not systemd), so this is what proves they parse and name what they run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.sqlite_only("unit files do not depend on the database"),
    pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze"),
]
UNITS = Path(__file__).resolve().parents[1] / "deploy" / "systemd"
SHIPPED_VENV = "/opt/newsportal/venv/bin/"
CHECKED = [
    "newsportal@8001.service",
    "newsportal-purge.service",
    "newsportal-purge.timer",
    "newsportal-backup.service",
    "newsportal-backup.timer",
    "newsportal-mail.service",
    "newsportal-mail.timer",
]


def verify(folder: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (fixed arguments)
        ["systemd-analyze", "verify", "--man=no", *(f"./{n}" for n in names)],  # noqa: S607
        cwd=folder,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def units(tmp_path: Path) -> Path:
    """The shipped units, with the venv this test runs in where they name /opt/newsportal/venv:
    verify checks that each command it runs exists."""
    for unit in UNITS.iterdir():
        text = unit.read_text()
        if unit.suffix == ".service":
            assert SHIPPED_VENV in text, unit.name
        (tmp_path / unit.name).write_text(
            text.replace(SHIPPED_VENV, f"{Path(sys.executable).parent}/")
        )
    return tmp_path


def test_every_unit_is_checked():
    shipped = {unit.name for unit in UNITS.iterdir()}
    assert shipped == {name.replace("@8001", "@") for name in CHECKED}


def test_the_units_verify_without_a_warning(units):
    result = verify(units, CHECKED)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


@pytest.mark.parametrize(
    ("unit", "shipped", "broken"),
    [
        ("newsportal-purge.timer", "OnCalendar=*-*-* 02:30:00", "OnCalendar=nightly-ish"),
        ("newsportal@.service", "Type=notify", "Type=notifyy"),
        ("newsportal-backup.service", "ExecStart=/bin/sh", "ExecStart=/bin/no-such-shell"),
    ],
)
def test_the_check_catches_a_broken_unit(units, unit, shipped, broken):
    path = units / unit
    assert shipped in path.read_text()
    path.write_text(path.read_text().replace(shipped, broken))
    result = verify(units, CHECKED)
    assert result.returncode != 0 or result.stderr.strip() != ""


def test_timers_run_the_purge_backup_and_mail_commands():
    assert (
        "flask --app newsportal comments purge" in (UNITS / "newsportal-purge.service").read_text()
    )
    assert "flask --app newsportal mail send" in (UNITS / "newsportal-mail.service").read_text()
    backup = (UNITS / "newsportal-backup.service").read_text()
    assert "flask --app newsportal backup create " in backup
