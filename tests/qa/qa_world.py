"""A small Q&A world for the tests: units, officials, moderators, documents, and shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from typing import Any

from helpers import make_unit, make_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.notify.models import Notification
from cchc_learn.qa import service
from cchc_learn.qa.models import Event, Post, Question
from cchc_learn.search import indexer
from cchc_learn.textnorm import number_key

OFFICIALS = ("hocvien", "hocvien2")
MODERATORS = ("giaidap", "giaidap2")


def build(app) -> dict[str, int]:
    """Units TINH > SNV, XA; two officials in XA, two moderators in SNV; return account ids."""
    make_unit(app, "TINH", "UBND tỉnh Thử nghiệm", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    ids = {name: make_user(app, name, unit="XA", full_name=f"Cán bộ {name}")
           for name in OFFICIALS}
    ids.update({name: make_user(app, name, roles=("moderator",), unit="SNV",
                                full_name=f"Người giải đáp {name}") for name in MODERATORS})
    return ids


def run(app, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a service in its own request-less unit of work; return the id of what it made."""
    with app.app_context():
        declare_write()
        try:
            result = func(*args, **kwargs)
            return getattr(result, "id", result)
        finally:
            declare_write(False)


def ask(app, asker_id: int, title: str = "Cách chấm điểm tự đánh giá PAR-INDEX?",
        body: str = "Xin hướng dẫn.", topics=("PAR-INDEX",), **kwargs: Any) -> int:
    """Ask a question through the service; return its id."""
    return run(app, service.ask, asker_id, title, body, list(topics), **kwargs)


def read(app, func: Callable[..., Any]) -> Any:
    """Read something from the database in an app context."""
    with app.app_context():
        try:
            return func()
        finally:
            db.session.rollback()


def question(app, question_id: int) -> dict[str, Any]:
    """A question's stored columns, as plain values."""
    def load():
        q = db.session.get(Question, question_id)
        return {c.name: getattr(q, c.name) for c in Question.__table__.columns} | {
            "topics": q.topics, "faq": q.faq is not None}
    return read(app, load)


def events(app, question_id: int) -> list[tuple]:
    """(action, from, to, actor id, reason) of a question's events, in order."""
    return read(app, lambda: [
        (e.action, e.from_state, e.to_state, e.actor_id, e.reason)
        for e in db.session.scalars(
            select(Event).where(Event.question_id == question_id).order_by(Event.id))])


def posts(app, question_id: int) -> list[tuple]:
    """(kind, body, accepted) of a question's posts, in order."""
    return read(app, lambda: [
        (p.kind, p.body_md, p.accepted)
        for p in db.session.scalars(
            select(Post).where(Post.question_id == question_id).order_by(Post.id))])


def notices(app, user_id: int) -> list[tuple[str, str, str]]:
    """(kind, message, url) of an account's notifications, oldest first."""
    return read(app, lambda: [
        (n.kind, n.message, n.url)
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.id))])


def count(app, model) -> int:
    """Rows of a model."""
    return read(app, lambda: db.session.scalar(select(db.func.count()).select_from(model)))


def make_document(app, number: str = "4599/QĐ-UBND", *, slug: str | None = None,
                  summary: str = "Đề án tăng cường năng lực đội ngũ cán bộ làm công tác CCHC",
                  replaced_by: str | None = None, doc_type: str = "Quyết định") -> int:
    """A live document (no revision needed for these tests); return its id."""
    with app.app_context():
        declare_write()
        doc = Document(
            slug=slug or number.lower().replace("/", "-").replace("đ", "d").replace("Đ", "d"),
            number=number, number_key=number_key(number), doc_type=doc_type,
            issuer="UBND tỉnh", issued=date(2022, 12, 30), summary=summary,
            status="replaced" if replaced_by else "in_force", replaced_by=replaced_by,
            body_md="Nội dung", body_html="<p>Nội dung</p>")
        db.session.add(doc)
        db.session.commit()
        declare_write(False)
        return doc.id


def build_index(app) -> None:
    """Build this test's search index from the database."""
    with app.app_context():
        indexer.rebuild()


def catch_up(app) -> None:
    """Apply logged changes to the index (requests do it after answering)."""
    with app.app_context():
        indexer.catch_up(wait=True)


class _FormReader(HTMLParser):
    """The fields a browser would send from the form posting to one action."""

    def __init__(self, action: str, here: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.here, self.inside, self.found = action, here, False, False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        # A form without an action posts to the page's own path.
        if tag == "form" and a.get("action", self.here) == self.action and not self.found:
            self.inside = self.found = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox", "radio"):
            self.fields.append((name, a.get("value") or ""))
        elif tag == "input" and name and "checked" in a:
            self.fields.append((name, a.get("value") or "on"))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def submit(client, page, to: str, **changes: str):
    """Post the page's form whose action is `to`, as a browser would (fields changed or added;
    a clicked button's name and value are given as a change)."""
    reader = _FormReader(to, page.request.path)
    reader.feed(page.get_data(as_text=True))
    assert reader.found, f"no form posts to {to}"
    fields = [(k, v) for k, v in reader.fields if k not in changes] + list(changes.items())
    return client.post(to, data=MultiDict(fields))
