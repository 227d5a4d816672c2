"""Accounts: sign-in, sessions, passwords, roles and two-factor codes."""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db, login_manager

# Endpoints a signed-in user may reach while a password change or TOTP setup is pending.
_GATE_EXEMPT = {"auth.change_password", "auth.logout", "auth.totp_setup", "static", "home.healthz"}


def init_app(app: Flask) -> None:
    """Register the blueprint, the user loader, the gates and the CLI."""
    from ..backup import hooks
    from . import cli, models, passwords, restored, service, throttle, views

    throttle.read_window(app)
    if app.config.get("PASSWORD_HASH_TIME_COST") or app.config.get("PASSWORD_HASH_MEMORY_KIB"):
        passwords.configure(
            time_cost=app.config.get("PASSWORD_HASH_TIME_COST"),
            memory_cost_kib=app.config.get("PASSWORD_HASH_MEMORY_KIB"),
        )

    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"

    # Runs on every signed-in request: one query with the roles joined, built once.
    by_id = (
        select(models.User)
        .options(joinedload(models.User.role_links))
        .where(models.User.id == bindparam("uid"))
    )

    @login_manager.user_loader
    def load_user(user_id: str):
        uid, _, version = user_id.partition(":")
        if not uid.isdigit() or not version.isdigit():
            return None
        user = db.session.execute(by_id, {"uid": int(uid)}).unique().scalar_one_or_none()
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    @app.before_request
    def _gate_pending_steps():
        if not current_user.is_authenticated or request.endpoint in _GATE_EXEMPT:
            return None
        if current_user.must_change_password:
            return redirect(url_for("auth.change_password"))
        if service.totp_required(current_user):
            return redirect(url_for("auth.totp_setup"))
        return None

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users_cli)
    hooks.register(app, "Đăng nhập", restored.after_restore)
