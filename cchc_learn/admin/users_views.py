"""Admin pages for accounts: list, create, edit, deactivate, reset password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import ROLE_LABELS, roles_required
from ..auth import admin as account_admin
from ..auth import service as auth_service
from ..auth.models import User
from ..boundary import page_number
from ..extensions import db
from ..formkit import ActionForm
from ..org import accounts
from ..org import service as org_service
from .blueprint import bp
from .choices import unit_choices
from .forms import UserForm

PER_PAGE = 50


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _load_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _posted_for(user_id: int) -> User:
    """The account a bare admin action (lock, new password, 2FA off) is posted for."""
    if not ActionForm().validate_on_submit():
        abort(400)
    return _load_user(user_id)


@bp.route("/users")
@roles_required("admin")
def list_users():
    q = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") or None
    if role not in ROLE_LABELS:
        role = None
    page = page_number()
    users, total = auth_service.search_users(q, role=role, page=page, per_page=PER_PAGE)
    units = org_service.current_units([u.id for u in users])
    return render_template(
        "admin/users.html",
        users=users,
        units=units,
        total=total,
        page=page,
        per_page=PER_PAGE,
        q=q,
        role=role or "",
        role_labels=ROLE_LABELS,
        action_form=ActionForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def create_user():
    form = UserForm()
    form.unit.choices = unit_choices(blank="(Chưa có đơn vị)")
    if request.method == "GET":
        form.roles.data = ["official"]
    error = None
    if form.validate_on_submit():
        try:
            user, password = accounts.create_account(
                form.username.data,
                form.full_name.data,
                unit_code=form.unit.data,
                roles=form.roles.data or [],
                email=form.email.data,
                position=form.position.data,
                actor=_actor(),
            )
        except (auth_service.AuthError, org_service.OrgError) as exc:
            error = str(exc)
        else:
            return render_template(
                "admin/password_issued.html", user=user, password=password, created=True
            )
    return render_template("admin/user_form.html", form=form, error=error, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int):
    user = _load_user(user_id)
    form = UserForm(obj=user)
    form.unit.choices = unit_choices(blank="(Chưa có đơn vị)")
    membership = org_service.current_membership(user)
    if request.method == "GET":
        form.roles.data = sorted(user.role_names)
        form.unit.data = membership.unit.code if membership else ""
    form.username.data = user.username  # usernames never change
    error = None
    if form.validate_on_submit():
        try:
            accounts.update_account(
                user,
                full_name=form.full_name.data,
                email=form.email.data,
                position=form.position.data,
                roles=form.roles.data or [],
                unit_code=form.unit.data,
                actor=_actor(),
            )
        except (auth_service.AuthError, org_service.OrgError) as exc:
            error = str(exc)
        else:
            flash(f"Đã lưu tài khoản {user.username}.", "success")
            return redirect(url_for("admin.list_users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        error=error,
        user=user,
        membership=membership,
        action_form=ActionForm(),
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def set_user_active(user_id: int):
    user = _posted_for(user_id)
    activate = request.form.get("active") == "1"
    try:
        account_admin.set_active(user, activate, actor=_actor())
    except auth_service.AuthError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Đã {'mở khóa' if activate else 'khóa'} tài khoản {user.username}.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@roles_required("admin")
def reset_user_password(user_id: int):
    user = _posted_for(user_id)
    password = account_admin.reset_password(user, actor=_actor())
    return render_template(
        "admin/password_issued.html", user=user, password=password, created=False
    )


@bp.route("/users/<int:user_id>/disable-totp", methods=["POST"])
@roles_required("admin")
def disable_user_totp(user_id: int):
    user = _posted_for(user_id)
    account_admin.disable_totp(user, actor=_actor())
    flash(f"Đã tắt xác thực hai lớp của {user.username}.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
