"""/admin/xapi: the outbox's state and the statements the store refused."""

from __future__ import annotations

import json

from flask import Blueprint, render_template

from ..access import roles_required
from . import outbox

bp = Blueprint("xapi", __name__, url_prefix="/admin/xapi")


@bp.route("")
@roles_required("admin")
def status():
    refused = [(row, json.loads(row.body)) for row in outbox.rejected()]
    return render_template("xapi/status.html", state=outbox.state(), refused=refused,
                           title="Gửi xAPI")
