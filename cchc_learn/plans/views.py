"""/reports/: plans and their compliance reports (admins: all units; focal points: their own)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..access import roles_required
from ..auth.models import User
from ..clock import local_today
from ..extensions import db
from ..formkit import ActionForm
from . import charts, exports, service
from .counting import DEFINITIONS, STATES
from .details import report_page
from .forms import FocalForm, PlanForm
from .report import NotVisible, ReportError, compliance

bp = Blueprint("reports", __name__, url_prefix="/reports")
api = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports")
READERS = ("admin", "focal")


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _reader() -> dict:
    """Who reads: admins everything; a focal point its unit's subtree only."""
    if current_user.has_role("admin"):
        return {"within": None, "restricted": False}
    return {"within": service.focal_unit(current_user.id), "restricted": True}


def _report(plan_slug: str):
    """The report the query string asks for, or the error to show; 404 for what is hidden."""
    if service.get_plan(plan_slug) is None:
        abort(404)
    try:
        return compliance(
            plan_slug, request.args.get("as_of"), request.args.get("unit"), **_reader()
        ), None
    except NotVisible:
        abort(404)
    except ReportError as exc:
        return None, str(exc)


@bp.route("/")
@roles_required(*READERS)
def index():
    reader = _reader()
    return render_template(
        "plans/index.html",
        plans=service.list_plans(),
        today=local_today(),
        focal_unit=reader["within"],
        restricted=reader["restricted"],
    )


@bp.route("/plans/<plan_slug>")
@roles_required(*READERS)
def show(plan_slug: str):
    plan = service.get_plan(plan_slug)
    if plan is None:
        abort(404)
    state = request.args.get("state")
    try:
        page = report_page(plan_slug, request.args.get("as_of"), request.args.get("unit"),
                           state, **_reader())  # fmt: skip
    except NotVisible:
        abort(404)
    except ReportError as exc:
        return _error_page(plan, str(exc))
    report = page.report
    children = [r for r in report.rows if r.depth == 1] or report.top
    targets = (report.plan.target_accessed, report.plan.target_trained)
    return render_template(
        "plans/report.html",
        plan=report.plan,
        report=report,
        error=None,
        people=page.people,
        people_total=page.people_total,
        listed=page.listed,
        state=state if state in STATES else None,
        states=STATES,
        points=page.points,
        units_chart=charts.units_chart(children, *targets),
        trend_chart=charts.trend_chart(page.points, *targets),
        definitions=DEFINITIONS,
    )


def _error_page(plan, message: str):
    return render_template(
        "plans/report.html", plan=plan, report=None, error=message, definitions=DEFINITIONS
    ), 400


@bp.route("/plans/<plan_slug>/export")
@roles_required(*READERS)
def export(plan_slug: str):
    fmt = request.args.get("format", "xlsx")
    if fmt not in exports.FORMATS:
        fmt = "xlsx"
    report, error = _report(plan_slug)
    if report is None:
        return _error_page(service.get_plan(plan_slug), error)
    response = Response(exports.render(report, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(report, fmt)}"'
    )
    return response


@api.route("/compliance")
@roles_required(*READERS)
def api_compliance():
    slug = request.args.get("plan") or ""
    if not slug:
        return _api_error(400, "Thiếu tham số plan (mã kế hoạch).")
    if service.get_plan(slug) is None:
        return _api_error(404, f"Không có kế hoạch mã '{slug[:100]}'.")
    try:
        report = compliance(slug, request.args.get("as_of"), request.args.get("unit"),
                            **_reader())  # fmt: skip
    except NotVisible:
        return _api_error(404, "Không tìm thấy đơn vị trong phạm vi của bạn.")
    except ReportError as exc:
        return _api_error(400, str(exc))
    return jsonify(report.as_json())


def _api_error(status: int, message: str):
    return jsonify({"error": {"status": status, "message": message}}), status


# --- Plans written in the browser (admins) ----------------------------------------------------


def _edit(plan):
    form = PlanForm()
    if request.method == "GET":
        form.text.data = (
            plan.source_text if plan else service.NEW_PLAN_TEXT.format(year=local_today().year)
        )
        form.slug.data = plan.slug if plan else ""
    if plan is not None and plan.from_file:
        return render_template("plans/edit.html", form=form, plan=plan, error=None, read_only=True)
    error = None
    if form.validate_on_submit():
        try:
            saved = service.save_plan(
                plan, form.slug.data or "", form.text.data or "", _actor(), form.message.data or ""
            )
        except service.PlanError as exc:
            error = str(exc)
        else:
            flash(f"Đã lưu kế hoạch {saved.slug} (phiên bản {saved.version}).", "success")
            return redirect(url_for("reports.show", plan_slug=saved.slug))
    return render_template("plans/edit.html", form=form, plan=plan, error=error, read_only=False)


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required("admin")
def create_plan():
    return _edit(None)


@bp.route("/plans/<plan_slug>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_plan(plan_slug: str):
    plan = service.get_plan(plan_slug)
    if plan is None:
        abort(404)
    return _edit(plan)


@bp.route("/plans/<plan_slug>/revisions")
@roles_required("admin")
def plan_revisions(plan_slug: str):
    plan = service.get_plan(plan_slug)
    if plan is None:
        abort(404)
    return render_template("plans/revisions.html", plan=plan, revisions=service.revisions(plan))


# --- Focal points (admins) --------------------------------------------------------------------


@bp.route("/focal-points", methods=["GET", "POST"])
@roles_required("admin")
def focal_points():
    form = FocalForm()
    error = None
    if form.validate_on_submit():
        try:
            row = service.assign_focal(form.username.data, form.unit.data, actor=_actor())
        except service.PlanError as exc:
            error = str(exc)
        else:
            flash(
                f"Đã giao {row.user.username} làm cán bộ đầu mối của {row.unit.code}.", "success"
            )
            return redirect(url_for("reports.focal_points"))
    return render_template(
        "plans/focal_points.html",
        form=form,
        error=error,
        rows=service.focal_points(),
        action_form=ActionForm(),
    )


@bp.route("/focal-points/<int:user_id>/remove", methods=["POST"])
@roles_required("admin")
def remove_focal_point(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.remove_focal(user_id, actor=_actor())
    except service.PlanError:
        abort(404)
    flash("Đã thôi giao cán bộ đầu mối.", "success")
    return redirect(url_for("reports.focal_points"))
