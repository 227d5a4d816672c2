"""Reading questions: a thread for one account, the public list, the moderators' queue, the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..agenda import Item
from ..auth.models import User
from ..clock import utcnow
from ..extensions import db
from ..org.models import Unit
from . import deadlines, faq, routing, states
from .answer_templates import templates_for
from .errors import QaNotFound
from .models import AnswerTemplate, Event, Faq, Post, Question, QuestionTopic
from .settings import setting
from .visibility import asker_name, can_read, is_asker, is_moderator, posts_for

PER_PAGE = 20


def readable(question_id: int, viewer: Any) -> Question:
    """The question if the account may read it; QaNotFound otherwise."""
    question = db.session.get(Question, question_id)
    if question is None or not can_read(question, viewer):
        raise QaNotFound()
    return question


def post_for_moderator(post_id: int) -> Post:
    """An answer, for a moderator to edit (QaNotFound for anything else)."""
    post = db.session.get(Post, post_id)
    if post is None or post.kind != "answer":
        raise QaNotFound("Không tìm thấy câu trả lời.")
    return post


@dataclass
class Thread:
    """Everything the question page shows one account."""

    question: Question
    posts: list[Post]
    asker: str
    timing: deadlines.Timing
    is_asker: bool
    is_moderator: bool
    can_edit: bool
    can_reply: bool
    can_accept: bool
    duplicate_of: Question | None
    events: list[Event] = field(default_factory=list)
    allowed: dict[str, bool] = field(default_factory=dict)
    accept_on_behalf_from: datetime | None = None
    accept_on_behalf_now: bool = False
    moderators: list[User] = field(default_factory=list)
    templates: list[AnswerTemplate] = field(default_factory=list)
    template: AnswerTemplate | None = None
    cited: list[faq.Cited] = field(default_factory=list)
    suggested_documents: list[str] = field(default_factory=list)


def thread(question_id: int, viewer: Any, *, template_slug: str | None = None) -> Thread:
    """The question page for an account (QaNotFound when it may not read it)."""
    question = readable(question_id, viewer)
    mine, moderating = is_asker(question, viewer), is_moderator(viewer)
    original = db.session.get(Question, question.duplicate_of_id) if (
        question.duplicate_of_id) else None
    view = Thread(
        question=question,
        posts=posts_for(question, viewer),
        asker=asker_name(question, viewer),
        timing=deadlines.timing(question, utcnow()),
        is_asker=mine,
        is_moderator=moderating,
        can_edit=mine and not question.answers and states.allowed("edit_by_asker",
                                                                   question.state),
        can_reply=mine and states.allowed("followup" if question.state != "needs_info"
                                          else "info_reply", question.state),
        can_accept=mine and states.allowed("accept", question.state),
        duplicate_of=original if original is not None and can_read(original, viewer) else None,
    )
    if question.faq is not None:
        view.cited = faq.cited(question.faq)
    if mine or moderating:
        view.events = list(db.session.scalars(
            select(Event).where(Event.question_id == question.id).order_by(Event.id)))
    if moderating:
        view.allowed = {action: states.allowed(action, question.state)
                        for action in states.TRANSITIONS}
        if question.state == "answered" and question.last_answered_at is not None:
            days = int(setting("QA_ACCEPT_ON_BEHALF_DAYS"))
            view.accept_on_behalf_from = question.last_answered_at + timedelta(days=days)
            view.accept_on_behalf_now = utcnow() >= view.accept_on_behalf_from
        view.moderators = routing.moderators()
        view.templates = templates_for(question.topics)
        view.template = next((t for t in view.templates if t.slug == template_slug), None)
        if question.faq is None and question.answers:
            view.suggested_documents = faq.suggested_numbers(question)
    return view


@dataclass
class Listing:
    """A page of questions with how many answers each has."""

    rows: list[tuple[Question, int]]
    total: int


def _answer_counts() -> Any:
    return (
        select(func.count())
        .where(Post.question_id == Question.id, Post.kind == "answer")
        .correlate(Question)
        .scalar_subquery()
    )


def _filtered(query: Select, *, topic: str | None, state: str | None,
              answered: str | None) -> Select:
    if topic:
        query = query.where(Question.id.in_(
            select(QuestionTopic.question_id).where(QuestionTopic.topic == topic)))
    if state in states.STATES:
        query = query.where(Question.state == state)
    if answered == "yes":
        query = query.where(Question.state.in_(states.ANSWERED))
    elif answered == "no":
        query = query.where(Question.state.in_(states.OPEN))
    return query


def browse(
    viewer: Any,
    *,
    topic: str | None = None,
    state: str | None = None,
    answered: str | None = None,
    mine: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Listing:
    """Public questions and FAQ entries (or the account's own questions), newest first."""
    query = select(Question, _answer_counts()).options(
        selectinload(Question.faq), selectinload(Question.asker))
    if mine:
        query = query.where(Question.asker_id == viewer.id)
    else:
        in_faq = exists().where(Faq.question_id == Question.id)
        query = query.where(Question.state != "hidden",
                            or_(Question.visibility == "public", in_faq))
    query = _filtered(query, topic=topic, state=state, answered=answered)
    total = db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(Question.id).subquery())) or 0
    rows = db.session.execute(
        query.order_by(Question.asked_at.desc(), Question.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return Listing([(q, n) for q, n in rows], total)


@dataclass(frozen=True)
class QueueRow:
    """One question of the queue, with where it stands against its deadline."""

    question: Question
    timing: deadlines.Timing
    asker: str
    unit: str


@dataclass
class Queue:
    """A page of the queue, its total, and the FAQ entries waiting for review."""

    rows: list[QueueRow]
    total: int
    reviews: list[Question]


def _units_under(unit_id: int) -> Select:
    tree = select(Unit.id).where(Unit.id == unit_id).cte("under", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return select(tree.c.id)


def queue(
    *,
    topic: str | None = None,
    unit_id: int | None = None,
    state: str | None = None,
    assignee: str | None = None,
    moderator_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Queue:
    """Questions for moderators, oldest first (open ones unless a state is chosen).

    assignee: "me" (moderator_id's), "none" (unassigned), or an account id as text.
    """
    query = select(Question).options(selectinload(Question.asker),
                                     selectinload(Question.assignee))
    if state in states.STATES:
        query = query.where(Question.state == state)
    elif state != "all":
        query = query.where(Question.state.in_(states.OPEN))
    query = _filtered(query, topic=topic, state=None, answered=None)
    if unit_id:
        query = query.where(Question.unit_id.in_(_units_under(unit_id)))
    if assignee == "me" and moderator_id:
        query = query.where(Question.assignee_id == moderator_id)
    elif assignee == "none":
        query = query.where(Question.assignee_id.is_(None))
    elif assignee and assignee.isdigit() and len(assignee) < 10:
        query = query.where(Question.assignee_id == int(assignee))
    found = db.paginate(query.order_by(Question.asked_at, Question.id), page=max(page, 1),
                        per_page=per_page, error_out=False)
    questions = list(found.items)
    units = dict(db.session.execute(select(Unit.id, Unit.name).where(
        Unit.id.in_({q.unit_id for q in questions if q.unit_id}))).all()) if questions else {}
    now = utcnow()
    rows = [QueueRow(q, deadlines.timing(q, now), q.asker.full_name, units.get(q.unit_id, ""))
            for q in questions]
    return Queue(rows, found.total or 0, faq.needing_review())


def unit_choices() -> list[tuple[int, str]]:
    """Units of askers in the queue's filter, by name."""
    return [(uid, name) for uid, name in db.session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(select(Question.unit_id).distinct()))
        .order_by(Unit.name))]


def as_json(question_id: int, viewer: Any) -> dict[str, Any]:
    """The API's view of a question (QaNotFound when the account may not read it)."""
    question = readable(question_id, viewer)
    return {
        "id": question.id,
        "title": question.title,
        "state": question.state,
        "visibility": question.visibility,
        "asked_at": question.asked_at.isoformat(),
        "due_at": question.due_at.isoformat() if question.due_at else None,
        "duplicate_of": question.duplicate_of_id,
        "faq": question.faq is not None,
        "answers": [
            {"id": p.id, "accepted": p.accepted, "at": p.created_at.isoformat()}
            for p in question.answers
        ],
    }


def todo(viewer: Any) -> list[Item]:
    """What the account has to do next: moderators' waiting work, an asker's replies due."""
    items: list[Item] = []
    count = _count
    mine_answered = count(Question.asker_id == viewer.id, Question.state == "answered")
    if mine_answered:
        items.append(Item("Câu hỏi của tôi đã có câu trả lời: hãy chấp nhận hoặc hỏi thêm",
                          mine_answered, "/qa/?mine=1&state=answered"))
    mine_info = count(Question.asker_id == viewer.id, Question.state == "needs_info")
    if mine_info:
        items.append(Item("Câu hỏi của tôi cần bổ sung thông tin", mine_info,
                          "/qa/?mine=1&state=needs_info", urgent=True))
    if is_moderator(viewer):
        now = utcnow()
        waiting = Question.state.in_(states.WAITING)
        overdue = count(waiting, Question.due_at < now)
        if overdue:
            items.append(Item("Câu hỏi đã quá hạn trả lời", overdue, "/qa/queue", urgent=True))
        assigned = count(waiting, Question.assignee_id == viewer.id)
        if assigned:
            items.append(Item("Câu hỏi được giao cho tôi đang chờ trả lời", assigned,
                              "/qa/queue?assignee=me"))
        unassigned = count(Question.state == "new", Question.assignee_id.is_(None))
        if unassigned:
            items.append(Item("Câu hỏi mới chưa có người nhận", unassigned,
                              "/qa/queue?assignee=none"))
        reviews = db.session.scalar(select(func.count()).select_from(Faq).where(
            Faq.review_needed_at.is_not(None))) or 0
        if reviews:
            items.append(Item("Mục hỏi đáp thường gặp cần rà soát", reviews, "/qa/queue"))
    return items


def _count(*conditions: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Question).where(*conditions)) or 0
