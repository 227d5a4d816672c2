"""Plans: find, save from the browser (as revisions), sync from files, resolve what they require.

Focal points (cán bộ đầu mối) are kept here too: an admin gives an account the role and a unit,
and the account then reads the reports of that unit's subtree only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit.service import record
from ..auth.models import User
from ..clock import utcnow
from ..content.summary import SyncSummary
from ..database import transactional
from ..extensions import db
from ..kb.models import Document
from ..kb.service import document_url, number_resolver
from ..lessons.models import Lesson, Module
from ..lessons.service import lesson_path
from ..org import service as org_service
from ..org.models import Unit
from ..quiz.models import Quiz
from ..textnorm import number_key
from ..tracking.events import ATTACHMENT, DOCUMENT, LESSON, Ref
from .loader import PlanSource, References, read_plan
from .models import FocalPoint, Plan, PlanRevision

FORM_PATH = "(biểu mẫu)"
NEW_PLAN_TEXT = """---
title: Kế hoạch bồi dưỡng CCHC
starts: {year}-01-01
ends: {year}-12-31
audience:
  units: []
  levels: []
required:
  modules: []
  lessons: []
  documents: []
targets:
  accessed: 100
  trained: 85
---
Mô tả kế hoạch cho học viên (Markdown).
"""


class PlanError(ValueError):
    """A plan or focal-point change that cannot be made; the message is for users."""


# --- Reading ----------------------------------------------------------------------------------


def get_plan(slug: str) -> Plan | None:
    """A live plan by its slug."""
    if not slug or len(slug) > 100:
        return None
    return db.session.scalar(select(Plan).where(Plan.slug == slug, Plan.archived.is_(False)))


def list_plans() -> list[Plan]:
    """Live plans, the latest period first."""
    return list(
        db.session.scalars(
            select(Plan).where(Plan.archived.is_(False)).order_by(Plan.starts.desc(), Plan.slug)
        )
    )


def current_plans(day: date) -> list[Plan]:
    """Live plans whose period contains day."""
    return [p for p in list_plans() if p.starts <= day <= p.ends]


def revisions(plan: Plan) -> list[PlanRevision]:
    """A plan's revisions, newest first."""
    return PlanRevision.newest_first(plan.id)


# --- Checking and saving ----------------------------------------------------------------------


def database_references() -> References:
    """Check what a plan names against the database (for plans written in the browser)."""
    lessons = {
        (m, x)
        for m, x in db.session.execute(
            select(Module.slug, Lesson.slug)
            .join(Lesson, Lesson.module_id == Module.id)
            .where(Module.archived.is_(False), Lesson.archived.is_(False))
        )
    }
    modules = set(db.session.scalars(select(Module.slug).where(Module.archived.is_(False))))
    quizzes = set(db.session.scalars(select(Quiz.slug).where(Quiz.archived.is_(False))))
    return References(
        module_exists=lambda slug: slug in modules,
        lesson_exists=lambda module, lesson: (module, lesson) in lessons,
        document_url=number_resolver(),
        quiz_exists=lambda slug: slug in quizzes,
        unit_exists=lambda code: org_service.get_by_code(code) is not None,
    )


def check_text(slug: str, text: str) -> PlanSource:
    """Check a plan written in the browser; raise PlanError listing every problem."""
    source = read_plan(text, FORM_PATH, slug, database_references())
    if source.problems:
        raise PlanError("\n".join(str(p) for p in source.problems))
    return source


def _apply(plan: Plan, source: PlanSource) -> None:
    plan.title, plan.starts, plan.ends = source.title, source.starts, source.ends
    plan.audience_units, plan.audience_levels = source.units, source.levels
    plan.required_modules, plan.required_lessons = source.modules, source.lessons
    plan.required_documents, plan.quiz_slug = source.documents, source.quiz
    plan.target_accessed, plan.target_trained = source.target_accessed, source.target_trained
    plan.body_md, plan.body_html, plan.source_text = source.body, source.body_html, source.text
    plan.source_path, plan.content_hash = source.path, source.content_hash
    plan.archived, plan.updated_at = False, utcnow()


def _revise(plan: Plan, actor: User | None, message: str) -> None:
    db.session.flush()
    db.session.add(
        PlanRevision(
            plan_id=plan.id,
            version=plan.version,
            meta={"slug": plan.slug, "source_path": plan.source_path},
            body_md=plan.source_text,
            author_id=actor.id if actor else None,
            message=message.strip()[:300],
        )
    )


@transactional
def save_plan(plan: Plan | None, slug: str, text: str, actor: User, message: str = "") -> Plan:
    """Create or update a plan written in the browser, as a new revision."""
    if plan is not None and plan.from_file:
        raise PlanError(
            f"Kế hoạch này được quản lý bằng tệp content/{plan.source_path}; hãy sửa tệp đó "
            "rồi chạy cchc-learn content sync."
        )
    slug = plan.slug if plan is not None else (slug or "").strip()
    source = check_text(slug, text)
    if plan is None:
        if db.session.scalar(select(Plan.id).where(Plan.slug == slug)) is not None:
            raise PlanError(f"Đã có kế hoạch mã {slug}.")
        plan = Plan(slug=slug, version=0)
        db.session.add(plan)
    _apply(plan, source)
    plan.version += 1
    _revise(plan, actor, message)
    record(actor, "plan.save", "plan", plan.id, f"Lưu kế hoạch {slug} (phiên bản {plan.version})")
    return plan


def sync_plans(sources: list[PlanSource], progress=None) -> SyncSummary:
    """Bring file-sourced plans in line with checked files, in the caller's transaction."""
    summary = SyncSummary()
    existing = {plan.slug: plan for plan in db.session.scalars(select(Plan))}
    for source in sources:
        plan = existing.get(source.slug)
        if plan is not None and not plan.from_file and not plan.archived:
            raise ValueError(
                f"plans/{source.slug}.md: đã có kế hoạch {source.slug} viết trên trình duyệt"
            )
        if plan is not None and plan.content_hash == source.content_hash and not plan.archived:
            summary.note("unchanged", source.slug)
        else:
            if plan is None:
                plan = Plan(slug=source.slug, version=0)
                db.session.add(plan)
                summary.note("added", source.slug)
            else:
                summary.note("updated", source.slug)
            _apply(plan, source)
            plan.version += 1
            _revise(plan, None, "Nạp từ tệp")
        if progress:
            progress(source)
    names = {source.slug for source in sources}
    for slug, plan in existing.items():
        if plan.from_file and slug not in names and not plan.archived:
            plan.archived, plan.updated_at = True, utcnow()
            summary.note("archived", slug)
    return summary


# --- What a plan requires ---------------------------------------------------------------------


@dataclass(frozen=True)
class Material:
    """One required lesson or document, numbered, with the refs that reach it."""

    number: int
    kind: str  # "lesson" or "document"
    id: int
    title: str
    url: str
    refs: tuple[Ref, ...]


@dataclass
class Requirements:
    """What a plan asks of each official, resolved against the live lessons and documents."""

    lessons: list[Material] = field(default_factory=list)
    documents: list[Material] = field(default_factory=list)
    quiz: Quiz | None = None
    quiz_named: bool = False  # the plan names a quiz (missing now: nobody can pass it)

    @property
    def materials(self) -> list[Material]:
        """Every material an official must access."""
        return self.lessons + self.documents


def requirements(plan: Plan) -> Requirements:
    """Resolve a plan's modules, lessons, documents and quiz (four queries)."""
    wanted = set(plan.required_lessons)
    lessons = db.session.execute(
        select(Lesson, Module.slug)
        .join(Module, Module.id == Lesson.module_id)
        .where(
            Lesson.published.is_(True), Lesson.archived.is_(False),
            Module.published.is_(True), Module.archived.is_(False),
        )
        .order_by(Module.order, Module.slug, Lesson.position)
    ).all()  # fmt: skip
    found = Requirements(quiz_named=bool(plan.quiz_slug))
    for lesson, module_slug in lessons:
        if module_slug in plan.required_modules or f"{module_slug}/{lesson.slug}" in wanted:
            found.lessons.append(
                Material(
                    len(found.lessons), LESSON, lesson.id, lesson.title,
                    lesson_path(module_slug, lesson.slug), (Ref(LESSON, lesson.id),),
                )
            )  # fmt: skip
    keys = [number_key(n) for n in plan.required_documents]
    docs = db.session.scalars(
        select(Document)
        .options(selectinload(Document.attachments))
        .where(Document.archived.is_(False), Document.number_key.in_(keys))
        .order_by(Document.id)
    ).all()
    by_key: dict[str, Document] = {}
    for doc in docs:
        by_key.setdefault(doc.number_key, doc)
    for key in keys:
        doc = by_key.get(key)
        if doc is None:
            continue
        refs = (Ref(DOCUMENT, doc.id), *(Ref(ATTACHMENT, a.id) for a in doc.attachments))
        number = len(found.lessons) + len(found.documents)
        found.documents.append(
            Material(number, DOCUMENT, doc.id, doc.title, document_url(doc.slug), refs)
        )
    if plan.quiz_slug:
        found.quiz = db.session.scalar(
            select(Quiz).where(Quiz.slug == plan.quiz_slug, Quiz.archived.is_(False))
        )
    return found


# --- Focal points -----------------------------------------------------------------------------


def focal_unit(user_id: int) -> Unit | None:
    """The unit whose subtree a focal point reads (None: not assigned)."""
    return db.session.scalar(
        select(Unit).join(FocalPoint, FocalPoint.unit_id == Unit.id).where(
            FocalPoint.user_id == user_id
        )
    )


def focal_points() -> list[FocalPoint]:
    """Every assignment, by unit code."""
    return list(
        db.session.scalars(
            select(FocalPoint)
            .join(Unit, Unit.id == FocalPoint.unit_id)
            .options(selectinload(FocalPoint.user), selectinload(FocalPoint.unit))
            .order_by(Unit.code)
        )
    )


@transactional
def assign_focal(username: str, unit_code: str, actor: User | None = None) -> FocalPoint:
    """Make an account the focal point of a unit (giving it the role); replaces any earlier."""
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    )
    if user is None:
        raise PlanError(f"Không tìm thấy tài khoản {username}.")
    unit = org_service.get_by_code((unit_code or "").strip())
    if unit is None:
        raise PlanError(f"Không tìm thấy đơn vị có mã {unit_code}.")
    row = db.session.get(FocalPoint, user.id)
    if row is None:
        row = FocalPoint(user_id=user.id, unit_id=unit.id)
        db.session.add(row)
    row.unit_id, row.assigned_at = unit.id, utcnow()
    user.set_roles(user.role_names | {"focal"})
    record(
        actor, "focal.assign", "user", user.id,
        f"Giao {user.username} làm cán bộ đầu mối CCHC của {unit.code}",
        after={"unit": unit.code},
    )  # fmt: skip
    return row


@transactional
def remove_focal(user_id: int, actor: User | None = None) -> None:
    """End an account's focal-point assignment and take the role away."""
    row = db.session.get(FocalPoint, user_id)
    if row is None:
        raise PlanError("Tài khoản này không là cán bộ đầu mối.")
    user = row.user
    db.session.delete(row)
    user.set_roles(user.role_names - {"focal"})
    record(actor, "focal.remove", "user", user.id, f"Thôi giao {user.username} làm đầu mối")
