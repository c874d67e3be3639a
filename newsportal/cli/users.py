"""`flask users ...`: staff accounts."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..auth.forms import account_message
from ..auth.queries import staff
from ..auth.services import create_user, find_user, set_active, set_password
from ..errors import FieldError
from ..models import Role, User

users = AppGroup("users", help="Staff accounts.")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name, e.g. 'Nguyễn Văn An'.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True, help="12+ characters."
)
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    try:
        user = create_user(email, name, role, password)
    except FieldError as exc:
        raise _account_failure(exc) from None
    click.echo(f"created {user.role} {user.email}")


@users.command("set-password")
@click.argument("email")
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True, help="12+ characters."
)
def set_password_command(email: str, password: str) -> None:
    """Give a staff account a new password; its open sessions end."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    try:
        set_password(user.id, password)
    except FieldError as exc:
        raise _account_failure(exc) from None
    click.echo(f"password changed for {user.email}; its sessions have ended")


@users.command("list")
def list_command() -> None:
    """Every staff account: email, name, role, whether it may sign in."""
    rows = [("EMAIL", "NAME", "ROLE", "ACTIVE")]
    rows += [(u.email, u.name, u.role, "yes" if u.active else "no") for u in staff()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@users.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Stop an account signing in; its open sessions end at once."""
    user = _set_active(email, active=False)
    click.echo(f"deactivated {user.email}; its sessions have ended")


@users.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Let a deactivated account sign in again."""
    user = _set_active(email, active=True)
    click.echo(f"activated {user.email}; it can sign in again")


def _set_active(email: str, active: bool) -> User:
    # The same service as the admin desk's buttons: one way accounts change.
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    try:
        return set_active(user.id, active, acting_id=None)
    except FieldError as exc:
        raise _account_failure(exc) from None


def _account_failure(exc: FieldError) -> click.ClickException:
    # The command line speaks English like the rest of its output; Flask-Babel picks a locale
    # per request, so the message is read inside one.
    with current_app.test_request_context(), force_locale("en"):
        return click.ClickException(f"{exc.field}: {account_message(exc)}")
