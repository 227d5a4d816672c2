"""Write one question of a browser-managed bank in the Markdown question format."""

from __future__ import annotations

from dataclasses import replace

from ...clock import utcnow
from ...content.sourced import edit_the_file
from ...database import transactional
from ...extensions import db
from ..errors import QuizError
from ..formats import QuestionFormatError, item_to_json, parse_markdown, stored_item, to_markdown
from ..models import Bank, BankItem
from ..questions import Item
from .rendering import RenderError, Resolver, doc_resolver, render_item
from .service import apply_items, item_key, item_problems

MAX_ITEM_CHARS = 100_000
TEMPLATE = """## Nội dung câu hỏi?
{topic="Chủ đề" difficulty=2}
- [ ] Phương án sai
- [x] Phương án đúng
- [ ] Phương án sai khác
> Giải thích hiện cho học viên sau khi nộp bài.
"""


def item_text(row: BankItem) -> str:
    """The item written in the Markdown question format, for the edit box."""
    return to_markdown([stored_item(row.data)])


def parse_one(text: str, resolver: Resolver | None = None) -> Item:
    """Parse exactly one question; raise QuizError with every problem as `dòng N: …`."""
    if len(text) > MAX_ITEM_CHARS:
        raise QuizError("Câu hỏi dài quá 100.000 ký tự.")
    try:
        parsed = parse_markdown(text, "câu hỏi")
    except QuestionFormatError as exc:
        raise QuizError(
            "Câu hỏi chưa đúng định dạng.",
            [f"Dòng {p.line}: {p.message}" if p.line else p.message for p in exc.problems],
        ) from None
    if parsed.slug or parsed.title:
        raise QuizError("Chỉ viết một câu hỏi, không có phần đầu (front matter).")
    if len(parsed.items) != 1:
        raise QuizError(
            f"Hãy viết đúng một câu hỏi (mở bằng một dòng '## '); đang có {len(parsed.items)}."
        )
    item = parsed.items[0]
    problems = item_problems(item, f"Dòng {item.line or 1}", resolver)
    if problems:
        raise QuizError("Câu hỏi chưa dùng được.", problems)
    return item


def preview(text: str) -> tuple[dict, dict]:
    """Parse and render a question without saving it: (question JSON, its HTML)."""
    resolver = doc_resolver()
    item = parse_one(text, resolver)
    try:
        return item_to_json(item), render_item(item, resolver)
    except RenderError as exc:
        raise QuizError(str(exc)) from exc


def _editable(bank: Bank) -> None:
    if bank.from_file:
        raise QuizError(edit_the_file("Ngân hàng", bank.source_path))


@transactional
def save_item(bank: Bank, row: BankItem | None, text: str) -> BankItem:
    """Save a new or changed question (a change becomes a new version), as one unit of work."""
    _editable(bank)
    resolver = doc_resolver()
    item = parse_one(text, resolver)
    if row is not None:
        if item.id and item.id != row.key:
            raise QuizError(f"Không đổi được mã câu hỏi (id) {row.key}; hãy xóa id={item.id}.")
        item = replace(item, id=row.key)
    else:
        key = item_key(item)
        if any(existing.key == key for existing in bank.items):
            raise QuizError(f"Ngân hàng đã có câu hỏi mã {key}; hãy đặt id khác.")
    apply_items(bank, [item], resolver, archive_missing=False)
    db.session.flush()
    key = item.id or item_key(item)
    return next(existing for existing in bank.items if existing.key == key)


@transactional
def archive_item(bank: Bank, row: BankItem) -> None:
    """Withdraw a question from future draws (past attempts keep their copy); one unit of work."""
    _editable(bank)
    row.archived = True
    row.updated_at = utcnow()
    bank.updated_at = utcnow()
