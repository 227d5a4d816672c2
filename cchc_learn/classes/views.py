"""/classes/: trainers and admins manage classes, sessions, rosters and attendance;
/classes/checkin: officials confirm attendance with the code shown in the room."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..access import roles_required, signed_in
from ..auth.models import User
from ..boundary import MAX_ID, page_number
from ..extensions import db, limiter
from ..formkit import ActionForm, choice_list
from ..timefmt import as_local, vn_date
from . import checkin, reading, service
from . import roster as roster_service
from .forms import SHARE, AddPersonForm, AddUnitForm, CheckinForm, ClassForm, SessionForm
from .links import plan_refs
from .models import FORMATS, SOURCES, STATUSES, ClassSession, TrainingClass

bp = Blueprint("classes", __name__, url_prefix="/classes")
MANAGERS = ("trainer", "admin")


@bp.app_template_filter("vn_time")
def vn_time(value) -> str:
    """A stored time as HH:MM in Vietnam time."""
    return as_local(value).strftime("%H:%M") if value is not None else ""


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _class(class_id: int) -> TrainingClass:
    klass = service.get_class(class_id)
    if klass is None:
        abort(404)
    return klass


def _session(klass: TrainingClass, session_id: int) -> ClassSession:
    found = service.get_session(klass, session_id)
    if found is None:
        abort(404)
    return found


def _checked(form) -> None:
    """A bare POST without a valid CSRF token is refused."""
    if not form.validate_on_submit():
        abort(400)


# --- Classes ----------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*MANAGERS)
def index():
    when = reading.PAST if request.args.get("when") == reading.PAST else reading.UPCOMING
    q = (request.args.get("q") or "").strip()[:100]
    page = page_number()
    rows, total = reading.list_classes(q, when, page)
    return render_template("classes/index.html", rows=rows, total=total, q=q, when=when,
                           page=page, per_page=reading.PER_PAGE)  # fmt: skip


@bp.route("/unrecorded")
@roles_required(*MANAGERS)
def unrecorded():
    return render_template("classes/unrecorded.html", sessions=reading.unrecorded_sessions(),
                           days=reading.AGENDA_DAYS)  # fmt: skip


def _class_form(klass: TrainingClass | None) -> ClassForm:
    form = ClassForm()
    kept = list(klass.module_slugs or []) if klass else []
    form.modules.choices = choice_list(service.module_choices(kept))
    refs = plan_refs()
    plans = [(p.slug, f"{p.title} ({vn_date(p.starts)} – {vn_date(p.ends)})") for p in refs]
    known = {p.slug for p in refs}
    kept_plans = klass.plan_slugs if klass else []
    plans += [(s, f"{s} (không còn)") for s in kept_plans if s not in known]
    form.plans.choices = choice_list(plans)
    if request.method == "GET" and klass is not None:
        form.title.data, form.format.data = klass.title, klass.format
        form.place.data, form.meeting_url.data = klass.place, klass.meeting_url
        form.trainers.data, form.description.data = klass.trainers, klass.description
        form.modules.data, form.plans.data = list(klass.module_slugs), list(klass.plan_slugs)
        if klass.min_percent < 100:
            form.rule.data, form.percent.data = SHARE, klass.min_percent
    return form


def _edit(klass: TrainingClass | None):
    form = _class_form(klass)
    error = None
    if form.validate_on_submit():
        data = service.ClassData(
            title=form.title.data or "", format=form.format.data or "",
            place=form.place.data or "", meeting_url=form.meeting_url.data or "",
            trainers=form.trainers.data or "", description=form.description.data or "",
            module_slugs=form.modules.data or [], plan_slugs=form.plans.data or [],
            min_percent=form.min_percent,
        )  # fmt: skip
        try:
            saved = service.save_class(klass, data, _actor())
        except service.ClassError as exc:
            error = str(exc)
        else:
            flash(f"Đã lưu lớp «{saved.title}».", "success")
            return redirect(url_for("classes.show", class_id=saved.id))
    status = 400 if error or form.errors else 200
    return render_template("classes/edit.html", form=form, klass=klass, error=error), status


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create():
    return _edit(None)


@bp.route("/<int:class_id>")
@roles_required(*MANAGERS)
def show(class_id: int):
    klass = _class(class_id)
    return render_template("classes/show.html", o=reading.overview(klass), formats=FORMATS,
                           action_form=ActionForm())  # fmt: skip


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(class_id: int):
    return _edit(_class(class_id))


@bp.route("/<int:class_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete(class_id: int):
    klass = _class(class_id)
    _checked(ActionForm())
    title = klass.title
    service.delete_class(klass, _actor())
    flash(f"Đã xóa lớp «{title}».", "success")
    return redirect(url_for("classes.index"))


# --- Sessions ---------------------------------------------------------------------------------


def _session_form(klass: TrainingClass, session: ClassSession | None):
    form = SessionForm()
    if request.method == "GET" and session is not None:
        starts, ends = as_local(session.starts_at), as_local(session.ends_at)
        form.day.data, form.start.data = starts.date(), starts.time().replace(tzinfo=None)
        form.end.data, form.topic.data = ends.time().replace(tzinfo=None), session.topic
    error = None
    if form.validate_on_submit():
        data = service.SessionData(form.day.data, form.start.data, form.end.data,
                                   form.topic.data or "")  # fmt: skip
        try:
            saved = service.save_session(klass, session, data, _actor())
        except service.ClassError as exc:
            error = str(exc)
        else:
            flash(f"Đã lưu buổi học {as_local(saved.starts_at):%H:%M %d/%m/%Y}.", "success")
            return redirect(url_for("classes.show", class_id=klass.id))
    status = 400 if error or form.errors else 200
    return render_template("classes/session_form.html", form=form, klass=klass,
                           session=session, error=error), status  # fmt: skip


@bp.route("/<int:class_id>/sessions/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_session(class_id: int):
    return _session_form(_class(class_id), None)


@bp.route("/<int:class_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_session(class_id: int, session_id: int):
    klass = _class(class_id)
    return _session_form(klass, _session(klass, session_id))


@bp.route("/<int:class_id>/sessions/<int:session_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete_session(class_id: int, session_id: int):
    klass = _class(class_id)
    session = _session(klass, session_id)
    _checked(ActionForm())
    service.delete_session(klass, session, _actor())
    flash("Đã xóa buổi học.", "success")
    return redirect(url_for("classes.show", class_id=klass.id))


@bp.route("/<int:class_id>/sessions/<int:session_id>")
@roles_required(*MANAGERS)
def show_session(class_id: int, session_id: int):
    klass = _class(class_id)
    session = _session(klass, session_id)
    code = qr = None
    try:
        code = checkin.current_code(session, _actor())
    except service.ClassError as exc:
        flash(str(exc), "error")
    if code:
        qr = checkin.qr_svg(_checkin_url(code))
    opens, closes = checkin.window(session)
    return render_template(
        "classes/session.html", klass=klass, session=session, code=code, qr=qr,
        checkin_url=_checkin_url(),
        opens=opens, closes=closes, held=roster_service.not_yet_held(session) is None,
        action_form=ActionForm(),
    )  # fmt: skip


def _checkin_url(code: str | None = None) -> str:
    """The check-in address shown and held by the QR code: on SITE_URL when it is set."""
    values = {"code": code} if code else {}
    site = (current_app.config.get("SITE_URL") or "").rstrip("/")
    if site:
        return site + url_for("classes.checkin_page", **values)
    return url_for("classes.checkin_page", _external=True, **values)


@bp.route("/<int:class_id>/sessions/<int:session_id>/code", methods=["POST"])
@roles_required(*MANAGERS)
def renew_code(class_id: int, session_id: int):
    klass = _class(class_id)
    session = _session(klass, session_id)
    _checked(ActionForm())
    try:
        checkin.renew_code(session, _actor())
    except service.ClassError as exc:
        flash(str(exc), "error")
    else:
        flash("Đã tạo mã điểm danh mới; mã cũ không còn dùng được.", "success")
    return redirect(url_for("classes.show_session", class_id=klass.id, session_id=session.id))


# --- Attendance and the sign-in sheet ---------------------------------------------------------


@bp.route("/<int:class_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def attendance(class_id: int, session_id: int):
    klass = _class(class_id)
    session = _session(klass, session_id)
    form = ActionForm()
    rows = reading.roster(klass, session)
    error, submitted = None, {}
    if request.method == "POST":
        _checked(form)
        for row in rows:
            uid = row.user.id
            status = request.form.get(f"status-{uid}")
            note = request.form.get(f"note-{uid}", "")
            if status is not None:
                submitted[uid] = (status, note)
        try:
            changed = roster_service.save_attendance(klass, session, submitted, _actor())
        except service.ClassError as exc:
            error = str(exc)
        else:
            flash(f"Đã lưu điểm danh ({changed} thay đổi).", "success")
            return redirect(url_for("classes.attendance", class_id=klass.id,
                                    session_id=session.id))  # fmt: skip
    return render_template(
        "classes/attendance.html", klass=klass, session=session, rows=rows, form=form,
        error=error, submitted=submitted, refused=roster_service.not_yet_held(session),
        statuses=STATUSES, sources=SOURCES,
    ), 400 if error else 200  # fmt: skip


@bp.route("/<int:class_id>/sessions/<int:session_id>/sign-in-sheet")
@roles_required(*MANAGERS)
def sign_in_sheet(class_id: int, session_id: int):
    klass = _class(class_id)
    session = _session(klass, session_id)
    return render_template("classes/sign_in_sheet.html", klass=klass, session=session,
                           rows=reading.roster(klass), formats=FORMATS)  # fmt: skip


# --- Roster -----------------------------------------------------------------------------------


def _roster_page(klass: TrainingClass, *, person_form=None, unit_form=None, error=None,
                 status=200):  # fmt: skip
    q = (request.args.get("q") or "").strip()[:100]
    unit_form = unit_form or AddUnitForm(formdata=None)
    unit_form.unit.choices = choice_list(reading.unit_choices())
    person_form = person_form or AddPersonForm(formdata=None)
    return render_template(
        "classes/roster.html", klass=klass, rows=reading.roster(klass), q=q,
        candidates=roster_service.search_candidates(klass, q), person_form=person_form,
        unit_form=unit_form, action_form=ActionForm(), error=error,
    ), status  # fmt: skip


@bp.route("/<int:class_id>/roster")
@roles_required(*MANAGERS)
def roster(class_id: int):
    return _roster_page(_class(class_id))


@bp.route("/<int:class_id>/roster/add", methods=["POST"])
@roles_required(*MANAGERS)
def add_person(class_id: int):
    klass = _class(class_id)
    form = AddPersonForm()
    if form.validate_on_submit():
        try:
            user = roster_service.add_participant(klass, form.user_id.data, _actor())
        except service.ClassError as exc:
            return _roster_page(klass, person_form=form, error=str(exc), status=400)
        flash(f"Đã thêm {user.full_name} vào danh sách lớp.", "success")
        return redirect(url_for("classes.roster", class_id=klass.id, q=request.args.get("q")))
    if "csrf_token" in form.errors:
        abort(400)
    error = next(iter(e for errors in form.errors.values() for e in errors), None)
    return _roster_page(klass, person_form=form, error=error, status=400)


@bp.route("/<int:class_id>/roster/add-unit", methods=["POST"])
@roles_required(*MANAGERS)
def add_unit(class_id: int):
    klass = _class(class_id)
    form = AddUnitForm()
    form.unit.choices = choice_list(reading.unit_choices())
    if form.validate_on_submit():
        try:
            added, already = roster_service.add_unit(klass, int(form.unit.data), _actor())
        except service.ClassError as exc:
            return _roster_page(klass, unit_form=form, error=str(exc), status=400)
        flash(f"Đã thêm {added} học viên" + (f" ({already} người đã có trong danh sách)"
                                             if already else "") + ".", "success")  # fmt: skip
        return redirect(url_for("classes.roster", class_id=klass.id))
    if "csrf_token" in form.errors:
        abort(400)
    error = next(iter(e for errors in form.errors.values() for e in errors), None)
    return _roster_page(klass, unit_form=form, error=error, status=400)


@bp.route("/<int:class_id>/roster/<int:user_id>/remove", methods=["POST"])
@roles_required(*MANAGERS)
def remove_person(class_id: int, user_id: int):
    klass = _class(class_id)
    _checked(ActionForm())
    try:
        user = roster_service.remove_participant(klass, user_id, _actor())
    except service.ClassError:
        abort(404)
    flash(f"Đã bỏ {user.full_name} khỏi danh sách lớp.", "success")
    return redirect(url_for("classes.roster", class_id=klass.id))


# --- Self check-in ----------------------------------------------------------------------------


def _account_key() -> str:
    """Check-ins count per account: a whole room shares one address."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{get_remote_address()}"


def _session_param(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) <= MAX_ID:
        return int(raw)
    return None


@bp.route("/checkin", methods=["GET", "POST"])
@signed_in
@limiter.limit(lambda: current_app.config["CLASSES_CHECKIN_RATE_LIMIT"], methods=["POST"],
               key_func=_account_key)  # fmt: skip
@limiter.limit(lambda: current_app.config["CLASSES_CHECKIN_ADDRESS_LIMIT"], methods=["POST"])
def checkin_page():
    form = CheckinForm()
    user = _actor()
    target, error = None, None
    if request.method == "GET":
        form.code.data = checkin.normalize(request.args.get("code"))
        form.session.data = request.args.get("session", "")
    expected = _session_param(form.session.data)
    if form.validate_on_submit():
        try:
            row = checkin.check_in(form.code.data, user, expected)
        except service.ClassError as exc:
            error = str(exc)
        else:
            flash(f"Đã ghi nhận: {STATUSES[row.status]} ở buổi học "
                  f"{as_local(row.session.starts_at):%H:%M %d/%m/%Y}.", "success")  # fmt: skip
            return redirect(url_for("me.index"))
    elif request.method == "POST":
        if "csrf_token" in form.errors:
            abort(400)
        error = next(iter(e for errors in form.errors.values() for e in errors), None)
    elif form.code.data:
        try:
            target = checkin.find(form.code.data, user, expected)
        except service.ClassError as exc:
            error = str(exc)
    status = 400 if error and request.method == "POST" else 200
    return render_template("classes/checkin.html", form=form, target=target,
                           error=error), status  # fmt: skip
