"""Upload a bank file, preview it, confirm it once: the stored copy is parsed again at confirm."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select

from ...clock import utcnow
from ...content.summary import SyncSummary
from ...database import transactional
from ...extensions import db
from ..errors import QuizError
from ..formats import Bank as ParsedBank
from ..formats import QuestionFormatError, format_for_path, item_to_json, parse_bank
from ..formats.source import decode_bank
from ..models import Bank, BankImport
from .rendering import RenderError, doc_resolver, render_item
from .service import check_target, import_bank, item_problems, keyed_items, plan_import

TTL = timedelta(hours=2)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Questions shown on one page of a preview; every question is still checked and rendered.
PREVIEW_PAGE = 100


class UploadMissing(QuizError):
    """No kept upload with that token for this uploader (expired, or someone else's)."""


@dataclass
class ImportPreview:
    """What an uploaded file would do, or every problem that stops it."""

    filename: str
    bank_slug: str
    items: list[tuple[str, dict, dict]] = field(default_factory=list)  # key, JSON, HTML
    plan: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    token: str | None = None
    total: int = 0  # questions in the file; `items` holds the current page of them
    page: int = 1
    per_page: int = PREVIEW_PAGE

    @property
    def ok(self) -> bool:
        """Whether the file can be imported."""
        return not self.problems


def _parse(data: bytes, filename: str, slug: str) -> tuple[ParsedBank | None, list[str]]:
    fmt = format_for_path(filename)
    if fmt is None:
        return None, [f"{filename}: chỉ nhận tệp .md (định dạng Markdown), .gift hoặc .txt (GIFT)"]
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [f"{filename}: tệp lớn hơn 5 MB"]
    try:
        parsed = parse_bank(decode_bank(data, filename), fmt, filename)
    except QuestionFormatError as exc:
        return None, [str(p) for p in exc.problems]
    problems = check_target(slug, parsed, filename)
    resolver = doc_resolver()
    for item in parsed.items:
        where = f"{filename}:{item.line}" if item.line else filename
        problems += item_problems(item, where, resolver)
    return parsed, problems


@transactional
def preview_upload(
    data: bytes, filename: str, slug: str, title: str, uploader_id: int
) -> ImportPreview:
    """Parse an upload; when it is clean keep a copy for confirmation (one unit of work)."""
    result = ImportPreview(filename=filename, bank_slug=slug)
    parsed, result.problems = _parse(data, filename, slug)
    if parsed is None or result.problems:
        return result
    if not _fill_page(result, parsed, 1):
        return result
    db.session.execute(delete(BankImport).where(BankImport.created_at < utcnow() - TTL))
    upload = BankImport(
        token=secrets.token_urlsafe(32),
        uploader_id=uploader_id,
        filename=filename[:255],
        fmt=format_for_path(filename) or "md",
        bank_slug=slug,
        bank_title=title[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    db.session.add(upload)
    result.token = upload.token
    return result


def _fill_page(result: ImportPreview, parsed: ParsedBank, page: int) -> bool:
    """Render every question (one that cannot be shown is a problem), keep one page of them."""
    resolver = doc_resolver()
    keyed = keyed_items(parsed.items)
    result.total = len(keyed)
    pages = max(1, -(-result.total // PREVIEW_PAGE))
    result.page = min(max(page, 1), pages)
    first = (result.page - 1) * PREVIEW_PAGE
    shown = []
    try:
        for position, (key, item) in enumerate(keyed):
            rendered = render_item(item, resolver)
            if first <= position < first + PREVIEW_PAGE:
                shown.append((key, item_to_json(item), rendered))
    except RenderError as exc:
        result.problems = [f"{result.filename}: {exc}"]
        return False
    result.items = shown
    result.plan = plan_import(result.bank_slug, parsed)
    return True


def preview_page(token: str, uploader_id: int, page: int) -> ImportPreview:
    """Another page of a kept upload's preview, parsed again from the stored copy."""
    upload = db.session.scalar(
        select(BankImport).where(
            BankImport.token == token[:64],
            BankImport.uploader_id == uploader_id,
            BankImport.status != "committed",
        )
    )
    if upload is None or upload.created_at < utcnow() - TTL:
        raise UploadMissing(
            "Không còn bản xem trước này (đã quá hạn, đã nhập hoặc không phải của bạn). "
            "Hãy tải tệp lên lại."
        )
    result = ImportPreview(filename=upload.filename, bank_slug=upload.bank_slug, token=token)
    parsed, result.problems = _parse(upload.content, upload.filename, upload.bank_slug)
    if parsed is not None and not result.problems:
        _fill_page(result, parsed, page)
    return result


@transactional
def confirm_upload(token: str, uploader_id: int) -> tuple[Bank, SyncSummary]:
    """Import a kept upload exactly once, as one unit of work."""
    upload = db.session.scalar(
        select(BankImport)
        .where(BankImport.token == token[:64], BankImport.uploader_id == uploader_id)
        .with_for_update()  # a concurrent second confirmation waits here, then sees it done
    )
    if upload is None or upload.created_at < utcnow() - TTL:
        raise UploadMissing(
            "Không còn bản xem trước này (đã quá hạn hoặc không phải của bạn). Hãy tải tệp lên lại."
        )
    if upload.status == "committed":
        raise QuizError("Tệp này đã được nhập rồi; không nhập lại lần nữa.")
    if hashlib.sha256(upload.content).hexdigest() != upload.sha256:
        raise QuizError("Bản lưu tạm của tệp bị hỏng; hãy tải tệp lên lại.")
    parsed, problems = _parse(upload.content, upload.filename, upload.bank_slug)
    if parsed is None or problems:
        raise QuizError("Tệp không còn nhập được (ngân hàng đã thay đổi).", problems)
    bank, summary = import_bank(upload.bank_slug, parsed, upload.filename, title=upload.bank_title)
    upload.status = "committed"
    upload.committed_at = utcnow()
    upload.content = b""  # the file has done its job
    return bank, summary
