"""The one error a backup or a restore raises."""

from __future__ import annotations

from ..errors import FieldError


class BackupError(FieldError):
    """Nothing was restored (or the backup is incomplete); `detail` holds a tool's own words."""

    def __init__(self, field: str, code: str, detail: str = "") -> None:
        super().__init__(field, code)
        self.detail = detail
