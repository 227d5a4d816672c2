"""Load and validate knowledge-base documents from content/documents/*.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content.frontmatter import ContentError, MarkdownFile, Problem, read_markdown_file
from ..textnorm import number_key
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
ALLOWED_KEYS = {
    "number",
    "type",
    "issuer",
    "issued",
    "status",
    "replaced_by",
    "topics",
    "summary",
    "source",
    "attachments",
}
REQUIRED_KEYS = ("number", "type", "issuer", "issued", "summary")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}$")
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


def _text(
    md: MarkdownFile, key: str, problems: list[Problem], *, max_len: int, required: bool = True
) -> str | None:
    value = md.meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(md.path, md.line_of(key), f"thiếu khóa bắt buộc '{key}'"))
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        problems.append(Problem(md.path, md.line_of(key), f"'{key}' phải là chuỗi ký tự"))
        return None
    text = str(value).strip()
    if len(text) > max_len:
        problems.append(Problem(md.path, md.line_of(key), f"'{key}' dài quá {max_len} ký tự"))
        return None
    return text


def validate_document(md: MarkdownFile, slug: str) -> tuple[DocumentSource | None, list[Problem]]:
    """Check one parsed file against the document schema."""
    problems: list[Problem] = []
    if not SLUG_RE.match(slug):
        problems.append(
            Problem(md.path, 1, "tên tệp chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang")
        )
    for key in sorted(set(md.meta) - ALLOWED_KEYS):
        problems.append(
            Problem(
                md.path,
                md.line_of(key),
                f"khóa không được hỗ trợ '{key}' (cho phép: {', '.join(sorted(ALLOWED_KEYS))})",
            )
        )
    number = _text(md, "number", problems, max_len=80)
    if number and not NUMBER_RE.match(number):
        problems.append(
            Problem(md.path, md.line_of("number"), f"số ký hiệu không hợp lệ: {number!r}")
        )
    doc_type = _text(md, "type", problems, max_len=60)
    if doc_type and doc_type not in DOC_TYPES:
        problems.append(
            Problem(
                md.path,
                md.line_of("type"),
                f"loại văn bản không hợp lệ '{doc_type}' (cho phép: {', '.join(DOC_TYPES)})",
            )
        )
    issuer = _text(md, "issuer", problems, max_len=200)
    summary = _text(md, "summary", problems, max_len=2000)
    source = _text(md, "source", problems, max_len=300, required=False)
    issued = md.meta.get("issued")
    if issued is None:
        problems.append(Problem(md.path, md.line_of("issued"), "thiếu khóa bắt buộc 'issued'"))
    elif not isinstance(issued, date):
        problems.append(
            Problem(md.path, md.line_of("issued"), "'issued' phải là ngày dạng YYYY-MM-DD")
        )
        issued = None
    status = md.meta.get("status", "in_force")
    if status not in STATUSES:
        problems.append(
            Problem(
                md.path,
                md.line_of("status"),
                f"trạng thái không hợp lệ '{status}' (cho phép: {', '.join(STATUSES)})",
            )
        )
    replaced_by = _text(md, "replaced_by", problems, max_len=80, required=False)
    if status == "replaced" and not replaced_by:
        problems.append(
            Problem(md.path, md.line_of("status"), "văn bản 'replaced' phải có 'replaced_by'")
        )
    topics = md.meta.get("topics", [])
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and 0 < len(t.strip()) <= 60 for t in topics
    ):
        problems.append(
            Problem(
                md.path,
                md.line_of("topics"),
                "'topics' phải là danh sách tên chủ đề (tối đa 60 ký tự)",
            )
        )
        topics = []
    attachments = []
    raw_attachments = md.meta.get("attachments", [])
    if not isinstance(raw_attachments, list):
        problems.append(
            Problem(
                md.path, md.line_of("attachments"), "'attachments' phải là danh sách {file, title}"
            )
        )
        raw_attachments = []
    for item in raw_attachments:
        if (
            not isinstance(item, dict)
            or set(item) - {"file", "title"}
            or not isinstance(item.get("file"), str)
        ):
            problems.append(
                Problem(
                    md.path,
                    md.line_of("attachments"),
                    "mỗi tệp đính kèm cần 'file' (và tùy chọn 'title')",
                )
            )
            continue
        attachments.append(
            AttachmentSource(
                file=item["file"].strip(),
                title=str(item.get("title") or item["file"]),
                line=md.line_of("attachments"),
            )
        )
    if problems:
        return None, problems
    return DocumentSource(
        slug=slug,
        path=md.path,
        number=number,
        doc_type=doc_type,
        issuer=issuer,
        issued=issued,
        status=status,
        replaced_by=replaced_by,
        topics=sorted({t.strip() for t in topics}),
        summary=summary,
        source=source,
        body=md.body,
        body_line=md.body_line,
        attachments=attachments,
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
