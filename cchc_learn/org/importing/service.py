"""Preview an import without writing, or apply it all-or-nothing in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...audit.service import record
from ...auth.models import User
from ...auth.service import AuthError
from ...database import declare_write
from ...extensions import db
from ..service import OrgError
from .accounts import PreparedAccounts, create_accounts, plan_accounts, prepare_accounts
from .planning import start_plan
from .results import KINDS, ImportPlan, ImportRejected, ImportResult
from .units import create_units, plan_units

PLANNERS = {"units": plan_units, "accounts": plan_accounts}


def preview(kind: str, filename: str, data: bytes) -> ImportPlan:
    """Check a file and say, row by row, what importing it would do; nothing is written."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    plan, cmap = start_plan(
        kind,
        filename,
        data,
        max_bytes=current_app.config["IMPORT_MAX_BYTES"],
        max_rows=current_app.config["IMPORT_MAX_ROWS"],
    )
    if cmap is not None:
        PLANNERS[kind](plan, cmap)
    return plan


@dataclass
class Prepared:
    """A checked file and, for accounts, the accounts built and hashed: all but the writes."""

    plan: ImportPlan
    accounts: PreparedAccounts | None = None


def prepare(kind: str, filename: str, data: bytes) -> Prepared:
    """Check the file and do the slow work (hashing) with reads only.

    Raises ImportRejected (after rolling back) when any row is wrong.
    """
    plan = preview(kind, filename, data)
    if not plan.ok:
        db.session.rollback()
        raise ImportRejected(plan)
    try:
        return Prepared(plan, prepare_accounts(plan) if kind == "accounts" else None)
    except AuthError as exc:  # an account the plan saw free was created in between
        _changed_meanwhile(plan, exc)


def write(
    prepared: Prepared, *, actor: User | None, source: str, batch_id: int | None = None
) -> ImportResult:
    """Create what a prepared file adds, inside the caller's open writing transaction.

    Raises ImportRejected (after rolling back) when the database changed since the check;
    the caller commits.
    """
    plan = prepared.plan
    kind = plan.kind
    result = ImportResult(kind=kind, filename=plan.filename, unchanged=plan.counts["unchanged"])
    try:
        if prepared.accounts is None:
            result.created = create_units(plan, actor)
        else:
            result.created, result.passwords = create_accounts(prepared.accounts, actor)
        db.session.flush()
    except (AuthError, OrgError, IntegrityError) as exc:
        _changed_meanwhile(plan, exc)
    if result.created:
        what = "đơn vị" if kind == "units" else "tài khoản"
        record(
            actor,
            "import",
            "import_batch" if batch_id is not None else "import_file",
            batch_id,
            f"Nhập {KINDS[kind].lower()} từ tệp {plan.filename}: {len(result.created)} {what} "
            f"tạo mới, {result.unchanged} không đổi",
            after={
                "kind": kind,
                "file": plan.filename,
                "sha256": plan.sha256,
                "created": len(result.created),
                "unchanged": result.unchanged,
                "source": source,
            },
        )
    return result


def _changed_meanwhile(plan: ImportPlan, exc: Exception) -> NoReturn:
    """Someone changed the same accounts or units between our check and our write."""
    db.session.rollback()
    detail = "trùng dữ liệu" if isinstance(exc, IntegrityError) else str(exc)
    plan.fail_file(
        f"Dữ liệu trong hệ thống vừa thay đổi trong lúc nhập nên không ghi gì cả ({detail}). "
        "Hãy xem trước và nhập lại."
    )
    raise ImportRejected(plan) from exc


def prepare_unlocked(kind: str, filename: str, data: bytes) -> Prepared:
    """:func:`prepare` in a transaction of its own that takes no write lock.

    On SQLite a writing transaction holds the database's only write lock from its first
    statement; checking and hashing 5,000 accounts inside it kept other requests waiting past
    their busy timeout. The caller then opens its writing transaction for the short write.
    """
    db.session.rollback()
    declare_write(False)
    try:
        return prepare(kind, filename, data)
    finally:
        db.session.rollback()
        declare_write(True)


def run(
    kind: str, filename: str, data: bytes, *, actor: User | None, source: str = "cli"
) -> ImportResult:
    """Import a file all-or-nothing and commit; raise ImportRejected with nothing written.

    The file is checked and hashed first without a write lock, then written in one short
    transaction.
    """
    prepared = prepare_unlocked(kind, filename, data)
    result = write(prepared, actor=actor, source=source)
    db.session.commit()
    return result
