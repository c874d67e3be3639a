"""`flask backup create DIR` and `flask backup restore DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..backups.errors import BackupError
from ..backups.services import Site, create_backup, restore_backup

backup = AppGroup("backup", help="Back up and restore the database and the uploads.")

MESSAGES = {
    "not_empty": "the folder must be new or empty",
    "unsupported_database": "only a SQLite file or a PostgreSQL database can be backed up",
    "pg_tool_missing": "{detail} not found: install the PostgreSQL client (postgresql-client) "
    "of the server's major version",
    "pg_tool_too_old": "{detail} is older than the PostgreSQL server: install the client of the "
    "server's major version",
    "pg_tool_failed": "PostgreSQL's tool failed: {detail}",
    "no_manifest": "no readable manifest.json: not a backup folder, or an unfinished backup",
    "unknown_format": "manifest.json is of a format this version does not know",
    "damaged": "{detail} is missing, changed or unexpected: the backup is damaged",
    "other_engine": "this is a {detail} backup; the configured database is another kind",
    "has_data": "the configured database holds data: add --yes to replace it with the backup",
}


def _site() -> Site:
    config = current_app.config
    return Site(
        database_url=config["SQLALCHEMY_DATABASE_URI"],
        uploads=Path(config["UPLOAD_FOLDER"]),
        instance=Path(current_app.instance_path),
    )


def _failure(exc: BackupError) -> click.ClickException:
    return click.ClickException(MESSAGES[exc.code].format(detail=exc.detail))


@backup.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create_command(directory: Path) -> None:
    """Back up into DIRECTORY (new or empty); safe while the site runs."""
    try:
        manifest = create_backup(directory, _site())
    except BackupError as exc:
        raise _failure(exc) from None
    click.echo(
        f"backed up the {manifest.engine} database and {len(manifest.files) - 1} files into "
        f"{directory} (revision {manifest.alembic_revision or 'none'})"
    )


@backup.command("restore")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that holds data.")
def restore_command(directory: Path, yes: bool) -> None:
    """Restore the backup in DIRECTORY into the configured database and uploads folder."""
    try:
        manifest = restore_backup(directory, _site(), overwrite=yes)
    except BackupError as exc:
        raise _failure(exc) from None
    click.echo(
        f"restored the backup of {manifest.created_at:%Y-%m-%d %H:%M} UTC "
        f"(version {manifest.app_version}, revision {manifest.alembic_revision or 'none'})"
    )
