"""Pages importing a session's sign-in sheet, a class's roster and past classes' records."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import HiddenField, RadioField

from ..access import roles_required
from ..auth.models import User
from ..errors import MESSAGES
from ..extensions import db
from ..formkit import ActionForm, choice_list, upload_name
from ..numbers import vi_count
from ..sheets import XLSX_TYPE
from . import import_batches, import_templates, past_import, sheet_import, sheet_rows
from .sheet_import import ROSTER, SIGN_IN, ClassImportError, StalePreview

bp = Blueprint("class_imports", __name__, url_prefix="/classes")

# Every problem row is always listed; beyond this many rows the others are summarised.
PREVIEW_ROWS = 1000
STAFF = ("trainer", "admin")


class UploadForm(FlaskForm):
    """Upload a sign-in sheet or a roster."""

    file = FileField(
        "Tệp Excel (.xlsx) hoặc CSV",
        validators=[FileRequired("Hãy chọn tệp cần nhập."),
                    FileAllowed(["csv", "xlsx"], "Chỉ nhận tệp .csv hoặc .xlsx.")],
    )


class PastUploadForm(FlaskForm):
    """Upload a past-records workbook."""

    file = FileField(
        "Tệp Excel (.xlsx) có hai trang Lop và HocVien",
        validators=[FileRequired("Hãy chọn tệp cần nhập."),
                    FileAllowed(["xlsx"], "Hồ sơ lớp cũ phải là tệp Excel .xlsx (hai trang "
                                          "Lop và HocVien).")],
    )


class ConfirmForm(FlaskForm):
    """Confirm a previewed file; for a sign-in sheet, say what to do with unlisted people."""

    seen = HiddenField()
    not_on_roster = RadioField(
        "Người có trong tệp nhưng chưa có trong danh sách lớp",
        choices=choice_list([("add", "Thêm vào danh sách lớp và ghi điểm danh"),
                             ("skip", "Bỏ qua những dòng này")]),
        default="add",
    )


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _limits() -> dict[str, int]:
    config = current_app.config
    return {"max_mb": config["IMPORT_MAX_BYTES"] // (1024 * 1024),
            "max_rows": config["IMPORT_MAX_ROWS"],
            "upload_mb": (config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)}


_CLASS_RULE = re.compile(r"^/classes/<int:\w+>/?$")


def class_url(class_id: int) -> str | None:
    """The class's own page, when the class pages are installed."""
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("classes.") and _CLASS_RULE.match(rule.rule) and (
                "GET" in (rule.methods or ())):
            return url_for(rule.endpoint, **{next(iter(rule.arguments)): class_id})
    return None


def _found(class_id: int, session_id: int | None = None):
    klass, session = sheet_import.find(class_id, session_id)
    if klass is None or (session_id is not None and session is None):
        abort(404)
    return klass, session


def _targets(kind: str, klass, session) -> dict:
    ids = {"class_id": klass.id}
    if kind == SIGN_IN:
        ids["session_id"] = session.id
        return {"upload": url_for("class_imports.upload_sheet", **ids),
                "template": url_for("class_imports.sheet_template", **ids), "ids": ids,
                "confirm": "class_imports.confirm_sheet"}
    return {"upload": url_for("class_imports.upload_roster", **ids),
            "template": url_for("class_imports.roster_template"), "ids": ids,
            "confirm": "class_imports.confirm_roster"}


def _upload_page(kind, klass, session, form, *, error=None, status=200, held=True):
    return render_template(
        "classes/imports/upload.html", kind=kind, klass=klass, session=session, form=form,
        error=error, held=held, limits=_limits(), targets=_targets(kind, klass, session),
        class_url=class_url(klass.id), kinds=sheet_import.KIND_LABELS,
    ), status


def _preview_page(plan, token, klass, session, *, stale=None, status=200):
    lines = plan.lines
    if len(lines) > PREVIEW_ROWS:
        lines = [ln for i, ln in enumerate(lines) if i < PREVIEW_ROWS or ln.problems]
    form = ConfirmForm(formdata=None, seen=plan.fingerprint)
    return render_template(
        "classes/imports/preview.html", plan=plan, token=token, klass=klass, session=session,
        lines=lines, hidden=len(plan.lines) - len(lines), form=form, stale=stale,
        targets=_targets(plan.kind, klass, session), class_url=class_url(klass.id),
        kinds=sheet_import.KIND_LABELS, problem_kinds=sheet_rows.PROBLEM_KINDS,
    ), status


def _upload(kind: str, class_id: int, session_id: int | None):
    klass, session = _found(class_id, session_id)
    form = UploadForm()
    if session is not None:
        try:
            sheet_import.ensure_held(session)
        except ClassImportError as exc:
            status = 409 if request.method == "POST" else 200
            return _upload_page(kind, klass, session, form, error=str(exc), status=status,
                                held=False)
    if form.validate_on_submit():
        upload = form.file.data
        plan, token = sheet_import.stage(kind, klass, session, upload_name(upload),
                                         upload.read(), _actor())
        return _preview_page(plan, token, klass, session)
    return _upload_page(kind, klass, session, form)


def _confirm(kind: str, class_id: int, session_id: int | None, token: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    klass, session = _found(class_id, session_id)
    try:
        result = sheet_import.confirm(
            kind, class_id, session_id, token[:64], _actor(), seen=form.seen.data or "",
            add_missing=form.not_on_roster.data != "skip")
    except import_batches.BatchAlreadyCommitted as exc:
        return render_template("classes/imports/result.html", result=None, batch=exc.batch,
                               klass=klass, session=session, kind=kind,
                               targets=_targets(kind, klass, session),
                               class_url=class_url(klass.id)), 409
    except import_batches.BatchMissing:
        error = ("Không còn bản xem trước này (đã quá hạn hoặc không phải của bạn). "
                 "Hãy tải tệp lên lại để xem trước rồi xác nhận.")
        return _upload_page(kind, klass, session, UploadForm(formdata=None), error=error,
                            status=404)
    except StalePreview as exc:
        return _preview_page(exc.plan, token[:64], klass, session, stale=str(exc), status=409)
    except ClassImportError as exc:
        return _upload_page(kind, klass, session, UploadForm(formdata=None), error=str(exc),
                            status=409)
    return render_template("classes/imports/result.html", result=result, batch=None,
                           klass=klass, session=session, kind=kind,
                           targets=_targets(kind, klass, session), class_url=class_url(klass.id))


@bp.route("/<int:class_id>/sessions/<int:session_id>/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def upload_sheet(class_id: int, session_id: int):
    return _upload(SIGN_IN, class_id, session_id)


@bp.route("/<int:class_id>/sessions/<int:session_id>/import/<token>/confirm", methods=["POST"])
@roles_required(*STAFF)
def confirm_sheet(class_id: int, session_id: int, token: str):
    return _confirm(SIGN_IN, class_id, session_id, token)


@bp.route("/<int:class_id>/roster/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def upload_roster(class_id: int):
    return _upload(ROSTER, class_id, None)


@bp.route("/<int:class_id>/roster/import/<token>/confirm", methods=["POST"])
@roles_required(*STAFF)
def confirm_roster(class_id: int, token: str):
    return _confirm(ROSTER, class_id, None, token)


def _xlsx(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:class_id>/sessions/<int:session_id>/import/template.xlsx")
@roles_required(*STAFF)
def sheet_template(class_id: int, session_id: int):
    klass, session = _found(class_id, session_id)
    day = sheet_import.session_day(session)
    body = import_templates.sign_in_template(
        klass, session, sheet_import.roster_rows(klass.id, day))
    return _xlsx(body, f"danh-sach-ky-lop-{klass.id}-buoi-{session.id}.xlsx")


@bp.route("/roster-template.xlsx")
@roles_required(*STAFF)
def roster_template():
    return _xlsx(import_templates.roster_template(), "mau-danh-sach-hoc-vien.xlsx")


@bp.route("/import-past", methods=["GET", "POST"])
@roles_required("admin")
def upload_past():
    form = PastUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        plan, token = past_import.stage(upload_name(upload), upload.read(), _actor())
        return _past_preview(plan, token)
    return render_template("classes/imports/past_upload.html", form=form, limits=_limits())


def _past_preview(plan, token, status=200):
    return render_template("classes/imports/past_preview.html", plan=plan, token=token,
                           form=ActionForm(formdata=None)), status


@bp.route("/import-past/<token>/confirm", methods=["POST"])
@roles_required("admin")
def confirm_past(token: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result, batch = past_import.confirm(token[:64], _actor())
    except import_batches.BatchAlreadyCommitted as exc:
        return render_template("classes/imports/past_result.html", result=None,
                               batch=exc.batch), 409
    except import_batches.BatchMissing:
        error = ("Không còn bản xem trước này (đã quá hạn hoặc không phải của bạn). "
                 "Hãy tải tệp lên lại để xem trước rồi xác nhận.")
        return render_template("classes/imports/past_upload.html",
                               form=PastUploadForm(formdata=None), limits=_limits(),
                               error=error), 404
    except past_import.PastRejected as exc:
        return _past_preview(exc.plan, None, status=409)
    urls = {i: class_url(i) for i in result.class_ids}
    return render_template("classes/imports/past_result.html", result=result, batch=batch,
                           urls=urls)


@bp.route("/import-past/template.xlsx")
@roles_required("admin")
def past_template():
    return _xlsx(import_templates.past_template(), "mau-ho-so-lop-cu.xlsx")


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc):
    title, message = MESSAGES[413]
    limits = _limits()
    message = (
        f"Tệp gửi lên vượt quá {limits['upload_mb']} MB nên không được nhận và không có gì "
        f"được ghi. Tệp nhập tối đa {limits['max_mb']} MB và {vi_count(limits['max_rows'])} "
        "dòng; hãy chia thành nhiều tệp nhỏ hơn."
    )
    return render_template("errors/error.html", status=413, title=title, message=message), 413
