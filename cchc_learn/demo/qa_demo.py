"""Demo questions for the Q&A channel, from `qa_demo.yaml`, written through the Q&A services.

Every step of the file (asking, requests for information, answers, acceptances, the FAQ,
duplicates) is one call of the ordinary workflow, made with the clock standing at the step's
moment; all steps of all questions run in time order. So due times, histories, notifications,
the queue's colours and the report are what they would be had it all happened. A question
whose asker already asked one with the same title is left alone: loading twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click
import yaml
from sqlalchemy import select

from ..auth.models import User
from ..clock import LOCAL_TZ, travelling, utcnow
from ..database import transactional
from ..extensions import db
from ..kb.models import Document
from ..qa import faq, moderation, routing, service
from ..qa.models import Question
from ..qa.settings import setting
from ..qa.settings import topics as known_topics
from ..textnorm import number_key
from ..workdays.calendar import is_working_day, next_working_day, office_hours

DATA_FILE = Path(__file__).with_name("qa_demo.yaml")
FALLBACK_MODERATOR = "giaidap"


@dataclass
class Loaded:
    """What a load did."""

    added: int = 0
    present: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"Đã thêm {self.added} câu hỏi mẫu ({self.present} câu đã có từ trước)"
        if self.skipped:
            text += (f"; bỏ qua {len(self.skipped)} câu vì thiếu tài khoản: "
                     f"{', '.join(self.skipped)}")
        return text + "."


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    key: str = field(compare=False)
    action: str = field(compare=False)
    spec: dict[str, Any] = field(compare=False, default_factory=dict)


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    """The data file as plain values."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _workdays_back(day: date, count: int) -> date:
    for _ in range(count):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return day


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in str(hhmm).split(":"))
    return datetime.combine(day, time(hours, minutes), LOCAL_TZ)


def _near_due(now: datetime) -> datetime:
    """A moment to ask at whose due time is the next office end: as near due as it gets."""
    opens, closes, _cutoff = office_hours()
    local = now.astimezone(LOCAL_TZ)
    day = local.date()
    latest = (datetime.combine(day, closes) - timedelta(minutes=30)).time()
    if not is_working_day(day) or local.time() >= latest:
        day = next_working_day(day)
    asked = _workdays_back(day, int(setting("QA_ANSWER_DAYS")))
    return datetime.combine(asked, opens, LOCAL_TZ) + timedelta(minutes=5)


def _asked(spec: dict[str, Any], now: datetime) -> datetime:
    if "minutes_ago" in spec:
        return now - timedelta(minutes=int(spec["minutes_ago"]))
    if spec.get("near_due"):
        return _near_due(now)
    today = now.astimezone(LOCAL_TZ).date()
    return _at(_workdays_back(today, int(spec["workdays_ago"])), spec["at"])


def _after(previous: datetime, spec: dict[str, Any]) -> datetime:
    if "after_hours" in spec:
        return previous + timedelta(hours=float(spec["after_hours"]))
    if "after_days" in spec:
        return previous + timedelta(days=float(spec["after_days"]))
    day = previous.astimezone(LOCAL_TZ).date()
    for _ in range(int(spec["after_workdays"])):
        day = next_working_day(day)
    return _at(day, spec["at"])


def _timeline(questions: list[dict[str, Any]], now: datetime) -> list[_Step]:
    """Every step of every question at its moment, in time order (a question's own in order).

    A moment the file puts after now is moved back to just before it, keeping the order.
    """
    latest = now - timedelta(minutes=1)
    steps: list[_Step] = []

    def place(previous: datetime | None, wanted: datetime) -> datetime:
        moment = min(wanted, latest)
        return moment if previous is None else max(moment, previous + timedelta(seconds=1))

    for question in questions:
        moment = place(None, _asked(question["asked"], now))
        plan = [("ask", moment, question)]
        follow = [(name, question.get(name)) for name in (
            "needs_info", "reply", "answer", "accept", "on_behalf")]
        if question.get("duplicate_of"):
            follow.append(("duplicate", {"after_hours": 2}))
        for name, spec in follow:
            if not spec:
                continue
            moment = place(moment, _after(moment, spec))
            plan.append((name, moment, spec))
            if name == "answer" and question.get("faq") is not None:
                moment = place(moment, moment + timedelta(minutes=30))
                plan.append(("faq", moment, question))
        first = len(steps)
        steps.extend(_Step(at, first + i, question["key"], name, spec)
                     for i, (name, at, spec) in enumerate(plan))
    return sorted(steps)


class _Loader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.questions = {q["key"]: q for q in data["questions"]}
        self.routing: dict[str, list[str]] = data.get("routing", {})
        names = {q["asker"] for q in data["questions"]} | set(self.routing) | {
            q["recorded_by"] for q in data["questions"] if q.get("recorded_by")} | {
            FALLBACK_MODERATOR}
        self.users = {u.username: u for u in db.session.scalars(
            select(User).where(User.username.in_(sorted(names))))}
        self.ids: dict[str, int] = {}
        self.live_documents = set(db.session.scalars(
            select(Document.number_key).where(Document.archived.is_(False))))

    def user(self, username: str) -> User:
        return self.users[username]

    def add_rules(self) -> None:
        topics = set(known_topics())
        for username, wanted in self.routing.items():
            moderator = self.users.get(username)
            if moderator is None:
                continue
            for topic in wanted:
                if topic in topics:
                    routing.add_rule(moderator.id, topic, moderator.id)

    def moderator_for(self, question_id: int, spec: dict[str, Any]) -> int:
        if spec.get("by"):
            return self.user(spec["by"]).id
        assignee = db.session.get(Question, question_id).assignee_id
        return assignee or self.user(FALLBACK_MODERATOR).id

    def run(self, step: _Step) -> None:
        question = self.questions[step.key]
        if step.action == "ask":
            self.ids[step.key] = self.ask(question).id
            return
        qid = self.ids[step.key]
        asker = self.user(question["asker"]).id
        if step.action == "needs_info":
            service.request_info(qid, self.moderator_for(qid, step.spec), step.spec["body"])
        elif step.action == "reply":
            service.reply(qid, asker, step.spec["body"])
        elif step.action == "answer":
            service.answer(qid, self.moderator_for(qid, step.spec), step.spec["body"])
        elif step.action == "accept":
            service.accept(qid, asker, db.session.get(Question, qid).answers[-1].id)
        elif step.action == "on_behalf":
            service.accept_on_behalf(qid, self.moderator_for(qid, step.spec))
        elif step.action == "faq":
            cited = [n for n in question["faq"] if number_key(n) in self.live_documents]
            faq.promote_to_faq(qid, self.moderator_for(qid, question["answer"]), None, cited)
        elif step.action == "duplicate":
            original = self.ids[question["duplicate_of"]]
            moderation.mark_duplicate(qid, self.moderator_for(qid, {}), original,
                                      "Nội dung đã được trả lời ở câu hỏi gốc.")

    def ask(self, question: dict[str, Any]) -> Question:
        options = {"visibility": question.get("visibility", "public"),
                   "show_name": bool(question.get("show_name", False))}
        body = question.get("body", "")
        if question.get("channel"):
            return service.record_offline(
                self.user(question["recorded_by"]).id, question["asker"], question["title"],
                body, question["topics"], question["channel"], **options)
        return service.ask(self.user(question["asker"]).id, question["title"], body,
                           question["topics"], **options)


@transactional
def load(data: dict[str, Any] | None = None) -> Loaded:
    """Load the demo questions that are not there yet, as one unit of work."""
    data = data or read_data()
    loader = _Loader(data)
    loaded = Loaded()
    wanted = []
    for question in data["questions"]:
        people = [question["asker"], question.get("recorded_by")]
        if any(name and name not in loader.users for name in people):
            loaded.skipped.append(question["key"])
            continue
        existing = db.session.scalar(select(Question.id).where(
            Question.asker_id == loader.user(question["asker"]).id,
            Question.title == question["title"]))
        if existing is not None:
            loader.ids[question["key"]] = existing
            loaded.present += 1
        else:
            wanted.append(question)
    if FALLBACK_MODERATOR not in loader.users:
        loaded.skipped.extend(q["key"] for q in wanted)
        return loaded
    loader.add_rules()
    with travelling() as go:
        for step in _timeline(wanted, utcnow()):
            go(step.at)
            loader.run(step)
    loaded.added = len(wanted)
    return loaded


def quickstart_step() -> None:
    """Quickstart: load the demo questions and say how many."""
    click.echo(f"  {load()}")
