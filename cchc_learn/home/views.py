"""The landing page and /healthz."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from .. import dashboard, health
from ..access import public

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    return render_template("home/index.html", panels=dashboard.panels())


@bp.route("/healthz")
@public
def healthz():
    checks = health.run_checks()
    ok = all(result.get("ok") for result in checks.values())
    # Only the database takes this node out of rotation: without an index every page but
    # search still works (and the index rebuilds itself).
    serving = checks["database"].get("ok", False)
    body = {"status": "ok" if ok else "degraded", "checks": checks}
    return jsonify(body), 200 if serving else 503
