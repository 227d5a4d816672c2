"""Studying pages: modules with progress, a module's lessons, a lesson, completion, images."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import has_any_role, signed_in
from ..tracking import events
from . import service

bp = Blueprint("lessons", __name__, url_prefix="/modules")
AUTHORS = ("trainer", "admin")
# An image opened on its own must not run anything an SVG might carry.
ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def _drafts() -> bool:
    return has_any_role(current_user, AUTHORS)


def _module_or_404(slug: str):
    module = service.get_module(slug, drafts=_drafts())
    if module is None:
        abort(404)
    return module


@bp.route("/")
@signed_in
def index():
    progress = service.modules_with_progress(current_user.id, include_empty=_drafts())
    return render_template("lessons/index.html", items=progress, can_author=_drafts())


@bp.route("/<module>/")
@signed_in
def module_page(module: str):
    found = _module_or_404(module)
    rows = service.lesson_rows(found, current_user.id, drafts=_drafts())
    return render_template(
        "lessons/module.html",
        module=found,
        rows=rows,
        progress=service.progress_of(rows),
        can_author=_drafts(),
    )


@bp.route("/<module>/<lesson>")
@signed_in
def lesson_page(module: str, lesson: str):
    drafts = _drafts()
    rows = service.lesson_page_rows(module, current_user.id, drafts=drafts)
    index = next((i for i, row in enumerate(rows) if row.lesson.slug == lesson), None)
    if index is None:
        abort(404)
    row = rows[index]
    page = render_template(
        "lessons/lesson.html",
        module=row.lesson.module,
        lesson=row.lesson,
        completed_at=row.completed_at,
        previous=rows[index - 1].lesson if index > 0 else None,
        following=rows[index + 1].lesson if index + 1 < len(rows) else None,
        position=index + 1,
        count=len(rows),
        progress=service.progress_of(rows),
        can_author=drafts,
    )
    # Drafts that trainers look at are previews: nothing is recorded for them. Recorded once
    # the page is rendered, so no write lock is held while it renders.
    if row.lesson.visible and request.method == "GET":
        events.record(current_user.id, events.lesson_view(row.lesson.id, row.lesson.version))
    return page


@bp.route("/<module>/<lesson>/complete", methods=["POST"])
@signed_in
def complete(module: str, lesson: str):
    found = service.get_module(module)
    rows = service.lesson_rows(found, current_user.id) if found else []
    target = next((r.lesson for r in rows if r.lesson.slug == lesson), None)
    if target is None:
        abort(404)
    _, new = service.complete_lesson(current_user.id, target)
    flash(
        "Đã ghi nhận: bạn đã hoàn thành bài học này."
        if new
        else "Bài học này đã được ghi nhận hoàn thành từ trước.",
        "success",
    )
    return redirect(
        url_for("lessons.lesson_page", module=found.slug, lesson=target.slug) + "#hoan-thanh"
    )


@bp.route("/<module>/assets/<path:name>")
@signed_in
def asset(module: str, name: str):
    found = _module_or_404(module)
    image = service.get_asset(found, name)
    if image is None:
        abort(404)
    response = Response(image.data, mimetype=image.content_type)
    response.headers["Content-Security-Policy"] = ASSET_CSP
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(image.sha256)
    return response.make_conditional(request)
