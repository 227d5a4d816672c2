"""Answer templates: content/qa-templates/*.md for `content check|sync`, or written in the browser.

A template file has a `title` and optional `topics` in its front matter and the answer's
Markdown as its body; its `[[number]]` links must name documents, like a lesson's. A template
from a file is read-only in the browser (it says which file to edit); one written in the
browser is edited there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..clock import utcnow
from ..content.frontmatter import read_markdown_file
from ..content.kinds import Checked, ContentKind, Lookups, SyncRun
from ..content.problems import ContentError, Problem
from ..content.schema import Names, Schema, Text
from ..content.summary import SyncSummary
from ..database import transactional
from ..extensions import db
from ..markup import MarkupInputTooLarge, render
from ..textnorm import is_slug, slugify
from .errors import QaError
from .models import AnswerTemplate
from .settings import topics as known_topics
from .workflow import MAX_POST_BODY, check_body, clean_line, moderator, render_markdown

FOLDER = "qa-templates"
MAX_TITLE = 200


def _topics_problem(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        return "'topics' phải là danh sách chủ đề hỏi đáp"
    unknown = [t for t in value if t.strip() not in known_topics()]
    if unknown:
        return f"chủ đề không có trong danh sách chủ đề hỏi đáp: {', '.join(unknown)[:200]}"
    return None


TEMPLATE = Schema({
    "title": Text(required=True, max=MAX_TITLE, too_long="'{key}' dài quá {max} ký tự"),
    "topics": Names(problem=_topics_problem, clean=lambda ts: sorted({t.strip() for t in ts}),
                    default=[]),
})
"""The front matter of an answer template file."""


@dataclass
class TemplateSource:
    """A checked template file."""

    slug: str
    path: str
    title: str
    topics: list[str]
    body: str

    def digest(self) -> str:
        """What the sync compares to tell whether the file changed."""
        text = "\x1f".join([self.title, ",".join(self.topics), self.body])
        return hashlib.sha256(text.encode()).hexdigest()


def load(root: Path, resolve: Callable[[str], str | None] | None) -> tuple[
        list[TemplateSource], list[Problem]]:
    """Read and check every template file (links checked against resolve)."""
    folder = root / FOLDER
    sources: list[TemplateSource] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return sources, problems
    for path in sorted(folder.glob("*.md")):
        shown = f"{root.name}/{FOLDER}/{path.name}"
        try:
            md = read_markdown_file(path, shown)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        found: list[Problem] = []
        if not is_slug(path.stem):
            found.append(Problem(shown, 1, "tên tệp chỉ gồm chữ thường không dấu, chữ số và "
                                           "dấu gạch ngang"))
        values, schema_problems = TEMPLATE.read(md.meta, path=shown, line_of=md.line_of)
        found += schema_problems
        try:
            rendered = render(md.body, doc_link_resolver=resolve)
            found += [
                Problem(shown, md.body_line + link.line - 1,
                        f"liên kết [[{link.number}]] không trỏ tới văn bản nào trong cơ sở dữ "
                        "liệu văn bản")
                for link in rendered.doc_links if resolve is not None and not link.resolved
            ]
        except MarkupInputTooLarge as exc:
            found.append(Problem(shown, md.body_line + exc.line - 1, str(exc)))
        problems += found
        if not found:
            sources.append(TemplateSource(path.stem, f"{FOLDER}/{path.name}", values["title"],
                                          values["topics"], md.body.strip()))
    return sources, problems


def check(root: Path, lookups: Lookups) -> Checked:
    """Check the template files, writing nothing."""
    sources, problems = load(root, lookups.get("documents"))
    return Checked(sources=sources, problems=problems,
                   counts=f"{len(sources)} mẫu câu trả lời", steps=len(sources))


def sync(checked: Checked, run: SyncRun) -> dict[str, SyncSummary]:
    """Bring file-sourced templates in line with the files (the caller commits)."""
    summary = SyncSummary()
    existing = {t.slug: t for t in _all()}
    for source in checked.sources:
        template = existing.get(source.slug)
        digest = source.digest()
        if template is not None and template.content_hash == digest and not template.archived \
                and template.source_path == source.path:
            summary.note("unchanged", source.slug)
        else:
            if template is None:
                template = AnswerTemplate(slug=source.slug)
                db.session.add(template)
                summary.note("added", source.slug)
            else:
                summary.note("updated", source.slug)
            template.title, template.topics, template.body_md = (
                source.title, source.topics, source.body)
            template.source_path, template.content_hash = source.path, digest
            template.archived, template.updated_at = False, utcnow()
        if run.progress:
            run.progress(source)
    names = {s.slug for s in checked.sources}
    for slug, template in existing.items():
        if template.from_file and slug not in names and not template.archived:
            template.archived = True
            summary.note("archived", slug)
    return {"Mẫu câu trả lời": summary}


TEMPLATES = ContentKind("qa-templates", check, sync, after=("documents",))


def _all() -> list[AnswerTemplate]:
    try:
        return list(db.session.scalars(select(AnswerTemplate)))
    except SQLAlchemyError:  # pragma: no cover - a sync runs on a migrated database
        db.session.rollback()
        return []


def templates_for(topics: list[str]) -> list[AnswerTemplate]:
    """Live templates, those sharing one of the topics first, then by title."""
    found = db.session.scalars(
        select(AnswerTemplate).where(AnswerTemplate.archived.is_(False))
        .order_by(AnswerTemplate.title, AnswerTemplate.id)
    ).all()
    wanted = set(topics)
    return sorted(found, key=lambda t: (not (wanted & set(t.topics or [])),))


def get(slug: str) -> AnswerTemplate | None:
    """A live template by slug."""
    return db.session.scalar(select(AnswerTemplate).where(
        AnswerTemplate.slug == slug[:80], AnswerTemplate.archived.is_(False)))


def preview(body: str) -> str:
    """The body as an answer would show it."""
    return render_markdown(check_body(body, what="Nội dung mẫu", limit=MAX_POST_BODY,
                                      required=False), "Nội dung mẫu").html


@transactional
def save(
    actor_id: int, slug: str | None, title: str, topics: list[str], body: str
) -> AnswerTemplate:
    """Create (slug None) or update a template written in the browser."""
    user = moderator(actor_id)
    title = clean_line(title)
    if not title:
        raise QaError("Tên mẫu: hãy nhập tên mẫu câu trả lời.")
    if len(title) > MAX_TITLE:
        raise QaError(f"Tên mẫu: tối đa {MAX_TITLE} ký tự.")
    unknown = [t for t in topics if t not in known_topics()]
    if unknown:
        raise QaError(f"Chủ đề: “{unknown[0][:60]}” không có trong danh sách chủ đề hỏi đáp.")
    body = check_body(body, what="Nội dung mẫu", limit=MAX_POST_BODY, required=True)
    render_markdown(body, "Nội dung mẫu")
    if slug is None:
        template = AnswerTemplate(slug=_unique_slug(title))
        db.session.add(template)
    else:
        template = get(slug)
        if template is None:
            raise QaError("Không tìm thấy mẫu câu trả lời.")
        if template.from_file:
            raise QaError(f"Mẫu này được quản lý bằng tệp content/{template.source_path}; hãy "
                          "sửa tệp đó rồi chạy cchc-learn content sync.")
    template.title, template.topics, template.body_md = title, sorted(set(topics)), body
    template.updated_by_id, template.updated_at = user.id, utcnow()
    return template


def _unique_slug(title: str) -> str:
    base = slugify(title) or "mau"
    slug, n = base, 2
    while db.session.scalar(select(AnswerTemplate.id).where(AnswerTemplate.slug == slug)):
        slug, n = f"{base[:75]}-{n}", n + 1
    return slug
