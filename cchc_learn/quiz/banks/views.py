"""Trainer pages for question banks: list, items with preview, edit one item, upload a file."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import roles_required
from ...boundary import page_number
from ...errors import MESSAGES
from ...extensions import db
from ...formkit import upload_name
from ..blueprints import EDITORS, bp
from ..errors import QuizError
from ..forms import ActionForm
from ..models import Bank, BankItem
from . import editing, imports, service
from .forms import BankForm, ImportForm, ItemForm


def _bank(slug: str) -> Bank:
    bank = service.get_bank(slug)
    if bank is None:
        abort(404)
    return bank


def _item(bank: Bank, item_id: int) -> BankItem:
    row = db.get_or_404(BankItem, item_id)
    if row.bank_id != bank.id:
        abort(404)
    return row


@bp.route("/manage/banks/")
@roles_required(*EDITORS)
def list_banks():
    return render_template(
        "quiz/manage/banks.html", rows=service.list_banks(), form=BankForm(formdata=None)
    )


@bp.route("/manage/banks/", methods=["POST"])
@roles_required(*EDITORS)
def create_bank():
    form = BankForm()
    error = None
    if form.validate_on_submit():
        try:
            bank = service.create_bank(form.slug.data or "", form.title.data or "")
        except QuizError as exc:
            error = str(exc)
        else:
            flash(f"Đã tạo ngân hàng {bank.slug}.", "success")
            return redirect(url_for("quiz.show_bank", bank_slug=bank.slug))
    return render_template(
        "quiz/manage/banks.html", rows=service.list_banks(), form=form, error=error
    ), 422


@bp.route("/manage/banks/<bank_slug>")
@roles_required(*EDITORS)
def show_bank(bank_slug: str):
    bank = _bank(bank_slug)
    return render_template(
        "quiz/manage/bank.html",
        bank=bank,
        items=service.live_items(bank),
        action_form=ActionForm(),
    )


def _edit(bank: Bank, row: BankItem | None):
    form = ItemForm()
    if request.method == "GET":
        form.text.data = editing.item_text(row) if row else editing.TEMPLATE
    error, problems, preview = None, [], None
    if not bank.from_file and form.validate_on_submit():
        try:
            if request.form.get("action") == "preview":
                preview = editing.preview(form.text.data or "")
            else:
                saved = editing.save_item(bank, row, form.text.data or "")
                flash(f"Đã lưu câu hỏi {saved.key} (phiên bản {saved.version}).", "success")
                return redirect(
                    url_for("quiz.show_bank", bank_slug=bank.slug) + f"#item-{saved.id}"
                )
        except QuizError as exc:
            error, problems = str(exc), exc.problems
    status = 422 if error or form.errors else 200
    return render_template(
        "quiz/manage/item_edit.html",
        bank=bank,
        row=row,
        form=form,
        error=error,
        problems=problems,
        preview=preview,
    ), status


@bp.route("/manage/banks/<bank_slug>/items/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_item(bank_slug: str):
    return _edit(_bank(bank_slug), None)


@bp.route("/manage/banks/<bank_slug>/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_item(bank_slug: str, item_id: int):
    bank = _bank(bank_slug)
    return _edit(bank, _item(bank, item_id))


@bp.route("/manage/banks/<bank_slug>/items/<int:item_id>/archive", methods=["POST"])
@roles_required(*EDITORS)
def archive_item(bank_slug: str, item_id: int):
    bank = _bank(bank_slug)
    row = _item(bank, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.archive_item(bank, row)
    except QuizError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"Đã rút câu hỏi {row.key} khỏi ngân hàng (các bài đã làm vẫn giữ bản sao).", "success"
        )
    return redirect(url_for("quiz.show_bank", bank_slug=bank.slug))


@bp.route("/manage/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def upload_bank():
    form = ImportForm()
    if request.method == "GET" and request.args.get("bank"):
        form.bank.data = request.args["bank"][:100]
    if form.validate_on_submit():
        upload = form.file.data
        result = imports.preview_upload(
            upload.read(imports.MAX_UPLOAD_BYTES + 1),
            upload_name(upload),
            (form.bank.data or "").strip(),
            (form.title.data or "").strip(),
            current_user.id,
        )
        return render_template(
            "quiz/manage/import_preview.html", result=result, confirm_form=ActionForm()
        ), (200 if result.ok else 422)
    status = 400 if request.method == "POST" else 200
    return render_template("quiz/manage/import_form.html", form=form), status


def _upload_missing(exc: imports.UploadMissing):
    title = MESSAGES[404][0]
    return render_template("errors/error.html", status=404, title=title, message=str(exc)), 404


@bp.route("/manage/import/<import_token>")
@roles_required(*EDITORS)
def import_preview(import_token: str):
    try:
        result = imports.preview_page(import_token, current_user.id, page_number())
    except imports.UploadMissing as exc:
        return _upload_missing(exc)
    return render_template(
        "quiz/manage/import_preview.html", result=result, confirm_form=ActionForm()
    ), (200 if result.ok else 422)


@bp.route("/manage/import/<import_token>/confirm", methods=["POST"])
@roles_required(*EDITORS)
def confirm_import(import_token: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        bank, summary = imports.confirm_upload(import_token, current_user.id)
    except imports.UploadMissing as exc:
        return _upload_missing(exc)
    except QuizError as exc:
        return render_template(
            "quiz/manage/import_form.html",
            form=ImportForm(formdata=None),
            error=str(exc),
            problems=exc.problems,
        ), 409
    flash(
        f"Đã nhập vào ngân hàng {bank.slug}: thêm {summary.added}, cập nhật {summary.updated}, "
        f"không đổi {summary.unchanged} câu hỏi.",
        "success",
    )
    return redirect(url_for("quiz.show_bank", bank_slug=bank.slug))
