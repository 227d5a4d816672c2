"""Export a module as the Markdown files `cchc-learn content sync` reads back unchanged."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from .models import Lesson, Module
from .revisions import front_matter


def module_file_meta(module: Module) -> dict[str, Any]:
    """The front matter of module.md (published only when false, its default being true)."""
    meta = {
        "title": module.title,
        "summary": module.summary,
        "topics": list(module.topics),
        "order": module.order,
        "audience": list(module.audience),
    }
    if not module.published:
        meta["published"] = False
    return meta


def lesson_file_meta(lesson: Lesson) -> dict[str, Any]:
    """The front matter of NN-<lesson>.md, optional keys only when not at their default."""
    meta: dict[str, Any] = {"title": lesson.title, "minutes": lesson.minutes}
    if lesson.summary:
        meta["summary"] = lesson.summary
    if not lesson.published:
        meta["published"] = False
    return meta


def lesson_file_name(lesson: Lesson) -> str:
    """NN-<lesson>.md, NN being the lesson's place in the module."""
    return f"{lesson.position:02d}-{lesson.slug}.md"


def export_files(module: Module) -> dict[str, bytes]:
    """Every file of the module folder, by path below content/modules/."""
    folder = module.slug
    files = {
        f"{folder}/module.md": (front_matter(module_file_meta(module)) + module.body_md).encode()
    }
    for lesson in module.lessons:
        if lesson.archived:
            continue
        text = front_matter(lesson_file_meta(lesson)) + lesson.body_md
        files[f"{folder}/{lesson_file_name(lesson)}"] = text.encode()
    for asset in module.assets:
        files[f"{folder}/assets/{asset.name}"] = asset.data
    return files


def export_zip(module: Module) -> bytes:
    """The module folder as a zip archive, to unpack into content/modules/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in export_files(module).items():
            # A fixed time keeps the archive of unchanged content byte-identical.
            info = zipfile.ZipInfo(name, date_time=(2025, 7, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
