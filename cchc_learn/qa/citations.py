"""Answers that link to a knowledge-base document, and the stored links that find them."""

from __future__ import annotations

from sqlalchemy import event, exists, inspect, or_, select

from ..extensions import db
from ..kb.citations import Citation, cited_keys, citing, store
from ..kb.models import Document
from .models import Faq, Post, Question
from .workflow import question_url

KIND = "answer"

# Built once: it runs on every document page. Only questions every reader may open are listed.
_CITING = (
    select(Question.id, Question.title)
    .join(Post, Post.question_id == Question.id)
    .where(Post.id.in_(citing(KIND)), Question.state != "hidden",
           or_(Question.visibility == "public",
               exists().where(Faq.question_id == Question.id)))
    .distinct()
    .order_by(Question.id)
)  # fmt: skip


def answers_citing(doc: Document) -> list[Citation]:
    """Questions every reader may open whose answers have [[number]] for doc's number."""
    rows = db.session.connection().execute(_CITING, {"number_key": doc.number_key})
    return [Citation("Câu trả lời", title, question_url(qid)) for qid, title in rows]


def _keys(post: Post) -> set[str]:
    return cited_keys(post.body_md) if post.kind == "answer" else set()


@event.listens_for(Post, "after_insert")
def _store_new(_mapper, connection, post: Post) -> None:
    if post.kind == "answer":
        store(connection, KIND, post.id, _keys(post))


@event.listens_for(Post, "after_update")
def _store_changed(_mapper, connection, post: Post) -> None:
    if inspect(post).attrs.body_md.history.has_changes():
        store(connection, KIND, post.id, _keys(post))


@event.listens_for(Post, "after_delete")
def _forget(_mapper, connection, post: Post) -> None:
    store(connection, KIND, post.id, ())
