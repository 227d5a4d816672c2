"""Load and validate knowledge-base documents from content/documents/*.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content.frontmatter import MarkdownFile, read_markdown_file
from ..content.problems import ContentError, Problem
from ..content.schema import Choice, Date, Field, Names, Schema, Text, Where
from ..textnorm import is_slug, number_key
from .models import STATUSES

DOC_TYPES = (
    "Luật",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Đề án",
    "Kế hoạch",
    "Chương trình",
    "Báo cáo",
    "Hướng dẫn",
    "Công văn",
    "Thông báo",
    "Công điện",
    "Quy định",
    "Văn bản hợp nhất",
    "Tờ trình",
    "Kết luận",
)
NUMBER_RE = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ][0-9A-Za-zÀ-ỹĐđ/._-]{0,78}$")


@dataclass
class AttachmentSource:
    """An attachment named in a document's front matter."""

    file: str
    title: str
    line: int


@dataclass
class DocumentSource:
    """A validated document file."""

    slug: str
    path: str
    number: str
    doc_type: str
    issuer: str
    issued: date
    status: str
    replaced_by: str | None
    topics: list[str]
    summary: str
    source: str | None
    body: str
    body_line: int
    attachments: list[AttachmentSource] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The number's lookup key."""
        return number_key(self.number)


def _topics_problem(topics: object) -> str | None:
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and 0 < len(t.strip()) <= 60 for t in topics
    ):
        return "'topics' phải là danh sách tên chủ đề (tối đa 60 ký tự)"
    return None


def _attachments(value: object, where: Where) -> list[AttachmentSource]:
    if not isinstance(value, list):
        where.report("'attachments' phải là danh sách {file, title}")
        return []
    attachments = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) - {"file", "title"}
            or not isinstance(item.get("file"), str)
        ):
            where.report("mỗi tệp đính kèm cần 'file' (và tùy chọn 'title')")
            continue
        attachments.append(
            AttachmentSource(
                file=item["file"].strip(),
                title=str(item.get("title") or item["file"]),
                line=where.line,
            )
        )
    return attachments


_TOO_LONG = "'{key}' dài quá {max} ký tự"

_FIELDS = {
    "number": Text(
        required=True,
        max=80,
        too_long=_TOO_LONG,
        valid=NUMBER_RE.match,
        invalid="số ký hiệu không hợp lệ: {value!r}",
    ),
    "type": Text(
        required=True,
        max=60,
        too_long=_TOO_LONG,
        valid=DOC_TYPES.__contains__,
        invalid=f"loại văn bản không hợp lệ '{{value}}' (cho phép: {', '.join(DOC_TYPES)})",
    ),
    "issuer": Text(required=True, max=200, too_long=_TOO_LONG),
    "summary": Text(required=True, max=2000, too_long=_TOO_LONG),
    "source": Text(max=300, too_long=_TOO_LONG),
    "issued": Date(required=True),
    "status": Choice(
        choices=STATUSES,
        default="in_force",
        wrong="trạng thái không hợp lệ '{value}' (cho phép: {choices})",
    ),
    "replaced_by": Text(max=80, too_long=_TOO_LONG),
    "topics": Names(
        problem=_topics_problem,
        clean=lambda topics: sorted({t.strip() for t in topics}),
        default=[],
    ),
    "attachments": Field(read=_attachments, default=[]),
}
DOCUMENT = Schema(_FIELDS, listed=sorted(_FIELDS))
"""The front matter of a document file (and of the browser's document form)."""


def validate_document(md: MarkdownFile, slug: str) -> tuple[DocumentSource | None, list[Problem]]:
    """Check one parsed file against the document schema."""
    problems: list[Problem] = []
    if not is_slug(slug):
        problems.append(
            Problem(md.path, 1, "tên tệp chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang")
        )
    values, found = DOCUMENT.read(md.meta, path=md.path, line_of=md.line_of)
    problems += found
    if values["status"] == "replaced" and not values["replaced_by"]:
        problems.append(
            Problem(md.path, md.line_of("status"), "văn bản 'replaced' phải có 'replaced_by'")
        )
    if problems:
        return None, problems
    values["doc_type"] = values.pop("type")
    return DocumentSource(
        slug=slug, path=md.path, body=md.body, body_line=md.body_line, **values
    ), []


def load_documents(content_dir: Path) -> tuple[list[DocumentSource], list[Problem]]:
    """Read every document file; return the valid ones and every problem found."""
    folder = content_dir / "documents"
    sources: list[DocumentSource] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return sources, problems
    for path in sorted(folder.glob("*.md")):
        shown = (
            str(path.relative_to(content_dir.parent))
            if content_dir.parent in path.parents
            else str(path)
        )
        try:
            md = read_markdown_file(path, shown)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        source, found = validate_document(md, path.stem)
        problems.extend(found)
        if source is not None:
            source.path = f"documents/{path.name}"
            sources.append(source)
    seen: dict[tuple[str, str], DocumentSource] = {}
    for source in sources:
        key = (source.key, source.issuer.lower())
        if key in seen:
            problems.append(
                Problem(
                    source.path,
                    1,
                    f"trùng số ký hiệu {source.number} của {source.issuer} với {seen[key].path}",
                )
            )
        seen[key] = source
    return sources, problems
