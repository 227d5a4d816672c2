"""Authoring pages for trainers: modules and lessons written in the browser, revisions, export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles_required
from ..formkit import ActionForm
from . import authoring, catalog, export
from .authoring import AuthoringError
from .forms import LessonForm, ModuleForm, MoveForm, PublishForm

bp = Blueprint("lessons_authoring", __name__, url_prefix="/authoring/modules")
AUTHORS = ("trainer", "admin")
# A long lesson, percent-encoded by the browser, takes several bytes per character.
FORM_MEMORY_BYTES = 8 * 1024 * 1024


@bp.url_value_preprocessor
def _allow_long_bodies(_endpoint, _values) -> None:
    # Runs before every before_request hook, so also before the CSRF check reads the form.
    request.max_form_memory_size = FORM_MEMORY_BYTES


def module_or_404(slug: str):
    """The live module, drafts included, or a 404."""
    module = catalog.module_for_authoring(slug)
    if module is None:
        abort(404)
    return module


def lesson_or_404(module, slug: str):
    """The live lesson of the module, drafts included, or a 404."""
    lesson = catalog.lesson_for_authoring(module, slug)
    if lesson is None:
        abort(404)
    return lesson


def saved(result: authoring.SaveResult, what: str) -> None:
    """Tell the author what a save did and what to check."""
    flash(
        f"Đã lưu {what} (phiên bản {result.obj.version})."
        if result.changed
        else "Không có thay đổi nào để lưu.",
        "success" if result.changed else "info",
    )
    for warning in result.warnings:
        flash(warning, "warning")


def read_only_redirect(target: str):
    """Refuse a change to file-sourced content and go back."""
    flash(
        "Nội dung này được quản lý bằng tệp trong content/; không sửa được trên trình duyệt.",
        "error",
    )
    return redirect(target)


def _read_only_page(module, lesson, back: str):
    """For file-sourced content: refuse a POST (going back), show a GET what it comes from."""
    if request.method == "POST":
        return read_only_redirect(back)
    return render_template(
        "lessons/authoring/read_only.html", module=module, obj=lesson or module, lesson=lesson
    )


@bp.route("/")
@roles_required(*AUTHORS)
def index():
    return render_template("lessons/authoring/index.html", rows=catalog.modules_for_authoring())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_module():
    form = ModuleForm()
    return _module_form(form, None)


@bp.route("/<module>/")
@roles_required(*AUTHORS)
def manage(module: str):
    found = module_or_404(module)
    return render_template(
        "lessons/authoring/manage.html",
        module=found,
        lessons=catalog.live_lessons(found),
        action=ActionForm(),
    )


@bp.route("/<module>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_module(module: str):
    found = module_or_404(module)
    if found.from_file:
        return _read_only_page(found, None, url_for(".edit_module", module=found.slug))
    form = ModuleForm(obj=found, topics=", ".join(found.topics), body=found.body_md, message="")
    return _module_form(form, found)


def _module_form(form: ModuleForm, module):
    def save(data: authoring.ModuleInput) -> authoring.SaveResult:
        if module is None:
            return authoring.create_module(data, current_user.id)
        return authoring.update_module(module, data, current_user.id)

    return _authoring_form(
        form,
        "lessons/authoring/module_form.html",
        read=lambda: authoring.ModuleInput(**form.values()),
        preview=lambda data: authoring.render_preview(module, data.body, data.slug),
        save=save,
        what="chuyên đề",
        after=lambda result: url_for(".manage", module=result.obj.slug),
        module=module,
    )


def _authoring_form(form, template: str, *, read, preview, save, what: str, after, **context):
    """Preview or save what a module or lesson form sends; show the form again otherwise."""
    shown = warnings = error = None
    if form.validate_on_submit():
        data = read()
        try:
            if request.form.get("action") == "preview":
                shown = preview(data)
                warnings = authoring.preview_warnings(shown)
            else:
                result = save(data)
                saved(result, what)
                return redirect(after(result))
        except AuthoringError as exc:
            error = str(exc)
    return render_template(
        template, form=form, preview=shown, warnings=warnings, error=error, **context
    )


@bp.route("/<module>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish_module(module: str):
    found = module_or_404(module)
    return _publish(found, found, "chuyên đề")


def _publish(module, obj, what: str):
    """Publish or withdraw a module or one of its lessons, then go back to the module."""
    back = url_for(".manage", module=module.slug)
    if obj.from_file:
        return read_only_redirect(back)
    form = PublishForm()
    if form.validate_on_submit():
        saved(authoring.set_published(obj, form.published.data == "1", current_user.id), what)
    return redirect(back)


@bp.route("/<module>/export")
@roles_required(*AUTHORS)
def export_module(module: str):
    found = module_or_404(module)
    return Response(
        export.export_zip(found),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{found.slug}.zip"'},
    )


@bp.route("/<module>/lessons/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new_lesson(module: str):
    found = module_or_404(module)
    if found.from_file:
        return _read_only_page(found, None, url_for(".manage", module=found.slug))
    return _lesson_form(LessonForm(), found, None)


@bp.route("/<module>/lessons/<lesson>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_lesson(module: str, lesson: str):
    found = module_or_404(module)
    target = lesson_or_404(found, lesson)
    if target.from_file:
        back = url_for(".edit_lesson", module=found.slug, lesson=target.slug)
        return _read_only_page(found, target, back)
    form = LessonForm(obj=target, body=target.body_md, message="")
    return _lesson_form(form, found, target)


def _lesson_form(form: LessonForm, module, lesson):
    def save(data: authoring.LessonInput) -> authoring.SaveResult:
        if lesson is None:
            return authoring.create_lesson(module, data, current_user.id)
        return authoring.update_lesson(lesson, data, current_user.id)

    return _authoring_form(
        form,
        "lessons/authoring/lesson_form.html",
        read=lambda: authoring.LessonInput(**form.values()),
        preview=lambda data: authoring.render_preview(module, data.body),
        save=save,
        what="bài học",
        after=lambda result: url_for(".edit_lesson", module=module.slug, lesson=result.obj.slug),
        module=module,
        lesson=lesson,
    )


@bp.route("/<module>/lessons/<lesson>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish_lesson(module: str, lesson: str):
    found = module_or_404(module)
    return _publish(found, lesson_or_404(found, lesson), "bài học")


@bp.route("/<module>/lessons/<lesson>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_lesson(module: str, lesson: str):
    found = module_or_404(module)
    target = lesson_or_404(found, lesson)
    if target.from_file:
        return read_only_redirect(url_for(".manage", module=found.slug))
    form = MoveForm()
    if form.validate_on_submit() and authoring.move_lesson(
        target, form.direction.data, current_user.id
    ):
        flash(f"Đã chuyển bài “{target.title}” tới vị trí {target.position}.", "success")
    return redirect(url_for(".manage", module=found.slug))
