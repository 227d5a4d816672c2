"""Preview an import without writing, or apply it all-or-nothing in one transaction."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...audit.service import record
from ...auth.models import User
from ...auth.service import AuthError
from ...extensions import db
from ..service import OrgError
from .accounts import create_accounts, plan_accounts
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


def apply(
    kind: str,
    filename: str,
    data: bytes,
    *,
    actor: User | None,
    source: str,
    batch_id: int | None = None,
) -> ImportResult:
    """Re-check the file and create what it adds, inside the caller's open transaction.

    Raises ImportRejected (after rolling back) when any row is wrong; the caller commits.
    """
    plan = preview(kind, filename, data)
    if not plan.ok:
        db.session.rollback()
        raise ImportRejected(plan)
    result = ImportResult(kind=kind, filename=filename, unchanged=plan.counts["unchanged"])
    try:
        if kind == "units":
            result.created = create_units(plan, actor)
        else:
            result.created, result.passwords = create_accounts(plan, actor)
        db.session.flush()
    except (AuthError, OrgError, IntegrityError) as exc:
        # Someone changed the same accounts or units between our check and our write.
        db.session.rollback()
        detail = "trùng dữ liệu" if isinstance(exc, IntegrityError) else str(exc)
        plan.fail_file(
            f"Dữ liệu trong hệ thống vừa thay đổi trong lúc nhập nên không ghi gì cả ({detail}). "
            "Hãy xem trước và nhập lại."
        )
        raise ImportRejected(plan) from exc
    if result.created:
        what = "đơn vị" if kind == "units" else "tài khoản"
        record(
            actor,
            "import",
            "import_batch" if batch_id is not None else "import_file",
            batch_id,
            f"Nhập {KINDS[kind].lower()} từ tệp {filename}: {len(result.created)} {what} "
            f"tạo mới, {result.unchanged} không đổi",
            after={
                "kind": kind,
                "file": filename,
                "sha256": plan.sha256,
                "created": len(result.created),
                "unchanged": result.unchanged,
                "source": source,
            },
        )
    return result


def run(
    kind: str, filename: str, data: bytes, *, actor: User | None, source: str = "cli"
) -> ImportResult:
    """Import a file all-or-nothing and commit; raise ImportRejected with nothing written."""
    result = apply(kind, filename, data, actor=actor, source=source)
    db.session.commit()
    return result
