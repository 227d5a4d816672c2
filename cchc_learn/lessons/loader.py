"""Load and check modules from content/modules/<module>/ (module.md, NN-<lesson>.md, assets/)."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..content.frontmatter import MarkdownFile, read_markdown_file
from ..content.problems import ContentError, Problem
from ..markup import MarkupInputTooLarge, Rendered, to_plain_text
from ..textnorm import slug_problem
from . import schema
from .rendering import DocResolver, render_body


@dataclass
class AssetSource:
    """An image from a module's assets/ folder."""

    name: str  # path below assets/, with forward slashes
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """Digest of the bytes."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class LessonSource:
    """A checked lesson file, rendered."""

    slug: str
    position: int
    path: str  # relative to the content folder, e.g. modules/x/01-y.md
    title: str
    minutes: int
    summary: str
    published: bool
    body: str
    body_line: int
    html: str = ""
    toc_html: str = ""
    plain_text: str = ""


@dataclass
class ModuleSource:
    """A checked module folder, rendered, with its lessons and images."""

    slug: str
    path: str  # relative to the content folder, e.g. modules/x/module.md
    title: str
    summary: str
    topics: list[str]
    order: int
    audience: list[str]
    published: bool
    body: str
    body_line: int
    html: str = ""
    lessons: list[LessonSource] = field(default_factory=list)
    assets: dict[str, AssetSource] = field(default_factory=dict)


def _read(path: Path, shown: str, problems: list[Problem]) -> MarkdownFile | None:
    try:
        return read_markdown_file(path, shown)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def _module(md: MarkdownFile, slug: str, path: str, problems: list[Problem]) -> ModuleSource:
    values, found = schema.MODULE.read(md.meta, path=md.path, line_of=md.line_of)
    problems += found
    return ModuleSource(
        slug=slug,
        path=path,
        **values,
        body=schema.clean_body(md.body),
        body_line=md.body_line,
    )


def _lesson(
    md: MarkdownFile, slug: str, position: int, path: str, problems: list[Problem]
) -> LessonSource:
    values, found = schema.LESSON.read(md.meta, path=md.path, line_of=md.line_of)
    problems += found
    return LessonSource(
        slug=slug,
        position=position,
        path=path,
        **values,
        body=schema.clean_body(md.body),
        body_line=md.body_line,
    )


def _assets(folder: Path, shown: str, problems: list[Problem]) -> dict[str, AssetSource]:
    assets: dict[str, AssetSource] = {}
    if not folder.is_dir():
        return assets
    base = folder.resolve()
    for path in sorted(folder.rglob("*")):
        # Links in the (NFC) text must find names a Mac may have stored decomposed.
        name = unicodedata.normalize("NFC", path.relative_to(folder).as_posix())
        if any(part.startswith(".") for part in name.split("/")) or path.is_dir():
            continue
        where = f"{shown}/assets/{name}"
        problem = schema.asset_name_problem(name)
        if problem is None and base not in path.resolve().parents:
            problem = "tệp ảnh trỏ ra ngoài thư mục assets/ của chuyên đề"
        if problem is None and path.stat().st_size > schema.MAX_ASSET_BYTES:
            problem = f"ảnh quá lớn (tối đa {schema.MAX_ASSET_BYTES // 1048576} MB)"
        if problem is not None:
            problems.append(Problem(where, 1, problem))
            continue
        data = path.read_bytes()
        content_type = schema.image_type(name, data)
        if content_type is None:
            problems.append(Problem(where, 1, "nội dung tệp không đúng loại ảnh theo đuôi tên tệp"))
            continue
        assets[name] = AssetSource(name=name, content_type=content_type, data=data)
    return assets


def _lesson_files(
    folder: Path, shown: str, slug: str, problems: list[Problem]
) -> list[LessonSource]:
    lessons: list[LessonSource] = []
    by_slug: dict[str, str] = {}
    by_position: dict[int, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name == "module.md" or path.name.startswith("."):
            continue
        where = f"{shown}/{path.name}"
        match = schema.LESSON_FILE_RE.match(path.name)
        if not match:
            problems.append(
                Problem(
                    where,
                    1,
                    "tên tệp bài học phải có dạng NN-ten-bai.md (NN "
                    "là số thứ tự, ví dụ 01-gioi-thieu.md)",
                )
            )
            continue
        position, lesson_slug = int(match[1]), match[2]
        bad = slug_problem(lesson_slug, "Tên bài học trong tên tệp")
        if bad or not schema.MIN_POSITION <= position <= schema.MAX_POSITION:
            problems.append(Problem(where, 1, bad or "số thứ tự bài học phải từ 1 đến 999"))
            continue
        if lesson_slug in by_slug:
            problems.append(
                Problem(
                    where, 1, f"trùng tên bài học '{lesson_slug}' với tệp {by_slug[lesson_slug]}"
                )
            )
        if position in by_position:
            problems.append(
                Problem(where, 1, f"trùng số thứ tự {position} với tệp {by_position[position]}")
            )
        by_slug.setdefault(lesson_slug, path.name)
        by_position.setdefault(position, path.name)
        md = _read(path, where, problems)
        if md is not None:
            lessons.append(
                _lesson(md, lesson_slug, position, f"modules/{slug}/{path.name}", problems)
            )
    return lessons


def _render(
    body: str,
    body_line: int,
    shown: str,
    module: ModuleSource,
    doc_resolver: DocResolver | None,
    problems: list[Problem],
) -> Rendered | None:
    try:
        rendered = render_body(
            body, module_slug=module.slug, asset_names=module.assets, doc_resolver=doc_resolver
        )
    except MarkupInputTooLarge as exc:
        problems.append(Problem(shown, body_line + exc.line - 1, str(exc)))
        return None
    images = ", ".join(schema.IMAGE_TYPES)
    for found, say in (
        (
            rendered.broken_links,
            lambda link: f"liên kết [[{link.number}]] không trỏ tới văn bản nào trong cơ sở "
            "dữ liệu văn bản",
        ),
        (
            rendered.missing_assets,
            lambda image: f"không tìm thấy ảnh {image.path}: ảnh phải nằm trong thư mục "
            f"assets/ của chuyên đề ({images})",
        ),
        (
            rendered.blocked_images,
            lambda image: f"ảnh {image.path} nằm trên máy chủ khác; hãy chép ảnh vào thư "
            "mục assets/ của chuyên đề",
        ),
    ):
        problems += [Problem(shown, body_line + item.line - 1, say(item)) for item in found]
    return rendered


def _render_all(
    module: ModuleSource, shown: str, doc_resolver: DocResolver | None, problems: list[Problem]
) -> None:
    rendered = _render(
        module.body, module.body_line, f"{shown}/module.md", module, doc_resolver, problems
    )
    module.html = rendered.html if rendered else ""
    for lesson in module.lessons:
        file_name = lesson.path.rsplit("/", 1)[-1]
        rendered = _render(
            lesson.body, lesson.body_line, f"{shown}/{file_name}", module, doc_resolver, problems
        )
        if rendered is not None:
            lesson.html, lesson.toc_html = rendered.html, rendered.toc_html
            lesson.plain_text = to_plain_text(lesson.body)


def load_module(
    folder: Path, shown: str, doc_resolver: DocResolver | None, problems: list[Problem]
) -> ModuleSource | None:
    """Read, check and render one module folder; append every problem found."""
    slug = folder.name
    bad = slug_problem(slug, "Tên thư mục chuyên đề")
    if bad:
        problems.append(Problem(f"{shown}/module.md", 1, bad))
        return None
    if not (folder / "module.md").is_file():
        problems.append(
            Problem(
                f"{shown}/module.md",
                1,
                "thiếu tệp module.md của chuyên đề (tiêu đề, tóm tắt, chủ đề, thứ tự, đối tượng)",
            )
        )
        return None
    md = _read(folder / "module.md", f"{shown}/module.md", problems)
    if md is None:
        return None
    module = _module(md, slug, f"modules/{slug}/module.md", problems)
    module.assets = _assets(folder / "assets", shown, problems)
    module.lessons = sorted(
        _lesson_files(folder, shown, slug, problems), key=lambda lesson: lesson.position
    )
    _render_all(module, shown, doc_resolver, problems)
    return module


def load_modules(
    content_dir: Path, doc_resolver: DocResolver | None = None
) -> tuple[list[ModuleSource], list[Problem]]:
    """Read every module folder; return the modules read and every problem found."""
    folder = content_dir / "modules"
    modules: list[ModuleSource] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return modules, problems
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        shown = f"{content_dir.name}/modules/{path.name}"
        if not path.is_dir():
            if path.suffix == ".md":
                problems.append(
                    Problem(
                        shown,
                        1,
                        "tệp bài học phải nằm trong thư mục của một "
                        "chuyên đề (modules/<chuyen-de>/NN-ten-bai.md)",
                    )
                )
            continue
        module = load_module(path, shown, doc_resolver, problems)
        if module is not None:
            modules.append(module)
    return modules, problems
