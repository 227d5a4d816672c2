"""Admin blueprint: dashboard and audit log; accounts and units live in their own modules."""

from __future__ import annotations

from flask import render_template, request

from ..access import roles_required
from ..audit.service import list_entries
from ..boundary import page_number
from ..org import accounts
from .blueprint import bp


@bp.route("/")
@roles_required("admin")
def index():
    counts = accounts.overview()
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

