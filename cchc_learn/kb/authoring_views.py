"""Trainers and admins write documents in the browser; every save is a revision."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles_required
from ..auth.models import User
from ..extensions import db
from ..formkit import ActionForm, upload_name
from ..textdiff import diff_lines
from . import editing, service
from .forms import AttachmentForm, DocumentForm
from .models import Document
from .views import bp

EDITORS = ("trainer", "admin")


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _document(ident: str) -> Document:
    doc = service.get_document(ident)
    if doc is None:
        abort(404)
    return doc


def _input(form: DocumentForm) -> editing.DocumentInput:
    return editing.DocumentInput(
        number=form.number.data or "",
        doc_type=form.doc_type.data or "",
        issuer=form.issuer.data or "",
        issued=form.issued.data,
        status=form.status.data or "",
        replaced_by=form.replaced_by.data or "",
        topics=form.topics.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        message=form.message.data or "",
    )


def _edit(doc: Document | None):
    form = DocumentForm(obj=None)
    if request.method == "GET" and doc is not None:
        form.number.data, form.doc_type.data, form.issuer.data = (
            doc.number,
            doc.doc_type,
            doc.issuer,
        )
        form.issued.data, form.status.data = doc.issued, doc.status
        form.replaced_by.data, form.topics.data = doc.replaced_by, ", ".join(doc.topics)
        form.summary.data, form.body.data = doc.summary, doc.body_md
    error, preview_html = None, None
    if doc is not None and doc.from_file:
        return render_template(
            "kb/edit.html", form=form, doc=doc, error=None, preview_html=None, read_only=True
        )
    if form.validate_on_submit():
        data = _input(form)
        if request.form.get("action") == "preview":
            try:
                preview_html = editing.preview(data)
            except service.KbError as exc:
                error = str(exc)
        else:
            try:
                saved = editing.save(doc, data, _actor())
            except service.KbError as exc:
                error = str(exc)
            else:
                flash(f"Đã lưu văn bản {saved.number} (phiên bản {saved.version}).", "success")
                return redirect(url_for("kb.show", ident=saved.slug))
    return render_template(
        "kb/edit.html", form=form, doc=doc, error=error, preview_html=preview_html, read_only=False
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    return _edit(None)


@bp.route("/<ident>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(ident: str):
    return _edit(_document(ident))


@bp.route("/<ident>/revisions")
@roles_required(*EDITORS)
def revisions(ident: str):
    doc = _document(ident)
    return render_template(
        "kb/revisions.html", doc=doc, revisions=editing.revisions(doc), action_form=ActionForm()
    )


@bp.route("/<ident>/revisions/<int:revision_id>")
@roles_required(*EDITORS)
def revision(ident: str, revision_id: int):
    doc = _document(ident)
    rev = editing.get_revision(doc, revision_id)
    if rev is None:
        abort(404)
    older = next((r for r in editing.revisions(doc) if r.version < rev.version), None)
    diff = diff_lines(older.body_md if older else "", rev.body_md)
    return render_template(
        "kb/revision.html", doc=doc, rev=rev, older=older, diff=diff, action_form=ActionForm()
    )


@bp.route("/<ident>/revisions/<int:revision_id>/restore", methods=["POST"])
@roles_required(*EDITORS)
def restore(ident: str, revision_id: int):
    doc = _document(ident)
    rev = editing.get_revision(doc, revision_id)
    if rev is None or not ActionForm().validate_on_submit():
        abort(404 if rev is None else 400)
    try:
        editing.restore(doc, rev, _actor())
    except service.KbError as exc:
        flash(str(exc), "error")
        return redirect(url_for("kb.revisions", ident=doc.slug))
    flash(f"Đã khôi phục phiên bản {rev.version} thành phiên bản {doc.version}.", "success")
    return redirect(url_for("kb.show", ident=doc.slug))


@bp.route("/<ident>/attachments", methods=["GET", "POST"])
@roles_required(*EDITORS)
def attachments(ident: str):
    doc = _document(ident)
    form, error = AttachmentForm(), None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            editing.add_attachment(
                doc,
                upload.read(),
                upload_name(upload),
                form.title.data or "",
                _actor(),
                Path(current_app.config["UPLOAD_DIR"]),
            )
        except service.KbError as exc:
            error = str(exc)
        else:
            flash("Đã thêm tệp đính kèm.", "success")
            return redirect(url_for("kb.attachments", ident=doc.slug))
    return render_template(
        "kb/attachments.html", doc=doc, form=form, error=error, action_form=ActionForm()
    )


@bp.route("/<ident>/attachments/<int:attachment_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete_attachment(ident: str, attachment_id: int):
    doc = _document(ident)
    attachment = next((a for a in doc.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.remove_attachment(doc, attachment, _actor())
    except service.KbError as exc:
        flash(str(exc), "error")
    else:
        flash("Đã gỡ tệp đính kèm.", "success")
    return redirect(url_for("kb.attachments", ident=doc.slug))
