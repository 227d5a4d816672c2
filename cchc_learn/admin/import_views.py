"""Admin pages for bulk import: upload a file, read the preview, confirm it once."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectField

from ..access import roles_required
from ..auth.models import User
from ..errors import MESSAGES
from ..extensions import db
from ..formkit import ActionForm, upload_name
from ..numbers import vi_count
from ..org import importing
from ..org.importing.results import ERROR
from .blueprint import bp
from .choices import choice_list

# Every error row is always listed; beyond this many rows the others are summarised.
PREVIEW_ROWS = 1000


class ImportForm(FlaskForm):
    """Choose what a file holds and upload it."""

    kind = SelectField(
        "Tệp chứa",
        choices=choice_list([("accounts", "Tài khoản cán bộ, công chức"), ("units", "Đơn vị")]),
        default="accounts",
    )
    file = FileField(
        "Tệp CSV (UTF-8) hoặc Excel (.xlsx)",
        validators=[
            FileRequired("Hãy chọn tệp cần nhập."),
            FileAllowed(["csv", "xlsx"], "Chỉ nhận tệp .csv hoặc .xlsx."),
        ],
    )


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _limits() -> dict[str, int]:
    config = current_app.config
    return {
        "max_mb": config["IMPORT_MAX_BYTES"] // (1024 * 1024),
        "max_rows": config["IMPORT_MAX_ROWS"],
        "upload_mb": (config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024),
    }


def _preview_page(plan: importing.ImportPlan, batch):
    rows = plan.rows
    if len(rows) > PREVIEW_ROWS:
        rows = [r for i, r in enumerate(rows) if i < PREVIEW_ROWS or r.status == ERROR]
    return render_template(
        "admin/import_preview.html",
        plan=plan,
        batch=batch,
        rows=rows,
        hidden=len(plan.rows) - len(rows),
        kinds=importing.KINDS,
        confirm_form=ActionForm(),
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required("admin")
def upload_import():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        plan, batch = importing.stage(
            form.kind.data, upload_name(upload), upload.read(), _actor()
        )
        # A file with errors is still a preview, answered like any form with errors (200).
        return _preview_page(plan, batch)
    return render_template("admin/import_form.html", form=form, limits=_limits())


@bp.route("/import/<token>/confirm", methods=["POST"])
@roles_required("admin")
def confirm_import(token: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result, batch = importing.confirm(token[:64], _actor())
    except importing.BatchAlreadyCommitted as exc:
        return render_template("admin/import_result.html", result=None, batch=exc.batch), 409
    except importing.BatchMissing:
        form = ImportForm(formdata=None)
        error = (
            "Không còn bản xem trước này (đã quá hạn hoặc không phải của bạn). "
            "Hãy tải tệp lên lại để xem trước rồi xác nhận."
        )
        return render_template(
            "admin/import_form.html", form=form, limits=_limits(), error=error
        ), 404
    except importing.ImportRejected as exc:
        return _preview_page(exc.plan, None)
    return render_template("admin/import_result.html", result=result, batch=batch)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc):
    title, message = MESSAGES[413]
    limits = _limits()
    if request.endpoint in ("admin.upload_import", "admin.confirm_import"):
        rows = vi_count(limits["max_rows"])
        message = (
            f"Tệp gửi lên vượt quá {limits['upload_mb']} MB nên không được nhận và không có gì "
            f"được ghi. Tệp nhập dữ liệu tối đa {limits['max_mb']} MB và {rows} dòng; "
            "hãy chia thành nhiều tệp nhỏ hơn."
        )
    return render_template("errors/error.html", status=413, title=title, message=message), 413
