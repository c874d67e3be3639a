"""Moving every stored file from one backend to another, e.g. when a second server is added."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from .base import Storage


class CopyMismatch(RuntimeError):
    """A copy read back differs from its source: the source is kept, the move stops."""


@dataclass
class MoveReport:
    moved: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)  # from an earlier, interrupted run


def _digest(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


def move(source: Storage, target: Storage, commit: Callable[[], None]) -> MoveReport:
    """Copy each file, read the copy back and compare size and sha256, and only then delete
    the source's. Run again, it finds nothing left to move; a file the target has already
    (an earlier run stopped between copy and delete) is checked the same way before its source
    goes. `commit` makes the target's writes durable (the database backend's session)."""
    report = MoveReport()
    for key in list(source.list()):
        data = source.read(key)
        if data is None:  # removed meanwhile (a result deleted on another server)
            continue
        expected = _digest(data)
        present = target.exists(key)
        if not present:
            target.put(key, data)
            commit()
        copy = target.read(key)
        if copy is None or _digest(copy) != expected:
            raise CopyMismatch(f"{key}: the copy in {target.name} differs; {source.name} kept")
        source.delete(key)
        (report.already_there if present else report.moved).append(key)
    return report
