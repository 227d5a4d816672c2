"""A lesson page's lessons, kept by a worker, follow every save; completions are always fresh."""

from __future__ import annotations

from helpers import login, make_user, page_text, post
from lesson_tree import content_root, sync, write_tree
from test_lessons_citations import BASE, WEB_LESSON

from cchc_learn import create_app
from cchc_learn.extensions import db

URL = "/modules/soan-thao/the-thuc"


def _web_module(app, client) -> None:
    write_tree(content_root(app), modules={})
    sync(app)
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    post(client, app, f"{BASE}/new", {"title": "Soạn thảo văn bản", "slug": "soan-thao",
                                      "summary": "Thể thức.", "topics": "", "order": "3",
                                      "audience": ["commune"], "published": "y", "body": "",
                                      "action": "save"})  # fmt: skip
    post(client, app, f"{BASE}/soan-thao/lessons/new", WEB_LESSON)


def test_a_kept_lesson_page_shows_each_save_and_each_completion(app, client):
    _web_module(app, client)
    official = app.test_client()
    make_user(app, "hocvien")
    login(official, app, "hocvien")
    assert "Theo 4599/QĐ-UBND" in page_text(official.get(URL))

    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/edit",
         {**WEB_LESSON, "title": "Thể thức và kỹ thuật", "body": "Nội dung mới.\n"})  # fmt: skip
    page = page_text(official.get(URL))
    assert "Thể thức và kỹ thuật" in page and "Nội dung mới." in page

    post(official, app, f"{URL}/complete")
    assert "Đã hoàn thành ngày" in page_text(official.get(URL))

    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/publish", {"published": "0"})
    assert official.get(URL).status_code == 404


def test_another_worker_sees_a_lesson_saved_through_this_one(app, client):
    _web_module(app, client)
    other = create_app(dict(app.config))
    official = other.test_client()
    make_user(app, "hocvien")
    login(official, other, "hocvien")
    try:
        assert "Theo 4599/QĐ-UBND" in page_text(official.get(URL))
        post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/edit",
             {**WEB_LESSON, "body": "Bản sửa ở máy chủ khác.\n"})  # fmt: skip
        assert "Bản sửa ở máy chủ khác." in page_text(official.get(URL))
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
