"""Revisions of modules and lessons: snapshots, content hashes, text for diffs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import yaml

from ..extensions import db
from ..textdiff import DiffLine, diff_lines
from .models import Lesson, LessonRevision, Module, ModuleRevision


def module_snapshot(module: Any) -> dict[str, Any]:
    """The fields of a module (model or file source) that a revision keeps."""
    return {
        "title": module.title,
        "summary": module.summary,
        "topics": list(module.topics),
        "order": module.order,
        "audience": list(module.audience),
        "published": module.published,
    }


def lesson_snapshot(lesson: Any) -> dict[str, Any]:
    """The fields of a lesson (model or file source) that a revision keeps."""
    return {
        "slug": lesson.slug,
        "position": lesson.position,
        "title": lesson.title,
        "minutes": lesson.minutes,
        "summary": lesson.summary,
        "published": lesson.published,
    }


def content_hash(meta: dict[str, Any], body: str) -> str:
    """A digest of what a module or lesson says: equal digests mean nothing to sync."""
    payload = json.dumps({"meta": meta, "body": body}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter (between --- lines) that the loader reads back unchanged.

    One `key: value` line per key, lists written `[a, b]`, as trainers write them by hand.
    """
    lines = []
    for key, value in meta.items():
        if isinstance(value, list):
            flow = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True)
            lines.append(f"{key}: {flow.strip()}\n")
        else:
            lines.append(yaml.safe_dump({key: value}, allow_unicode=True, width=10_000))
    return "---\n" + "".join(lines) + "---\n"


def revision_text(meta: dict[str, Any], body: str) -> str:
    """A revision as one text (front matter, then body) for reading and diffing."""
    return front_matter(meta) + body


@dataclass
class Comparison:
    """Two revisions picked to compare (None: not one of the list) and how their texts differ."""

    older: Any
    newer: Any
    diff: list[DiffLine] | None  # None unless both were picked


def compare(revisions: list, older_id: int | None, newer_id: int | None) -> Comparison:
    """Compare two of the listed revisions of a module or lesson, front matter and body."""
    by_id = {r.id: r for r in revisions}
    older, newer = by_id.get(older_id), by_id.get(newer_id)
    diff = None
    if older is not None and newer is not None:
        diff = diff_lines(
            revision_text(older.meta, older.body_md), revision_text(newer.meta, newer.body_md)
        )
    return Comparison(older, newer, diff)


def add_revision(
    obj: Module | Lesson, author_id: int | None, message: str
) -> ModuleRevision | LessonRevision:
    """Record a module or lesson as it is now (the caller flushed it so it has an id)."""
    if isinstance(obj, Module):
        model, snapshot, owner = ModuleRevision, module_snapshot, {"module_id": obj.id}
    else:
        model, snapshot, owner = LessonRevision, lesson_snapshot, {"lesson_id": obj.id}
    revision = model(
        **owner,
        version=obj.version,
        meta=snapshot(obj),
        body_md=obj.body_md,
        author_id=author_id,
        message=message[:300],
    )
    db.session.add(revision)
    return revision



def module_revisions(module: Module) -> list[ModuleRevision]:
    """A module's revisions, newest first."""
    return ModuleRevision.newest_first(module.id)


def lesson_revisions(lesson: Lesson) -> list[LessonRevision]:
    """A lesson's revisions, newest first."""
    return LessonRevision.newest_first(lesson.id)
