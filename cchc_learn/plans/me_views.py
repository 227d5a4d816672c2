"""/me: my plans, what I have done and what is missing, my quiz results."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..access import signed_in
from ..classes import service as class_service
from . import progress

bp = Blueprint("me", __name__)


@bp.route("/me")
@signed_in
def index():
    plans = progress.my_plans(current_user)
    return render_template(
        "plans/me.html",
        plans=plans,
        attempts=progress.my_attempts(current_user.id),
        resume=progress.continue_where_left(current_user.id, plans),
        **class_service.my_classes_context(current_user.id),
    )
