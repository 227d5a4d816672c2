"""Read a plan (content/plans/<slug>.md, or the same text written in the browser) and check it.

Front matter:

    title: Kế hoạch bồi dưỡng CCHC năm 2026
    starts: 2026-01-01
    ends: 2026-12-31
    audience: {units: [AG], levels: []}
    required: {modules: [...], lessons: [module/lesson], documents: ["4599/QĐ-UBND"]}
    quiz: kiem-tra-tong-hop
    targets: {accessed: 100, trained: 85}

Every problem is a `Problem` naming the line; references to modules, lessons, documents, quizzes
and units are checked through the `References` a caller passes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..content.frontmatter import MarkdownFile, parse_markdown
from ..content.problems import ContentError, Problem
from ..content.schema import Date, Field, Schema, Slug, Text, Where
from ..markup import MarkupInputTooLarge, render
from ..org.models import LEVELS
from ..textnorm import is_slug

MAX_ENTRIES = 200


@dataclass(frozen=True)
class References:
    """What a plan may name; unit_exists None leaves unit codes unchecked (no database yet)."""

    module_exists: Callable[[str], bool]
    lesson_exists: Callable[[str, str], bool]
    document_url: Callable[[str], str | None]
    quiz_exists: Callable[[str], bool]
    unit_exists: Callable[[str], bool] | None = None


@dataclass
class PlanSource:
    """A checked plan, as plain values."""

    slug: str
    title: str
    starts: date
    ends: date
    units: list[str]
    levels: list[str]
    modules: list[str]
    lessons: list[str]
    documents: list[str]
    quiz: str | None
    target_accessed: float
    target_trained: float
    body: str
    body_html: str
    text: str
    path: str | None = None  # relative to the content folder when file-sourced
    problems: list[Problem] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """What a sync compares to tell a changed file."""
        return hashlib.sha256(f"{self.path}\n{self.text}".encode()).hexdigest()


def _mapping(keys: dict[str, Callable[[Any, Where, str], Any]]) -> Callable[[Any, Where], Any]:
    """Read a mapping whose keys are the given ones, each read by its own function."""

    def read(value: Any, where: Where) -> Any:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            where.report(f"'{where.key}' phải là các cặp khóa: giá trị ({', '.join(keys)})")
            return {}
        out = {}
        for key in sorted(set(map(str, value)) - set(keys)):
            where.report(
                f"khóa không được hỗ trợ '{where.key}.{key}' (cho phép: {', '.join(keys)})"
            )
        for key, reader in keys.items():
            out[key] = reader(value.get(key), where, f"{where.key}.{key}")
        return out

    return read


def _names(value: Any, where: Where, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_ENTRIES:
        where.report(f"'{name}' phải là danh sách (tối đa {MAX_ENTRIES} mục)")
        return []
    out = []
    for entry in value:
        if isinstance(entry, bool) or not isinstance(entry, str | int) or not str(entry).strip():
            where.report(f"'{name}' chỉ gồm chuỗi ký tự: {entry!r}")
            continue
        text = str(entry).strip()[:120]
        if text not in out:
            out.append(text)
    return out


def _target(value: Any, where: Where, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        where.report(f"'{name}' phải là số phần trăm từ 0 đến 100: {value!r}")
        return None
    return float(value)


SCHEMA = Schema(
    {
        "title": Text(max=200, required=True),
        "starts": Date(required=True),
        "ends": Date(required=True),
        "audience": Field(required=True, read=_mapping({"units": _names, "levels": _names})),
        "required": Field(
            required=True,
            read=_mapping({"modules": _names, "lessons": _names, "documents": _names}),
        ),
        "quiz": Slug(),
        "targets": Field(read=_mapping({"accessed": _target, "trained": _target})),
    }
)


def _line_of(md: MarkdownFile, lines: list[str], key: str, value: str) -> int:
    """The line of the header, from key's line on, that names value (else the key's line)."""
    start = md.line_of(key)
    for number in range(start, min(md.body_line - 1, len(lines) + 1)):
        if value in lines[number - 1]:
            return number
    return start


def _reference_problems(
    md: MarkdownFile, lines: list[str], values: dict, refs: References
) -> list[Problem]:
    problems: list[Problem] = []

    def wrong(key: str, value: str, message: str) -> None:
        problems.append(Problem(md.path, _line_of(md, lines, key, value), message))

    required = values["required"] or {}
    for slug in required.get("modules", []):
        if not refs.module_exists(slug):
            wrong("required", slug, f"không có chuyên đề '{slug}'")
    for ref in required.get("lessons", []):
        module, _, lesson = ref.partition("/")
        if not lesson or not refs.lesson_exists(module, lesson):
            wrong("required", ref, f"không có bài học '{ref}' (viết chuyên-đề/bài-học)")
    for number in required.get("documents", []):
        if refs.document_url(number) is None:
            wrong("required", number, f"không có văn bản số '{number}' trong cơ sở dữ liệu văn bản")
    if values["quiz"] and not refs.quiz_exists(values["quiz"]):
        wrong("quiz", values["quiz"], f"không có bài kiểm tra '{values['quiz']}'")
    audience = values["audience"] or {}
    if refs.unit_exists is not None:
        for code in audience.get("units", []):
            if not refs.unit_exists(code):
                wrong("audience", code, f"không có đơn vị mã '{code}'")
    for level in audience.get("levels", []):
        if level not in LEVELS:
            wrong(
                "audience", level, f"cấp đơn vị '{level}' không hợp lệ (dùng {', '.join(LEVELS)})"
            )
    return problems


def _shape_problems(md: MarkdownFile, values: dict) -> list[Problem]:
    problems = []
    starts, ends = values["starts"], values["ends"]
    if starts and ends and ends < starts:
        problems.append(Problem(md.path, md.line_of("ends"), "'ends' phải sau hoặc bằng 'starts'"))
    audience = values["audience"] or {}
    if "audience" in md.meta and not audience.get("units"):
        problems.append(
            Problem(
                md.path, md.line_of("audience"), "'audience.units' phải có ít nhất một mã đơn vị"
            )
        )
    required = values["required"] or {}
    if "required" in md.meta and not any(
        required.get(k) for k in ("modules", "lessons", "documents")
    ):
        problems.append(
            Problem(
                md.path,
                md.line_of("required"),
                "'required' phải nêu ít nhất một chuyên đề, bài học hoặc văn bản",
            )
        )
    elif "required" in md.meta and not (
        required.get("modules") or required.get("lessons") or values["quiz"]
    ):
        problems.append(
            Problem(
                md.path,
                md.line_of("required"),
                "kế hoạch phải yêu cầu ít nhất một bài học hoặc một bài kiểm tra "
                "(để xác định ai đã được bồi dưỡng)",
            )
        )
    return problems


def read_plan(text: str, shown: str, slug: str, refs: References) -> PlanSource:
    """Check a plan's text; the result's problems are empty when it can be saved."""
    problems: list[Problem] = []
    if not is_slug(slug):
        problems.append(
            Problem(shown, 1, "tên kế hoạch chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang")
        )
    try:
        md = parse_markdown(text, shown)
    except ContentError as exc:
        return _empty(slug, text, problems + exc.problems)
    values, found = SCHEMA.read(
        md.meta, path=shown, line_of=md.line_of, entry_lines=md.lines_of_entries
    )
    problems += found
    problems += _shape_problems(md, values)
    problems += _reference_problems(md, text.split("\n"), values, refs)
    body_html = ""
    try:
        rendered = render(md.body, doc_link_resolver=refs.document_url)
        body_html = rendered.html
        problems += [
            Problem(
                shown,
                md.body_line + link.line - 1,
                f"liên kết [[{link.number}]] không trỏ tới văn bản nào",
            )
            for link in rendered.broken_links
        ]
    except MarkupInputTooLarge as exc:
        problems.append(Problem(shown, md.body_line, str(exc)))
    audience, required = values["audience"] or {}, values["required"] or {}
    targets = values["targets"] or {}
    return PlanSource(
        slug=slug,
        title=values["title"] or slug,
        starts=values["starts"] or date.min,
        ends=values["ends"] or date.min,
        units=audience.get("units", []),
        levels=audience.get("levels", []),
        modules=required.get("modules", []),
        lessons=required.get("lessons", []),
        documents=required.get("documents", []),
        quiz=values["quiz"],
        target_accessed=100.0 if targets.get("accessed") is None else targets["accessed"],
        target_trained=85.0 if targets.get("trained") is None else targets["trained"],
        body=md.body,
        body_html=body_html,
        text=text,
        problems=problems,
    )


def _empty(slug: str, text: str, problems: list[Problem]) -> PlanSource:
    return PlanSource(
        slug=slug, title=slug, starts=date.min, ends=date.min, units=[], levels=[], modules=[],
        lessons=[], documents=[], quiz=None, target_accessed=100.0, target_trained=85.0, body="",
        body_html="", text=text, problems=problems,
    )  # fmt: skip


__all__ = ["PlanSource", "References", "read_plan"]
