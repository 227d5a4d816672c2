"""Sign in, sign out, change password, two-factor codes."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from ..access import public, signed_in
from ..extensions import db, limiter
from ..security import safe_next
from . import service, signin
from .forms import ChangePasswordForm, LoginForm, TotpForm, TotpSetupForm
from .models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")

PENDING_KEY = "pending_totp"
PENDING_TTL_SECONDS = 300


def client_ip() -> str:
    """The caller's address (ProxyFix in production supplies the real one)."""
    return request.remote_addr or "unknown"


def _start_session(user: User) -> None:
    session.clear()  # a fresh session on sign-in prevents fixation
    # Not a permanent session: Flask-Login's "strong" protection only drops non-permanent
    # sessions whose browser changed. The signed cookie still expires after
    # PERMANENT_SESSION_LIFETIME, and closing the browser ends it on shared office PCs.
    login_user(user)
    signin.record_sign_in(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    if form.validate_on_submit():
        target = safe_next(form.next.data, url_for("home.index"))
        try:
            result = signin.check_password(form.username.data, form.password.data, client_ip())
        except service.AuthError as exc:
            error = str(exc)
        else:
            if result.needs_totp:
                session.clear()
                session[PENDING_KEY] = {
                    "uid": result.user.id,
                    "sv": result.user.session_version,
                    "at": int(time.time()),
                    "next": target,
                }
                return redirect(url_for("auth.totp"))
            _start_session(result.user)
            return redirect(target)
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/totp", methods=["GET", "POST"])
@public
def totp():
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_TTL_SECONDS:
        session.pop(PENDING_KEY, None)
        flash("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.", "warning")
        return redirect(url_for("auth.login"))
    user = db.session.get(User, pending["uid"])
    if user is None or not user.active or user.session_version != pending["sv"]:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("auth.login"))
    form = TotpForm()
    error = None
    if form.validate_on_submit():
        try:
            signin.check_code(user, form.code.data, client_ip())
        except service.AuthError as exc:
            error = str(exc)
        else:
            target = pending.get("next") or url_for("home.index")
            _start_session(user)
            return redirect(safe_next(target, url_for("home.index")))
    return render_template("auth/totp.html", form=form, error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        signin.sign_out_everywhere(user)
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    error = None
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        try:
            signin.change_password(user, form.current.data, form.new.data, form.confirm.data)
        except service.AuthError as exc:
            error = str(exc)
        else:
            login_user(user)  # this session goes on under the new session version
            flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "success")
            return redirect(url_for("home.index"))
    forced = current_user.must_change_password
    return render_template("auth/password.html", form=form, error=error, forced=forced)


@bp.route("/totp/setup", methods=["GET", "POST"])
@signed_in
def totp_setup():
    form = TotpSetupForm()
    secret = session.get("totp_setup_secret")
    if request.method == "GET" or not secret:
        secret = service.new_totp_secret()
        session["totp_setup_secret"] = secret
    error = None
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        try:
            signin.enable_totp(user, secret, form.code.data)
        except service.AuthError as exc:
            error = str(exc)
        else:
            session.pop("totp_setup_secret", None)
            login_user(user)
            flash("Đã bật xác thực hai lớp.", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "auth/totp_setup.html",
        form=form,
        error=error,
        secret=secret,
        uri=service.totp_uri(current_user, secret),
        required=service.totp_required(current_user),
        issuer=current_app.config["TOTP_ISSUER"],
    )
