"""Revision pages: list, read one, compare two, restore (a restore is itself a new revision)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles_required
from ..formkit import ActionForm
from . import authoring, catalog
from . import revisions as history
from .authoring_views import AUTHORS, bp, lesson_or_404, module_or_404, read_only_redirect, saved


def _page(template: str, kind: str, obj, params: dict, **context):
    """A revision page of a module or a lesson (kind), with the form a restore posts."""
    context.update(kind=kind, obj=obj, params=params, action=ActionForm())
    return render_template(f"lessons/authoring/{template}", **context)


def _revisions_page(kind: str, obj, revisions: list, params: dict):
    args = request.args
    picked = history.compare(revisions, args.get("a", type=int), args.get("b", type=int))
    bad_choice = ("a" in args or "b" in args) and picked.diff is None
    context = dict(vars(picked), revisions=revisions, bad_choice=bad_choice)
    return _page("revisions.html", kind, obj, params, **context)


def _revision_page(kind: str, obj, revision, params: dict):
    if revision is None:
        abort(404)
    text = history.revision_text(revision.meta, revision.body_md)
    return _page("revision.html", kind, obj, params, revision=revision, text=text)


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
