"""`flask personal-data find|export|erase EMAIL`, `flask personal-data correct --email OLD
[--new-email NEW] [--new-name NAME]`: a data subject's request from the shell.

The same services as the desk's /admin/personal-data; each run is in the security log with no
actor (the command line) and a keyed hash of the email, never the address.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..comments import personal_data
from ..errors import FieldError
from ..text import display_time

group = AppGroup(
    "personal-data", help="A person's comments by email: find, export, correct, erase."
)

MESSAGES = {
    "invalid": "not an email address",
    "format": "choose json or csv",
    "mode": "ERASURE_MODE must be anonymise or delete",
    "length": "too long",
    "nothing": "give --new-email, --new-name or both",
}


def _fail(error: FieldError) -> None:
    click.echo(f"error: {error.field}: {MESSAGES.get(error.code, error.code)}", err=True)
    raise SystemExit(1)


def _secret() -> str:
    return str(current_app.config["IP_HASH_KEY"])


@group.command("find")
@click.argument("email")
def find_command(email: str) -> None:
    """List every comment of EMAIL, whatever its status, with its moderation history."""
    try:
        held = personal_data.find(email, None, _secret())
    except FieldError as exc:
        _fail(exc)
        return
    click.echo(f"{len(held.comments)} comments for {held.email}")
    for comment in held.comments:
        click.echo(
            f"#{comment.id} {display_time(comment.created_at)} {comment.status} "
            f"/articles/{comment.article.slug} {comment.name}: {comment.body[:60]!r}"
        )
        for row in held.audits[comment.id]:
            by = row.actor.name if row.actor else "system"
            click.echo(
                f"    {display_time(row.created_at)} {row.from_status or '-'} -> "
                f"{row.to_status} by {by} {row.reason}"
            )
    if held.mails:
        click.echo(f"{len(held.mails)} emails to {held.email} in the outbox")
    for message in held.mails:
        sent = f"sent {display_time(message.sent_at)}" if message.sent_at else "waiting"
        click.echo(f"{display_time(message.created_at)} {message.kind} {sent}: {message.subject}")


@group.command("export")
@click.argument("email")
@click.option(
    "--format", "fmt", type=click.Choice(personal_data.FORMATS), default="json", show_default=True
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of the standard output.",
)
def export_command(email: str, fmt: str, output: Path | None) -> None:
    """A copy of everything held about EMAIL, as JSON or CSV (UTF-8, the CSV with a BOM)."""
    try:
        text = personal_data.export(email, fmt, None, _secret())
    except FieldError as exc:
        _fail(exc)
        return
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@group.command("erase")
@click.argument("email")
@click.option(
    "--mode",
    type=click.Choice(personal_data.MODES),
    default=None,
    help="Delete or anonymise the comments [ERASURE_MODE].",
)
@click.option("--yes", is_flag=True, help="Do it: without this nothing is erased.")
def erase_command(email: str, mode: str | None, yes: bool) -> None:
    """Erase EMAIL's comments (also the answer to a withdrawn consent)."""
    chosen = mode or str(current_app.config["ERASURE_MODE"])
    if not yes:
        click.echo("nothing erased: add --yes to erase (this cannot be undone)", err=True)
        raise SystemExit(1)
    try:
        count = personal_data.erase(email, chosen, None, _secret())
    except FieldError as exc:
        _fail(exc)
        return
    click.echo(f"{chosen}: {count} comments")


@group.command("correct")
@click.option("--email", "email", required=True, help="The address the comments hold now.")
@click.option("--new-email", default="", help="The correct address (merges with its comments).")
@click.option("--new-name", default="", help="The correct full name.")
def correct_command(email: str, new_email: str, new_name: str) -> None:
    """Correct the name and/or email of every comment of EMAIL (the right to correct)."""
    try:
        count = personal_data.correct(email, new_email, new_name, None, _secret())
    except FieldError as exc:
        _fail(exc)
        return
    click.echo(f"corrected: {count} comments")
