"""Admin page for the working-day calendar: a year's days off, and the announced overrides."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles_required
from ..auth.models import User
from ..clock import local_today
from ..extensions import db
from ..formkit import ActionForm
from ..workdays import calendar
from ..workdays import service as workdays
from .blueprint import bp
from .forms import WorkdayOverrideForm


def _year() -> int:
    raw = request.args.get("year", "")
    if raw.isascii() and raw.isdigit() and len(raw) == 4:
        return min(max(int(raw), calendar.FIRST_YEAR), calendar.LAST_YEAR)
    return local_today().year


@bp.route("/workdays", methods=["GET", "POST"])
@roles_required("admin")
def workdays_page():
    year = _year()
    form = WorkdayOverrideForm()
    error = None
    if form.validate_on_submit():
        try:
            override = workdays.add_override(
                form.day.data,
                form.working.data == "1",
                form.reason.data,
                form.source.data,
                db.session.get(User, current_user.id),
            )
        except workdays.WorkdayError as exc:
            error = str(exc)
        else:
            flash(f"Đã lưu điều chỉnh ngày {override.day:%d/%m/%Y}.", "success")
            return redirect(url_for("admin.workdays_page", year=override.day.year))
    return render_template(
        "admin/workdays.html",
        year=year,
        notes=calendar.year_notes(year),
        overrides=workdays.list_overrides(year),
        form=form,
        delete_form=ActionForm(),
        error=error,
    )


@bp.route("/workdays/<int:override_id>/delete", methods=["POST"])
@roles_required("admin")
def delete_workday(override_id: int):
    form = ActionForm()
    year = _year()
    if not form.validate_on_submit():
        flash("Phiên làm việc đã hết hạn; vui lòng thử lại.", "error")
        return redirect(url_for("admin.workdays_page", year=year))
    try:
        workdays.remove_override(override_id, db.session.get(User, current_user.id))
    except workdays.WorkdayNotFound:
        abort(404)
    except workdays.WorkdayError as exc:
        flash(str(exc), "error")
    else:
        flash("Đã xoá điều chỉnh.", "success")
    return redirect(url_for("admin.workdays_page", year=year))
