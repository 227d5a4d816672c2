"""The one writer of access events, and the queries reports read them through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpers import make_user
from sqlalchemy import func, inspect, select

from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.tracking import events
from cchc_learn.tracking.events import ATTACHMENT, DOCUMENT, LESSON, Ref
from cchc_learn.tracking.models import AccessEvent

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def reading(app):
    """An app context whose unit of work only reads, as a page view's does."""
    declare_write(False)  # the factories leave their write intent behind
    return app.app_context()


def stored(app) -> list[tuple]:
    with app.app_context():
        return [
            (e.user_id, e.object_type, e.object_id, e.version, e.action)
            for e in db.session.scalars(select(AccessEvent).order_by(AccessEvent.id))
        ]


def test_a_view_is_committed_before_record_returns_and_nothing_loaded_is_expired(app):
    uid = make_user(app)
    with reading(app):
        user = db.session.get(User, uid)
        events.record(uid, events.document_view(7, 2))
        with db.engine.connect() as other:  # another connection sees it: it is committed
            assert other.scalar(select(func.count()).select_from(AccessEvent)) == 1
        # The page's objects stay loaded: headers and templates read them without a query.
        assert inspect(user).expired_attributes == set()
    assert stored(app) == [(uid, "document", 7, 2, "view")]


def test_a_completion_joins_the_unit_of_work_that_writes_all_or_nothing(app):
    uid = make_user(app)
    with app.app_context():
        declare_write()
        events.record(uid, events.lesson_completion(3, 1))
        db.session.rollback()
        declare_write(False)
    assert stored(app) == []
    with app.app_context():
        declare_write()
        events.record(uid, events.lesson_completion(3, 1))
        events.record(uid, events.attachment_download(5, 4))
        db.session.commit()
        declare_write(False)
    assert stored(app) == [(uid, "lesson", 3, 1, "complete"), (uid, "attachment", 5, 4, "download")]


def test_accessed_counts_views_and_downloads_in_the_period_with_the_version(app):
    a, b, c, d = (make_user(app, name) for name in ("cb1", "cb2", "cb3", "cb4"))
    with reading(app):
        events.record(a, events.document_view(1, 1), at=T0)  # the start is included
        events.record(a, events.document_view(1, 1), at=T0 + HOUR)  # seen again: first stays
        events.record(a, events.document_view(1, 2), at=T0 + 2 * DAY)  # a new version
        events.record(b, events.attachment_download(5, 2), at=T0 + DAY)
        events.record(b, events.lesson_completion(1, 1), at=T0)  # a completion is no access
        events.record(c, events.lesson_view(1, 3), at=T0 + 3 * DAY)  # the end is excluded
        events.record(c, events.document_view(2, 1), at=T0)  # not asked about
        events.record(d, events.document_view(1, 1), at=T0)  # not among the officials
        found = events.accessed(
            [c, b, a], [Ref(DOCUMENT, 1), Ref(ATTACHMENT, 5), Ref(LESSON, 1)], T0, T0 + 3 * DAY
        )
    assert [(r.user_id, r.ref, r.version, r.first_at) for r in found] == [
        (a, Ref(DOCUMENT, 1), 1, T0),
        (a, Ref(DOCUMENT, 1), 2, T0 + 2 * DAY),
        (b, Ref(ATTACHMENT, 5), 2, T0 + DAY),
    ]
    with reading(app):
        assert [r.user_id for r in events.accessed([a, c], [Ref(LESSON, 1)])] == [c]
        assert events.accessed([], [Ref(DOCUMENT, 1)]) == []
        assert events.accessed([a], []) == []


def test_completed_counts_only_completions(app):
    a, b = make_user(app, "cb1"), make_user(app, "cb2")
    with reading(app):
        events.record(a, events.lesson_view(1, 1), at=T0)
        events.record(a, events.lesson_completion(1, 1), at=T0 + HOUR)
        events.record(b, events.lesson_completion(2, 4), at=T0 + DAY)
        found = events.completed([a, b], [1, 2], start=T0)
        assert events.completed([a, b], [1, 2], end=T0 + HOUR) == []
    assert [(r.user_id, r.ref, r.version, r.first_at) for r in found] == [
        (a, Ref(LESSON, 1), 1, T0 + HOUR),
        (b, Ref(LESSON, 2), 4, T0 + DAY),
    ]
