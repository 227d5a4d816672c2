"""Knowledge-base pages: browse with filters, a document, its attachments."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_login import current_user

from ..access import signed_in
from ..boundary import page_number
from ..tracking import events
from . import files, service
from .document_page import document_page
from .models import STATUSES, Attachment

bp = Blueprint("kb", __name__, url_prefix="/kb")
PER_PAGE = 20


def _arg(name: str, max_len: int = 200) -> str | None:
    value = (request.args.get(name) or "").strip()
    return value[:max_len] or None


@bp.route("/")
@signed_in
def index():
    year = _arg("year", 4)
    filters = {
        "doc_type": _arg("type"),
        "issuer": _arg("issuer"),
        "year": int(year) if year and year.isdigit() else None,
        "topic": _arg("topic"),
        "status": _arg("status") if _arg("status") in STATUSES else None,
    }
    sort = _arg("sort") or "issued_desc"
    page = page_number()
    result = service.browse(sort=sort, page=page, per_page=PER_PAGE, **filters)
    args = {
        k: v
        for k, v in {
            "type": filters["doc_type"],
            "issuer": filters["issuer"],
            "year": filters["year"],
            "topic": filters["topic"],
            "status": filters["status"],
            "sort": sort,
        }.items()
        if v
    }
    return render_template(
        "kb/index.html",
        result=result,
        filters=filters,
        sort=sort,
        page=page,
        per_page=PER_PAGE,
        args=args,
        statuses=STATUSES,
    )


@bp.route("/<ident>")
@signed_in
def show(ident: str):
    shown = document_page(ident)
    if shown is None:
        abort(404)
    doc, near = shown.document, shown.related
    page = render_template("kb/document.html", doc=doc, related=near.documents,
                           citations=shown.citations, successor=near.successor)
    # Recorded once the page is rendered, so no write lock is held while it renders.
    if request.method == "GET":
        events.record(current_user.id, events.document_view(doc.id, doc.version))
    return page


@bp.route("/<ident>/files/<int:attachment_id>")
@signed_in
def download(ident: str, attachment_id: int):
    doc = service.get_document(ident)
    attachment = doc and next((a for a in doc.attachments if a.id == attachment_id), None)
    if doc is None or not isinstance(attachment, Attachment):
        abort(404)
    path = files.stored_path(Path(current_app.config["UPLOAD_DIR"]), attachment.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
    # Only a whole file sent counts (not a 304 or a range of it).
    if response.status_code == 200 and request.method == "GET":
        try:
            events.record(current_user.id, events.attachment_download(attachment.id, doc.version))
        except BaseException:
            response.close()
            raise
    return response
