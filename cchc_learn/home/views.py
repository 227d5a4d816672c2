"""The landing page and /healthz."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from .. import health
from ..access import public

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    return render_template("home/index.html")


@bp.route("/healthz")
@public
def healthz():
    checks = health.run_checks()
    ok = all(result.get("ok") for result in checks.values())
    return jsonify({"status": "ok" if ok else "degraded", "checks": checks}), 200 if ok else 503
