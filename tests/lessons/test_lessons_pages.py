"""Studying: module list with progress, a module, a lesson, completion, images, access events."""

from __future__ import annotations

import re

from helpers import csrf_token, login, make_user, page_text, post
from lesson_tree import MODULES, PNG, content_root, count, sync, write_tree
from sqlalchemy import select

from cchc_learn.extensions import db
from cchc_learn.lessons.models import Lesson, LessonCompletion
from cchc_learn.lessons.service import lesson_url, module_url
from cchc_learn.tracking.models import AccessEvent

LESSON_URL = "/modules/tong-quan/cai-cach-la-gi"


def setup_site(app, client, username="hocvien", roles=("official",)):
    write_tree(content_root(app))
    sync(app)
    make_user(app, username, roles=roles)
    login(client, app, username)


def events(app) -> list[tuple]:
    with app.app_context():
        return [
            (e.object_type, e.action, e.version)
            for e in db.session.scalars(select(AccessEvent).order_by(AccessEvent.id))
        ]


def lesson_id(app, slug="cai-cach-la-gi") -> int:
    with app.app_context():
        return db.session.scalar(select(Lesson.id).where(Lesson.slug == slug))


def test_module_list_shows_each_module_with_the_officials_progress(app, client):
    setup_site(app, client)
    page = client.get("/modules/")
    text = page_text(page)
    assert page.status_code == 200
    assert "Tổng quan cải cách hành chính" in text
    assert "3 bài học · khoảng 45 phút" in text
    assert "Đã học 0/3 bài (0 %)" in text
    html = page.get_data(as_text=True)
    assert '<progress max="3" value="0"' in html
    # The menu entry leads here.
    assert re.search(r'<a href="/modules/"[^>]*>Chuyên đề</a>', html)


def test_module_page_lists_lessons_in_order_with_time_and_marks(app, client):
    setup_site(app, client)
    text = page_text(client.get("/modules/tong-quan/"))
    first = text.index("Cải cách hành chính là gì")
    second = text.index("Đề án tăng cường năng lực")
    third = text.index("Kinh nghiệm bồi dưỡng")
    assert first < second < third
    assert "Khoảng 15 phút" in text and "Khoảng 20 phút" in text
    assert "Dành cho Tỉnh, thành phố, Xã, phường, đặc khu" in text
    assert "Chưa hoàn thành" in text and "Đã hoàn thành" not in text


def test_lesson_page_has_toc_prev_next_and_rendered_links(app, client):
    setup_site(app, client)
    page = client.get("/modules/tong-quan/de-an-4599")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'rel="prev" href="/modules/tong-quan/cai-cach-la-gi"' in html
    assert 'rel="next" href="/modules/tong-quan/kinh-nghiem"' in html
    assert "Bài 2/3" in page_text(page)
    first = client.get(LESSON_URL).get_data(as_text=True)
    assert 'aria-label="Mục lục bài học"' in first and "Sáu nội dung" in first
    assert 'href="/kb/4599-qd-ubnd"' in first
    assert 'src="/modules/tong-quan/assets/so-do.svg"' in first
    assert "Hoàn thành bài học" in first


def test_completion_records_one_completion_and_one_event_and_changes_progress(app, client, clock):
    setup_site(app, client)
    client.get(LESSON_URL)
    response = post(client, app, LESSON_URL + "/complete")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LESSON_URL)
    page = client.get(LESSON_URL)
    assert "Đã hoàn thành ngày 02/03/2026" in page_text(page)
    assert "Hoàn thành bài học" not in page_text(page)
    first = lesson_id(app)
    with app.app_context():
        done = db.session.scalars(select(LessonCompletion)).all()
        assert [(c.lesson_id, c.lesson_version) for c in done] == [(first, 1)]
    assert events(app) == [("lesson", "view", 1), ("lesson", "complete", 1), ("lesson", "view", 1)]
    assert "Đã học 1/3 bài (33 %)" in page_text(client.get("/modules/"))
    module_text = page_text(client.get("/modules/tong-quan/"))
    assert "Đã hoàn thành 02/03/2026" in module_text and "Đã học 1/3 bài" in module_text


def test_completing_twice_keeps_one_completion_and_one_event(app, client):
    setup_site(app, client)
    post(client, app, LESSON_URL + "/complete")
    again = post(client, app, LESSON_URL + "/complete", follow_redirects=True)
    assert "đã được ghi nhận hoàn thành từ trước" in page_text(again)
    assert count(app, LessonCompletion) == 1
    assert [e for e in events(app) if e[1] == "complete"] == [("lesson", "complete", 1)]


def test_completion_needs_a_csrf_token_and_writes_nothing_without_it(app, client):
    setup_site(app, client)
    for data in ({}, {"csrf_token": "gia-mao"}):
        response = client.post(LESSON_URL + "/complete", data=data)
        assert response.status_code == 400
        assert "CSRF" in page_text(response)
    assert count(app, LessonCompletion) == 0 and count(app, AccessEvent) == 0


def test_each_officials_progress_is_their_own(app, client):
    setup_site(app, client)
    post(client, app, LESSON_URL + "/complete")
    other = app.test_client()
    make_user(app, "cb002")
    login(other, app, "cb002")
    assert "Đã học 0/3 bài" in page_text(other.get("/modules/"))
    assert "Đã học 1/3 bài" in page_text(client.get("/modules/"))


def test_views_are_recorded_with_the_version_but_not_failures_or_anonymous(app, client):
    setup_site(app, client)
    anonymous = app.test_client()
    assert anonymous.get(LESSON_URL).status_code == 302
    assert (
        anonymous.post(
            LESSON_URL + "/complete", data={"csrf_token": csrf_token(anonymous, app)}
        ).status_code
        == 302
    )
    assert client.get("/modules/tong-quan/khong-co-bai-nay").status_code == 404
    assert client.get("/modules/khong-co/cai-cach-la-gi").status_code == 404
    assert post(client, app, "/modules/tong-quan/khong-co/complete").status_code == 404
    assert events(app) == []
    client.get(LESSON_URL)
    first = lesson_id(app)
    with app.app_context():
        event = db.session.scalar(select(AccessEvent))
        assert (event.object_id, event.version, event.action) == (first, 1, "view")


def test_unpublished_lessons_and_modules_are_hidden_from_officials(app, client):
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    modules["tong-quan"]["03-kinh-nghiem.md"] = modules["tong-quan"]["03-kinh-nghiem.md"].replace(
        "minutes: 10", "minutes: 10\npublished: false"
    )
    modules["nhap"] = {
        "module.md": "---\ntitle: Nháp\nsummary: Chưa xong\ntopics: []\n"
        "order: 2\naudience: []\npublished: false\n---\n"
    }
    write_tree(content_root(app), modules)
    sync(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    assert "Đã học 0/2 bài" in page_text(client.get("/modules/"))
    assert "Nháp" not in page_text(client.get("/modules/"))
    assert client.get("/modules/nhap/").status_code == 404
    assert client.get("/modules/tong-quan/kinh-nghiem").status_code == 404
    assert 'rel="next"' not in client.get("/modules/tong-quan/de-an-4599").get_data(as_text=True)


def test_a_lesson_removed_from_the_files_leaves_the_pages_and_the_progress(app, client):
    setup_site(app, client)
    post(client, app, "/modules/tong-quan/kinh-nghiem/complete")
    assert "Đã học 1/3 bài" in page_text(client.get("/modules/"))
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    saved = modules["tong-quan"].pop("03-kinh-nghiem.md")
    write_tree(content_root(app), modules)
    sync(app)
    assert client.get("/modules/tong-quan/kinh-nghiem").status_code == 404
    assert "Đã học 0/2 bài" in page_text(client.get("/modules/"))
    modules["tong-quan"]["03-kinh-nghiem.md"] = saved
    write_tree(content_root(app), modules)
    sync(app)
    assert "Đã học 1/3 bài" in page_text(client.get("/modules/"))


def test_a_trainer_previews_drafts_and_nothing_is_recorded(app, client):
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    modules["tong-quan"]["03-kinh-nghiem.md"] = modules["tong-quan"]["03-kinh-nghiem.md"].replace(
        "minutes: 10", "minutes: 10\npublished: false"
    )
    write_tree(content_root(app), modules)
    sync(app)
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    page = client.get("/modules/tong-quan/kinh-nghiem")
    assert page.status_code == 200
    assert "Bản xem trước" in page_text(page) and "Hoàn thành bài học" not in page_text(page)
    assert events(app) == []
    assert post(client, app, "/modules/tong-quan/kinh-nghiem/complete").status_code == 404
    assert count(app, LessonCompletion) == 0


def test_module_images_are_served_as_images_only(app, client):
    setup_site(app, client)
    image = client.get("/modules/tong-quan/assets/so-do.svg")
    assert image.status_code == 200
    assert image.mimetype == "image/svg+xml"
    assert "sandbox" in image.headers["Content-Security-Policy"]
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.data.startswith(b"<svg")
    for bad in (
        "../module.md",
        "..%2Fmodule.md",
        "%2e%2e/%2e%2e/documents/4599-qd-ubnd.md",
        "so-do.SVG",
        "khong-co.png",
        "/etc/passwd",
        "so-do.svg/..",
    ):
        response = client.get(f"/modules/tong-quan/assets/{bad}", follow_redirects=True)
        assert response.status_code == 404, bad
    assert app.test_client().get("/modules/tong-quan/assets/so-do.svg").status_code == 302


def test_an_image_with_a_vietnamese_name_is_served_from_the_lesson_link(app, client):
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    files = modules["tong-quan"]
    files["assets/sơ đồ một cửa.png"] = PNG
    files["02-de-an-4599.md"] += "\n![Sơ đồ](<assets/sơ đồ một cửa.png>)\n"
    write_tree(content_root(app), modules)
    sync(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    html = client.get("/modules/tong-quan/de-an-4599").get_data(as_text=True)
    src = re.search(r'<img src="([^"]+)" alt="Sơ đồ"', html).group(1)
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == PNG


def test_lesson_page_works_on_phones_and_prints_cleanly(app, client):
    setup_site(app, client)
    html = client.get(LESSON_URL).get_data(as_text=True)
    assert 'name="viewport"' in html
    assert 'media="print"' in html
    assert 'class="lesson-pager"' in html and 'class="prose lesson-body"' in html
    response = client.get("/static/css/app.css")
    css = response.get_data(as_text=True)
    response.close()
    lessons_css = css[css.index("/* Lessons */") :]
    assert "@media print" in lessons_css and "@media (max-width" in lessons_css


def test_lesson_and_module_urls_lead_to_their_pages(app, client):
    setup_site(app, client)
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "de-an-4599"))
        urls = module_url(lesson.module), lesson_url(lesson)
    assert urls == ("/modules/tong-quan/", "/modules/tong-quan/de-an-4599")
    assert "Đề án tăng cường năng lực" in page_text(client.get(urls[1]))


def test_a_published_module_without_a_published_lesson_is_listed_to_authors_only(app, client):
    from cchc_learn.database import declare_write
    from cchc_learn.lessons import authoring

    setup_site(app, client)
    with app.app_context():
        declare_write()
        empty = authoring.ModuleInput(
            title="Chuyên đề đang soạn",
            summary="Chưa có bài nào công bố.",
            topics=[],
            order=9,
            audience=[],
            published=True,
            body="",
            slug="dang-soan",
        )
        authoring.create_module(empty, None)
    official = page_text(client.get("/modules/"))
    assert "Tổng quan cải cách hành chính" in official and "Chuyên đề đang soạn" not in official
    trainer = app.test_client()
    make_user(app, "giangvien", roles=("trainer",))
    login(trainer, app, "giangvien")
    assert "Chuyên đề đang soạn" in page_text(trainer.get("/modules/"))
