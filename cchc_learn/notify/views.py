"""/notifications: a user's own notices, and marking them read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import signed_in
from ..boundary import page_number
from ..formkit import ActionForm
from . import service

bp = Blueprint("notify", __name__, url_prefix="/notifications")

MAX_IDS = 200


@bp.route("/")
@signed_in
def list_notifications():
    found = service.list_for(current_user.id, page_number())
    return render_template(
        "notify/list.html", notices=found, unread=unread_badge(), form=ActionForm()
    )


@bp.route("/read", methods=["POST"])
@signed_in
def mark_read():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("all"):
        changed = service.mark_read(current_user.id, "all")
    else:
        raw = request.form.getlist("id")[:MAX_IDS]
        ids = [int(v) for v in raw if v.isascii() and v.isdigit() and len(v) < 10]
        changed = service.mark_read(current_user.id, ids)
    if changed:
        flash(f"Đã đánh dấu {changed} thông báo là đã đọc.", "success")
    return redirect(url_for("notify.list_notifications"))


def unread_badge() -> int:
    """The signed-in user's unread count for the header (one COUNT per request)."""
    if not current_user.is_authenticated:
        return 0
    if "cchc_unread" not in g:
        g.cchc_unread = service.unread_count(current_user.id)
    return g.cchc_unread
