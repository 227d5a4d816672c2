"""Admin blueprint: dashboard and audit log; accounts and units live in their own modules."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from ..access import roles_required
from ..audit.service import list_entries
from ..auth.models import User
from ..boundary import page_number
from ..extensions import db
from ..org.models import Unit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@roles_required("admin")
def index():
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "active": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "units": db.session.scalar(select(func.count(Unit.id))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/audit")
@roles_required("admin")
def audit_log():
    page = page_number()
    action = (request.args.get("action") or "").strip()[:64] or None
    entries, total = list_entries(page=page, action=action)
    return render_template(
        "admin/audit.html",
        entries=entries,
        total=total,
        page=page,
        per_page=50,
        action=action or "",
    )


from . import import_views, units_views, users_views  # noqa: E402,F401  (routes on bp)
