"""Pages record what they showed: one event per page sent, none for a HEAD request."""

from __future__ import annotations

from helpers import login, make_user
from sqlalchemy import select
from tracking_content import DOCUMENT_URL, LESSON_URL, load_sample

from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.lessons.models import Lesson
from cchc_learn.tracking.models import AccessEvent


def stored(app) -> list[tuple]:
    with app.app_context():
        return [
            (e.object_type, e.object_id, e.version, e.action)
            for e in db.session.scalars(select(AccessEvent).order_by(AccessEvent.id))
        ]


def test_a_get_is_recorded_with_the_version_and_a_head_is_not(app, client):
    load_sample(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    assert client.head(DOCUMENT_URL).status_code == 200
    assert client.head(LESSON_URL).status_code == 200
    assert stored(app) == []
    assert client.get(DOCUMENT_URL).status_code == 200
    assert client.get(LESSON_URL).status_code == 200
    with app.app_context():
        doc = db.session.scalar(select(Document.id))
        lesson = db.session.scalar(select(Lesson.id))
    assert stored(app) == [("document", doc, 1, "view"), ("lesson", lesson, 1, "view")]
