"""Staff accounts, managed by administrators: create, change role, reset password, deactivate."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..errors import FieldError
from ..extensions import db
from ..forms import Form
from ..models import User
from . import queries, services
from .decorators import ADMINS, check_role
from .forms import ROLE_LABELS, NewUserForm, PasswordForm, RoleForm, account_message
from .sessions import begin_session

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.before_request
def _admins_only() -> Response | None:
    return check_role(ADMINS)


@bp.route("/", methods=["GET", "POST"])
def index() -> str | Response:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data or "",
                form.name.data or "",
                form.role.data or "",
                form.password.data or "",
                current_user.id,
            )
        except FieldError as exc:
            getattr(form, exc.field).errors.append(account_message(exc))
        else:
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("users.index"))
    users = queries.staff()
    return render_template("admin/users.html", form=form, users=users, roles=ROLE_LABELS)


@bp.get("/<int:user_id>")
def edit(user_id: int) -> str:
    user = db.get_or_404(User, user_id)
    return _edit_page(user, RoleForm(obj=user), PasswordForm())


@bp.post("/<int:user_id>/role")
def change_role(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.set_role(user.id, form.role.data or "", current_user.id)
        except FieldError as exc:
            form.role.errors.append(account_message(exc))
        else:
            flash(_("Role changed."), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    return _edit_page(user, form, PasswordForm())


@bp.post("/<int:user_id>/password")
def change_password(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user.id, form.password.data or "", current_user.id)
        except FieldError as exc:
            form.password.errors.append(account_message(exc))
        else:
            if user.id == current_user.id:
                begin_session(user)  # the admin's own sessions elsewhere end; this one goes on
            flash(_("Password changed. The account's open sessions have ended."), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    return _edit_page(user, RoleForm(obj=user), form)


def _edit_page(user: User, role_form: RoleForm, password_form: PasswordForm) -> str:
    return render_template(
        "admin/user_edit.html",
        user=user,
        role_form=role_form,
        password_form=password_form,
        roles=ROLE_LABELS,
    )


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id: int) -> Response:
    return _set_active(user_id, active=False)


@bp.post("/<int:user_id>/activate")
def activate(user_id: int) -> Response:
    return _set_active(user_id, active=True)


def _set_active(user_id: int, active: bool) -> Response:
    user = db.get_or_404(User, user_id)
    if Form().validate_on_submit():
        try:
            services.set_active(user.id, active, current_user.id)
        except FieldError as exc:
            flash(account_message(exc), "error")
        else:
            message = (
                _("%(name)s can sign in again.", name=user.name)
                if active
                else _("%(name)s is deactivated and signed out everywhere.", name=user.name)
            )
            flash(message, "success")
    return redirect(url_for("users.edit", user_id=user.id))
