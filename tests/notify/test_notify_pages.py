"""/notifications and the header's unread count, through the real pages."""

from __future__ import annotations

import re

import pytest
from helpers import login, make_user, page_text, post
from sqlalchemy import event, select

from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.notify import service
from cchc_learn.notify.models import Notification


def add_notices(app, user_id: int, messages: list[str]) -> list[int]:
    with app.app_context():
        declare_write()
        user = db.session.get(User, user_id)
        for i, message in enumerate(messages):
            service.notify(user, "qa.answered", message, f"/qa/{i + 1}", email=False)
        db.session.commit()
        mine = select(Notification.id).where(Notification.user_id == user_id)
        return list(db.session.scalars(mine.order_by(Notification.id)))


def read_flags(app, ids: list[int]) -> list[bool]:
    with app.app_context():
        return [db.session.get(Notification, i).read_at is not None for i in ids]


@pytest.fixture
def two_users(app):
    mine = make_user(app, "hocvien")
    theirs = make_user(app, "nguoikhac")
    client = app.test_client()
    login(client, app, "hocvien")
    return client, mine, theirs


def badge(html: str) -> str | None:
    found = re.search(r'class="badge badge-count"[^>]*>([^<]*)<', html)
    return found.group(1) if found else None


def test_the_list_shows_only_my_notices_newest_first(app, two_users, clock):
    client, mine, theirs = two_users
    add_notices(app, mine, ["Câu hỏi cũ đã có trả lời"])
    clock.advance(hours=2)
    add_notices(app, mine, ["Câu hỏi mới đã có trả lời"])
    add_notices(app, theirs, ["Bí mật của người khác"])
    response = client.get("/notifications/")
    text = page_text(response)
    assert text.index("Câu hỏi mới") < text.index("Câu hỏi cũ")
    assert "Bí mật của người khác" not in text
    # FakeClock starts 01:00 UTC on 02/03/2026: 08:00 in Vietnam, then 10:00.
    assert "10:00 02/03/2026" in text and "08:00 02/03/2026" in text
    html = response.get_data(as_text=True)
    assert html.count("notice-unread") == 2 and 'href="/qa/1"' in html
    assert "2 thông báo chưa đọc" in text


def test_the_header_shows_the_unread_count_with_one_count_query(app, two_users):
    client, mine, _theirs = two_users
    assert badge(client.get("/kb/").get_data(as_text=True)) is None
    add_notices(app, mine, ["Một", "Hai", "Ba"])
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get("/kb/")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert badge(response.get_data(as_text=True)) == "3"
    assert "Thông báo: 3 chưa đọc" in page_text(response)
    touching = [s for s in statements if "notification" in s]
    assert len(touching) == 1 and "count(" in touching[0].lower()


def test_marking_one_and_all_read(app, two_users):
    client, mine, theirs = two_users
    ids = add_notices(app, mine, ["Một", "Hai", "Ba"])
    other = add_notices(app, theirs, ["Của người khác"])
    response = post(client, app, "/notifications/read", {"id": str(ids[0])}, follow_redirects=True)
    assert "Đã đánh dấu 1 thông báo là đã đọc." in page_text(response)
    assert read_flags(app, ids) == [True, False, False]
    assert badge(response.get_data(as_text=True)) == "2"
    # Someone else's notice cannot be marked through my session.
    post(client, app, "/notifications/read", {"id": str(other[0])})
    assert read_flags(app, other) == [False]
    response = post(client, app, "/notifications/read", {"all": "1"}, follow_redirects=True)
    assert read_flags(app, ids) == [True, True, True]
    assert read_flags(app, other) == [False]
    assert badge(response.get_data(as_text=True)) is None


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 40, "\x00", "", "٣"])
def test_odd_ids_change_nothing(app, two_users, value):
    client, mine, _ = two_users
    ids = add_notices(app, mine, ["Một"])
    response = post(client, app, "/notifications/read", {"id": value})
    assert response.status_code == 302
    assert read_flags(app, ids) == [False]


def test_marking_read_needs_csrf_and_a_signed_in_user(app, two_users):
    client, mine, _ = two_users
    ids = add_notices(app, mine, ["Một"])
    assert client.post("/notifications/read", data={"all": "1"}).status_code == 400
    anonymous = app.test_client()
    assert anonymous.get("/notifications/").status_code in (302, 401)
    assert read_flags(app, ids) == [False]


def test_unread_count_and_paging_in_the_service(app):
    user_id = make_user(app, "hocvien")
    add_notices(app, user_id, [f"Thông báo {i}" for i in range(service.PER_PAGE + 5)])
    with app.app_context():
        assert service.unread_count(user_id) == service.PER_PAGE + 5
        first = service.list_for(user_id, 1)
        assert first.total == service.PER_PAGE + 5 and len(first.items) == service.PER_PAGE
        assert first.items[0].message == f"Thông báo {service.PER_PAGE + 4}"
        assert len(service.list_for(user_id, 2).items) == 5
        assert service.list_for(user_id, 99).items == []
        declare_write()
        assert service.mark_read(user_id, []) == 0
        assert service.mark_read(user_id, "all") == service.PER_PAGE + 5
        assert service.unread_count(user_id) == 0
