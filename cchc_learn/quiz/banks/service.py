"""Banks and their items in the database: stable keys, versions, rendering, import and export."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from ...clock import utcnow
from ...content.summary import SyncSummary
from ...database import transactional
from ...extensions import db
from ...textnorm import slug_problem
from ..errors import QuizError
from ..formats import Bank as ParsedBank
from ..formats import export_bank, item_to_json, stored_item
from ..models import Bank, BankItem
from ..questions import Item
from .rendering import RenderError, Resolver, doc_resolver, parse_ref, render_item

MAX_KEY_CHARS = 100


def item_key(item: Item) -> str:
    """The stable key of an item: its id, else its name (GIFT's ``::PAPI-1::``), else a digest
    of its type and stem — so a named question edited elsewhere updates when imported again."""
    if item.id:
        return item.id
    if item.title.strip():
        return item.title.strip()[:90]  # room for keyed_items' "-2" within the 100-char key
    digest = hashlib.sha256(f"{item.type}\n{item.stem}".encode()).hexdigest()
    return f"h{digest[:15]}"


def keyed_items(items: Iterable[Item]) -> list[tuple[str, Item]]:
    """Pair every item with its key; an item repeated without an id gets a numbered key."""
    seen: dict[str, int] = {}
    out = []
    for item in items:
        key = item_key(item)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        out.append((key, replace(item, id=key)))
    return out


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def item_problems(item: Item, where: str, resolver: Resolver | None) -> list[str]:
    """Problems the parsers cannot see: key length, the form and target of the reference."""
    problems = []
    if len(item_key(item)) > MAX_KEY_CHARS:
        problems.append(f"{where}: mã câu hỏi (id) dài quá {MAX_KEY_CHARS} ký tự")
    if item.ref:
        parsed = parse_ref(item.ref)
        if parsed is None:
            problems.append(
                f"{where}: tham chiếu {item.ref!r} phải có dạng doc:SỐ-KÝ-HIỆU "
                "hoặc lesson:chuyên-đề/bài-học"
            )
        elif parsed[0] == "doc" and resolver is not None and resolver(parsed[1]) is None:
            problems.append(
                f"{where}: tham chiếu {item.ref} không trỏ tới văn bản nào trong cơ sở dữ liệu"
            )
    if len(item.topic) > 100 or len(item.title) > 200 or len(item.ref) > 200:
        problems.append(f"{where}: chủ đề tối đa 100 ký tự, tiêu đề và tham chiếu tối đa 200 ký tự")
    return problems


def _fill(row: BankItem, key: str, item: Item, data: dict, rendered: dict) -> None:
    row.key, row.type, row.title, row.topic = key, item.type, item.title, item.topic
    row.difficulty, row.ref = item.difficulty, item.ref
    row.data, row.rendered, row.content_hash = data, rendered, _digest(data)
    row.archived, row.updated_at = False, utcnow()


def apply_items(
    bank: Bank,
    items: Iterable[Item],
    resolver: Resolver | None,
    *,
    archive_missing: bool,
    summary: SyncSummary | None = None,
) -> SyncSummary:
    """Add, update (as a new version) or keep each item of bank; optionally archive the others."""
    summary = summary or SyncSummary()
    existing = {row.key: row for row in bank.items}
    next_position = max((row.position for row in bank.items), default=-1) + 1
    wanted = set()
    for position, (key, item) in enumerate(keyed_items(items)):
        wanted.add(key)
        data = item_to_json(item)
        row = existing.get(key)
        if row is not None and row.content_hash == _digest(data) and not row.archived:
            if archive_missing:
                row.position = position
            summary.note("unchanged", key)
            continue
        try:
            rendered = render_item(item, resolver)
        except RenderError as exc:
            raise QuizError(f"Câu hỏi {key}: {exc}") from exc
        if row is None:
            row = BankItem(version=1, position=position if archive_missing else next_position)
            next_position += 1
            bank.items.append(row)
            summary.note("added", key)
        else:
            row.version += 1
            if archive_missing:
                row.position = position
            summary.note("updated", key)
        _fill(row, key, item, data, rendered)
    if archive_missing:
        for key, row in existing.items():
            if key not in wanted and not row.archived:
                row.archived = True
                row.updated_at = utcnow()
                summary.note("archived", key)
    bank.updated_at = utcnow()
    return summary


def get_bank(slug: str) -> Bank | None:
    """Find a bank by slug."""
    return db.session.scalar(select(Bank).where(Bank.slug == slug[:100]))


def live_items(bank: Bank) -> list[BankItem]:
    """The bank's items that are not archived, in bank order."""
    return list(
        db.session.scalars(
            select(BankItem)
            .where(BankItem.bank_id == bank.id, BankItem.archived.is_(False))
            .order_by(BankItem.position, BankItem.id)
        )
    )


@dataclass
class BankRow:
    """A bank in the list, with how many live items it holds."""

    bank: Bank
    items: int
    topics: int


def list_banks() -> list[BankRow]:
    """Every live bank with its item and topic counts (one aggregate query)."""
    live = BankItem.archived.is_(False)
    rows = db.session.execute(
        select(
            Bank,
            func.count(BankItem.id).filter(live),
            func.count(func.distinct(BankItem.topic)).filter(live),
        )
        .outerjoin(BankItem, BankItem.bank_id == Bank.id)
        .where(Bank.archived.is_(False))
        .group_by(Bank.id)
        .order_by(Bank.slug)
    ).all()
    return [BankRow(bank, items, topics) for bank, items, topics in rows]


def check_target(slug: str, parsed: ParsedBank, path: str) -> list[str]:
    """Problems with importing a parsed file into the bank named slug."""
    problems = []
    bad_slug = slug_problem(slug, "mã ngân hàng")
    if bad_slug:
        problems.append(f"{path}: {bad_slug}")
        return problems
    if parsed.slug and parsed.slug != slug:
        problems.append(
            f"{path}:1: tệp ghi bank: {parsed.slug} nhưng đang nhập vào ngân hàng {slug}"
        )
    bank = get_bank(slug)
    if bank is not None and bank.from_file:
        problems.append(
            f"{path}: ngân hàng {slug} được quản lý bằng tệp content/{bank.source_path}; "
            "hãy sửa tệp đó rồi chạy cchc-learn content sync"
        )
    if not parsed.items:
        problems.append(f"{path}: tệp không có câu hỏi nào")
    return problems


@transactional
def import_bank(
    slug: str, parsed: ParsedBank, path: str, *, title: str = "", resolver: Resolver | None = None
) -> tuple[Bank, SyncSummary]:
    """Add or update the parsed items in a browser-managed bank, as one unit of work.

    Items keep their place; items of the bank missing from the file are left as they are.
    Raise QuizError listing every problem (nothing is written then).
    """
    resolver = resolver or doc_resolver()
    problems = check_target(slug, parsed, path)
    for item in parsed.items:
        where = f"{path}:{item.line}" if item.line else path
        problems += item_problems(item, where, resolver)
    if problems:
        raise QuizError("Tệp có lỗi; không câu hỏi nào được nhập.", problems)
    bank = get_bank(slug)
    if bank is None:
        bank = Bank(slug=slug, title=(title or parsed.title or slug)[:200])
        bank.description = parsed.description
        db.session.add(bank)
    elif title:
        bank.title = title[:200]
    bank.archived = False
    summary = apply_items(bank, parsed.items, resolver, archive_missing=False)
    db.session.flush()
    return bank, summary


def plan_import(slug: str, parsed: ParsedBank) -> dict[str, list[str]]:
    """Which keys an import would add, update or leave unchanged (writes nothing)."""
    bank = get_bank(slug)
    existing = {row.key: row for row in bank.items} if bank else {}
    plan: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    for key, item in keyed_items(parsed.items):
        row = existing.get(key)
        if row is None:
            plan["added"].append(key)
        elif row.content_hash == _digest(item_to_json(item)) and not row.archived:
            plan["unchanged"].append(key)
        else:
            plan["updated"].append(key)
    return plan


def export_text(bank: Bank, fmt: str) -> str:
    """The bank's live items written as GIFT, Markdown or question JSON."""
    items = [stored_item(row.data) for row in live_items(bank)]
    return export_bank(
        items, fmt, bank=bank.slug, title=bank.title, description=bank.description or ""
    )


@transactional
def create_bank(slug: str, title: str) -> Bank:
    """Create an empty browser-managed bank, as one unit of work."""
    slug = slug.strip()
    bad_slug = slug_problem(slug, "Mã ngân hàng")
    if bad_slug:
        raise QuizError(f"{bad_slug}.")
    if get_bank(slug) is not None:
        raise QuizError(f"Đã có ngân hàng mã {slug}.")
    bank = Bank(slug=slug, title=title.strip()[:200] or slug)
    db.session.add(bank)
    db.session.flush()
    return bank
