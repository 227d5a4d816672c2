"""Writing modules and lessons in the browser: validate, render once, save with a revision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select

from ..clock import utcnow
from ..database import transactional
from ..extensions import db
from ..kb.service import number_resolver
from ..markup import MarkupInputTooLarge, Rendered, to_plain_text
from ..numbers import vi_count
from ..search.models import log_change
from ..textnorm import slug_problem, slugify
from . import schema
from .models import Lesson, LessonRevision, Module, ModuleRevision
from .rendering import render_body
from .revisions import (
    add_revision,
    content_hash,
    lesson_snapshot,
    module_snapshot,
)


class AuthoringError(ValueError):
    """A change that cannot be made; the message is for users."""


@dataclass
class ModuleInput:
    """What the module form sends."""

    title: str
    summary: str
    topics: list[str]
    order: int
    audience: list[str]
    published: bool
    body: str
    slug: str = ""
    message: str = ""


@dataclass
class LessonInput:
    """What the lesson form sends."""

    title: str
    minutes: int
    summary: str
    published: bool
    body: str
    slug: str = ""
    message: str = ""


Input = ModuleInput | LessonInput
_KIND = {Module: "module", Lesson: "lesson"}  # as the search index names them
_NOUN = {Module: "chuyên đề", Lesson: "bài học"}


@dataclass
class SaveResult:
    """What a save did: the object, whether anything changed, what the author should check."""

    obj: Any
    changed: bool
    warnings: list[str] = field(default_factory=list)


def _read_only(obj: Module | Lesson) -> None:
    if obj.from_file:
        raise AuthoringError(
            f"Nội dung này được quản lý bằng tệp content/{obj.source_path}; "
            "hãy sửa tệp đó rồi chạy lệnh cchc-learn content sync."
        )


def _check_text(value: str, what: str, max_len: int, required: bool = True) -> str:
    text = schema.clean_text(value)
    if required and not text:
        raise AuthoringError(f"{what}: không được để trống.")
    if len(text) > max_len:
        raise AuthoringError(f"{what}: tối đa {max_len} ký tự (đang có {len(text)}).")
    return text


def _check_body(body: str) -> str:
    body = schema.clean_body(body)
    if len(body) > schema.MAX_BODY:
        raise AuthoringError(
            f"Nội dung quá dài: {vi_count(len(body))} ký tự, tối đa "
            f"{vi_count(schema.MAX_BODY)} ký tự. Hãy chia thành nhiều bài."
        )
    return body


def _slug(value: str, title: str, what: str) -> str:
    slug = (value or "").strip() or slugify(title)
    problem = slug_problem(slug, what)
    if problem:
        raise AuthoringError(problem[0].upper() + problem[1:] + ".")
    return slug


def _warnings(rendered: Rendered) -> list[str]:
    out = [
        f"Dòng {link.line}: liên kết [[{link.number}]] chưa trỏ tới văn bản nào trong cơ sở "
        "dữ liệu văn bản."
        for link in rendered.broken_links
    ]
    out += [
        f"Dòng {image.line}: không có ảnh {image.path} trong chuyên đề."
        for image in rendered.missing_assets
    ]
    out += [
        f"Dòng {image.line}: ảnh {image.path} nằm trên máy chủ khác nên không hiển thị."
        for image in rendered.blocked_images
    ]
    return out


def render_preview(module: Module | None, body: str, slug: str = "") -> Rendered:
    """Render a body as it would be saved, writing nothing."""
    body = _check_body(body)
    names = [a.name for a in module.assets] if module is not None else []
    try:
        return render_body(
            body,
            module_slug=module.slug if module else slug,
            asset_names=names,
            doc_resolver=number_resolver(),
        )
    except MarkupInputTooLarge as exc:
        raise AuthoringError(str(exc)) from exc


def preview_warnings(rendered: Rendered) -> list[str]:
    """What an author should fix in a rendered body."""
    return _warnings(rendered)


def _clean_module(data: ModuleInput) -> ModuleInput:
    topics = schema.unique_list([t for t in data.topics if t.strip()])
    problem = schema.topics_problem(topics) or schema.audience_problem(list(data.audience))
    if problem:
        raise AuthoringError(problem[0].upper() + problem[1:] + ".")
    if not schema.MIN_ORDER <= data.order <= schema.MAX_ORDER:
        raise AuthoringError(f"Thứ tự: từ {schema.MIN_ORDER} đến {schema.MAX_ORDER}.")
    return ModuleInput(
        title=_check_text(data.title, "Tên chuyên đề", schema.MAX_TITLE),
        summary=_check_text(data.summary, "Tóm tắt", schema.MAX_SUMMARY),
        topics=topics,
        order=data.order,
        audience=schema.unique_list(list(data.audience)),
        published=bool(data.published),
        body=_check_body(data.body),
        slug=data.slug,
        message=schema.clean_text(data.message)[: schema.MAX_MESSAGE],
    )


def _apply_module(module: Module, data: ModuleInput) -> list[str]:
    rendered = render_preview(module, data.body)  # before any change: its query autoflushes
    module.title, module.summary, module.topics = data.title, data.summary, data.topics
    module.order, module.audience, module.published = data.order, data.audience, data.published
    module.body_md = data.body
    module.body_html = rendered.html
    module.content_hash = content_hash(module_snapshot(module), module.body_md)
    module.updated_at = utcnow()
    return _warnings(rendered)


@transactional
def create_module(data: ModuleInput, author_id: int | None) -> SaveResult:
    """Create a module written in the browser, with its first revision; commit."""
    data = _clean_module(data)
    slug = _slug(data.slug, data.title, "Mã chuyên đề")
    if db.session.scalar(select(Module.id).where(Module.slug == slug)) is not None:
        raise AuthoringError(f"Mã chuyên đề '{slug}' đã được dùng; hãy chọn mã khác.")
    module = Module(slug=slug, version=1)
    return _create(module, _apply_module(module, data), author_id, data.message or "Tạo chuyên đề")


def _create(
    obj: Module | Lesson, warnings: list[str], author_id: int | None, message: str
) -> SaveResult:
    """Add a new module or lesson, filled in, as its first version."""
    db.session.add(obj)
    db.session.flush()
    add_revision(obj, author_id, message)
    log_change(_KIND[type(obj)], obj.id)
    return SaveResult(obj, True, warnings)


def _save(obj: Module | Lesson, data: Input, author_id: int | None, message: str) -> SaveResult:
    """Apply cleaned input; when what the object says changed, make it a new version."""
    before = obj.content_hash
    if isinstance(obj, Module):
        warnings = _apply_module(obj, data)
    else:
        warnings = _apply_lesson(obj, obj.module, data)
    if obj.content_hash == before:
        db.session.rollback()
        return SaveResult(obj, False, warnings)
    obj.version += 1
    add_revision(obj, author_id, data.message or message)
    log_change(_KIND[type(obj)], obj.id)
    return SaveResult(obj, True, warnings)


@transactional
def update_module(module: Module, data: ModuleInput, author_id: int | None) -> SaveResult:
    """Save a module's new fields as a new version; commit. Unchanged input saves nothing."""
    _read_only(module)
    return _save(module, _clean_module(data), author_id, "Sửa chuyên đề")


def _current(obj: Module | Lesson) -> Input:
    """What a module or lesson says now, as its form would send it."""
    if isinstance(obj, Module):
        return ModuleInput(**module_snapshot(obj), body=obj.body_md)
    meta = {k: v for k, v in lesson_snapshot(obj).items() if k != "position"}
    return LessonInput(**meta, body=obj.body_md)


@transactional
def set_published(obj: Module | Lesson, published: bool, author_id: int | None) -> SaveResult:
    """Publish or withdraw a module or a lesson; commit."""
    _read_only(obj)
    data = replace(_current(obj), published=published)
    clean = _clean_module if isinstance(obj, Module) else _clean_lesson
    verb = "Công bố" if published else "Ngừng công bố"
    return _save(obj, clean(data), author_id, f"{verb} {_NOUN[type(obj)]}")


# What a restore leaves as it is: a restore brings back content, not publication.
KEPT_ON_RESTORE = frozenset({"published"})


@transactional
def restore_module(module: Module, revision: ModuleRevision, author_id: int | None) -> SaveResult:
    """Make an earlier revision the current content again, as a new revision; commit."""
    _read_only(module)
    if revision.module_id != module.id:
        raise AuthoringError("Phiên bản này không thuộc chuyên đề đang sửa.")
    # Restoring brings back what the module says; whether it is published stays as it is.
    meta = {
        k: v if k in KEPT_ON_RESTORE else revision.meta.get(k, v)
        for k, v in module_snapshot(module).items()
    }
    data = _clean_module(ModuleInput(**meta, body=revision.body_md))
    return _save(module, data, author_id, f"Khôi phục phiên bản {revision.version}")


def _clean_lesson(data: LessonInput) -> LessonInput:
    if not schema.MIN_MINUTES <= data.minutes <= schema.MAX_MINUTES:
        raise AuthoringError(f"Thời lượng: từ {schema.MIN_MINUTES} đến {schema.MAX_MINUTES} phút.")
    return LessonInput(
        title=_check_text(data.title, "Tên bài học", schema.MAX_TITLE),
        minutes=data.minutes,
        summary=_check_text(data.summary, "Tóm tắt", schema.MAX_SUMMARY, required=False),
        published=bool(data.published),
        body=_check_body(data.body),
        slug=data.slug,
        message=schema.clean_text(data.message)[: schema.MAX_MESSAGE],
    )


def _apply_lesson(lesson: Lesson, module: Module, data: LessonInput) -> list[str]:
    rendered = render_preview(module, data.body)  # before any change: its query autoflushes
    lesson.title, lesson.minutes, lesson.summary = data.title, data.minutes, data.summary
    lesson.published, lesson.body_md = data.published, data.body
    lesson.body_html, lesson.toc_html = rendered.html, rendered.toc_html
    lesson.plain_text = to_plain_text(data.body)
    lesson.content_hash = content_hash(lesson_snapshot(lesson), lesson.body_md)
    lesson.updated_at = utcnow()
    return _warnings(rendered)


def _slug_taken(module: Module, slug: str, lesson_id: int | None = None) -> bool:
    query = select(Lesson.id).where(Lesson.module_id == module.id, Lesson.slug == slug)
    if lesson_id is not None:
        query = query.where(Lesson.id != lesson_id)
    return db.session.scalar(query) is not None


@transactional
def create_lesson(module: Module, data: LessonInput, author_id: int | None) -> SaveResult:
    """Add a lesson at the end of a browser-written module; commit."""
    _read_only(module)
    data = _clean_lesson(data)
    slug = _slug(data.slug, data.title, "Mã bài học")
    if _slug_taken(module, slug):
        raise AuthoringError(f"Mã bài học '{slug}' đã có trong chuyên đề; hãy chọn mã khác.")
    last = db.session.scalar(
        select(func.max(Lesson.position)).where(
            Lesson.module_id == module.id, Lesson.archived.is_(False)
        )
    )
    lesson = Lesson(module_id=module.id, slug=slug, position=(last or 0) + 1, version=1)
    warnings = _apply_lesson(lesson, module, data)
    return _create(lesson, warnings, author_id, data.message or "Tạo bài học")


@transactional
def update_lesson(lesson: Lesson, data: LessonInput, author_id: int | None) -> SaveResult:
    """Save a lesson's new content (and maybe a new slug) as a new version; commit."""
    _read_only(lesson)
    data = _clean_lesson(data)
    slug = _slug(data.slug or lesson.slug, data.title, "Mã bài học")
    if slug != lesson.slug:
        if _slug_taken(lesson.module, slug, lesson.id):
            raise AuthoringError(f"Mã bài học '{slug}' đã có trong chuyên đề; hãy chọn mã khác.")
        lesson.slug = slug
    return _save(lesson, data, author_id, "Sửa bài học")


@transactional
def restore_lesson(lesson: Lesson, revision: LessonRevision, author_id: int | None) -> SaveResult:
    """Make an earlier revision the current content again, as a new revision; commit.

    The lesson keeps its current address (slug) and place in the module.
    """
    _read_only(lesson)
    if revision.lesson_id != lesson.id:
        raise AuthoringError("Phiên bản này không thuộc bài học đang sửa.")
    current = _current(lesson)
    data = LessonInput(
        title=revision.meta.get("title", current.title),
        minutes=int(revision.meta.get("minutes", current.minutes)),
        summary=revision.meta.get("summary", current.summary),
        published=current.published,  # KEPT_ON_RESTORE
        body=revision.body_md,
        slug=lesson.slug,
    )
    return _save(lesson, _clean_lesson(data), author_id, f"Khôi phục phiên bản {revision.version}")


@transactional
def move_lesson(lesson: Lesson, direction: str, author_id: int | None) -> bool:
    """Swap a lesson with its neighbour ("up" or "down"); commit. False at either end."""
    _read_only(lesson)
    siblings = [x for x in lesson.module.lessons if not x.archived]
    siblings.sort(key=lambda x: (x.position, x.id))
    index = siblings.index(lesson)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(siblings):
        return False
    other = siblings[other_index]
    if lesson.position == other.position:
        other.position += 1 if direction == "up" else -1
    lesson.position, other.position = other.position, lesson.position
    for moved in (lesson, other):
        moved.version += 1
        moved.content_hash = content_hash(lesson_snapshot(moved), moved.body_md)
        moved.updated_at = utcnow()
        add_revision(moved, author_id, f"Đổi thứ tự: chuyển tới vị trí {moved.position}")
        log_change("lesson", moved.id)
    return True
