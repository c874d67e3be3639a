"""`flask storage ...`: where uploaded pictures and result PDFs are kept."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from .. import storage as stored
from ..extensions import db

storage = AppGroup("storage", help="Uploaded pictures and result PDFs.")


@storage.command("move")
@click.option(
    "--to",
    "target_name",
    required=True,
    type=click.Choice(stored.BACKENDS),
    help="The backend to move every file into.",
)
def move_command(target_name: str) -> None:
    """Move every stored file into one backend. Each copy is read back and compared (size and
    sha256) before the original is deleted; run again, it moves nothing."""
    source_name = next(name for name in stored.BACKENDS if name != target_name)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    source, target = stored.backend(app, source_name), stored.backend(app, target_name)
    try:
        report = stored.move(source, target, db.session.commit)
    except stored.CopyMismatch as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"moved {len(report.moved)} files from {source_name} to {target_name}"
        + (f" ({len(report.already_there)} were there already)" if report.already_there else "")
    )
    if app.config["STORAGE_BACKEND"] != target_name:
        click.echo(f"now set NEWSPORTAL_STORAGE_BACKEND={target_name} on every app server")
