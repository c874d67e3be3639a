"""requirements.lock (`make lock`) is kept current with pyproject.toml's runtime ranges.

The lock is what a deployment installs (`pip install --require-hashes -r requirements.lock`, then
the wheel with `--no-deps`); tests/test_wheel.py installs it into a fresh venv and checks that
every installed package's requirements are met. Here: every runtime dependency is pinned inside
its range, the extras it asks for are pinned too, every pin is hashed, and nothing else (the
dev extra's tools) came in as a direct dependency.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.metadata import requires

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from newsportal import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(text) for text in PROJECT["dependencies"]]
FROM_PYPROJECT = "newsportal (pyproject.toml)"


@dataclass
class Pin:
    version: Version
    hashes: int
    via: list[str] = field(default_factory=list)


def _read_lock() -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    entry = ""
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            via = stripped.lstrip("#").strip().removeprefix("via").strip()
            if current is not None and via:
                current.via.append(via)
            continue
        entry += " " + stripped.removesuffix("\\")
        if stripped.endswith("\\"):
            continue
        if entry.strip():
            spec, *hashes = entry.split("--hash=")
            requirement = Requirement(spec.strip())
            (pinned,) = requirement.specifier
            assert pinned.operator == "==", f"not pinned: {spec}"
            current = Pin(
                Version(pinned.version), sum(h.strip().startswith("sha256:") for h in hashes)
            )
            pins[canonicalize_name(requirement.name)] = current
        entry = ""
    return pins


LOCKED = _read_lock()


@pytest.mark.parametrize("requirement", RUNTIME, ids=lambda r: r.name)
def test_every_runtime_dependency_is_pinned_within_its_range(requirement):
    pin = LOCKED.get(canonicalize_name(requirement.name))
    assert pin is not None, f"{requirement.name} is not in requirements.lock: run make lock"
    assert requirement.specifier.contains(pin.version, prereleases=True), (
        f"requirements.lock pins {requirement.name}=={pin.version}, outside {requirement}: "
        "run make lock"
    )


@pytest.mark.parametrize("requirement", [r for r in RUNTIME if r.extras], ids=lambda r: r.name)
def test_the_extras_a_dependency_asks_for_are_pinned(requirement):
    added = []
    for text in requires(requirement.name) or []:
        needed = Requirement(text)
        marker = needed.marker
        if marker is None or marker.evaluate({"extra": ""}):
            continue  # not brought by an extra
        if any(marker.evaluate({"extra": extra}) for extra in requirement.extras):
            added.append(needed)
    assert added, f"{requirement} names extras that add nothing"
    for needed in added:
        pin = LOCKED.get(canonicalize_name(needed.name))
        assert pin is not None, f"{needed.name} ({requirement}) is not in requirements.lock"
        assert needed.specifier.contains(pin.version, prereleases=True)


def test_every_pin_is_hashed():
    assert LOCKED
    assert not [name for name, pin in LOCKED.items() if not pin.hashes]


def test_the_lock_holds_the_runtime_dependencies_and_not_the_dev_tools():
    direct = {name for name, pin in LOCKED.items() if FROM_PYPROJECT in pin.via}
    assert direct == {canonicalize_name(r.name) for r in RUNTIME}
    tools = {
        canonicalize_name(Requirement(t).name) for t in PROJECT["optional-dependencies"]["dev"]
    }
    needed_at_runtime = {name for name, pin in LOCKED.items() if set(pin.via) - {FROM_PYPROJECT}}
    assert not (tools & set(LOCKED)) - needed_at_runtime
