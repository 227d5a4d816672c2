"""Revision pages: list, read one, compare two, restore (a restore is itself a new revision)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import textdiff
from ..access import roles_required
from ..formkit import ActionForm
from . import authoring, catalog
from . import revisions as history
from .authoring_views import AUTHORS, bp, lesson_or_404, module_or_404, read_only_redirect, saved


def _revisions_page(kind: str, obj, revisions: list, params: dict):
    by_id = {r.id: r for r in revisions}
    older, newer = (
        by_id.get(request.args.get("a", type=int)),
        by_id.get(request.args.get("b", type=int)),
    )
    diff = None
    if older is not None and newer is not None:
        diff = textdiff.diff_lines(
            history.revision_text(older.meta, older.body_md),
            history.revision_text(newer.meta, newer.body_md),
        )
    asked = "a" in request.args or "b" in request.args
    return render_template(
        "lessons/authoring/revisions.html",
        kind=kind,
        obj=obj,
        revisions=revisions,
        params=params,
        older=older,
        newer=newer,
        diff=diff,
        bad_choice=asked and diff is None,
        action=ActionForm(),
    )


def _revision_page(kind: str, obj, revision, params: dict):
    if revision is None:
        abort(404)
    return render_template(
        "lessons/authoring/revision.html",
        kind=kind,
        obj=obj,
        revision=revision,
        params=params,
        action=ActionForm(),
        text=history.revision_text(revision.meta, revision.body_md),
    )


@bp.route("/<module>/revisions/")
@roles_required(*AUTHORS)
def module_revisions(module: str):
    found = module_or_404(module)
    return _revisions_page("module", found, history.module_revisions(found), {"module": found.slug})


@bp.route("/<module>/revisions/<int:revision_id>")
@roles_required(*AUTHORS)
def module_revision(module: str, revision_id: int):
    found = module_or_404(module)
    return _revision_page(
        "module", found, catalog.module_revision(found, revision_id), {"module": found.slug}
    )


@bp.route("/<module>/revisions/<int:revision_id>/restore", methods=["POST"])
@roles_required(*AUTHORS)
def restore_module_revision(module: str, revision_id: int):
    found = module_or_404(module)
    revision = catalog.module_revision(found, revision_id)
    if revision is None:
        abort(404)
    back = url_for(".module_revisions", module=found.slug)
    if found.from_file:
        return read_only_redirect(back)
    if ActionForm().validate_on_submit():
        saved(authoring.restore_module(found, revision, current_user.id), "chuyên đề")
    return redirect(back)


@bp.route("/<module>/lessons/<lesson>/revisions/")
@roles_required(*AUTHORS)
def lesson_revisions(module: str, lesson: str):
    found = module_or_404(module)
    target = lesson_or_404(found, lesson)
    return _revisions_page(
        "lesson",
        target,
        history.lesson_revisions(target),
        {"module": found.slug, "lesson": target.slug},
    )


@bp.route("/<module>/lessons/<lesson>/revisions/<int:revision_id>")
@roles_required(*AUTHORS)
def lesson_revision(module: str, lesson: str, revision_id: int):
    found = module_or_404(module)
    target = lesson_or_404(found, lesson)
    return _revision_page(
        "lesson",
        target,
        catalog.lesson_revision(target, revision_id),
        {"module": found.slug, "lesson": target.slug},
    )


@bp.route("/<module>/lessons/<lesson>/revisions/<int:revision_id>/restore", methods=["POST"])
@roles_required(*AUTHORS)
def restore_lesson_revision(module: str, lesson: str, revision_id: int):
    found = module_or_404(module)
    target = lesson_or_404(found, lesson)
    revision = catalog.lesson_revision(target, revision_id)
    if revision is None:
        abort(404)
    back = url_for(".lesson_revisions", module=found.slug, lesson=target.slug)
    if target.from_file:
        return read_only_redirect(back)
    if ActionForm().validate_on_submit():
        result = authoring.restore_lesson(target, revision, current_user.id)
        saved(result, "bài học")
        if result.changed:
            flash(f"Đã khôi phục nội dung của phiên bản {revision.version}.", "success")
    return redirect(back)
