"""Authoring in the browser: forms, server-rendered preview, publish, reorder, hostile input."""

from __future__ import annotations

import html
import re

import pytest
from helpers import login, make_user, page_text, post
from lesson_tree import content_root, count, sync, write_tree
from sqlalchemy import select

from cchc_learn.extensions import db
from cchc_learn.lessons.models import Lesson, LessonRevision, Module, ModuleRevision
from cchc_learn.search.models import SearchChange
from cchc_learn.tracking.models import AccessEvent

BASE = "/authoring/modules"
MODULE_FORM = {
    "title": "Kỹ năng soạn thảo văn bản",
    "slug": "soan-thao",
    "summary": "Thể thức và kỹ thuật trình bày văn bản hành chính.",
    "topics": "Văn thư, Công vụ",
    "order": "7",
    "audience": ["commune", "department"],
    "body": "Giới thiệu chuyên đề.",
    "action": "save",
}
LESSON_FORM = {
    "title": "Thể thức văn bản",
    "slug": "the-thuc",
    "minutes": "12",
    "summary": "Các thành phần thể thức.",
    "published": "y",
    "body": "## Quốc hiệu\n\nCộng hòa xã hội chủ nghĩa Việt Nam.\n",
    "action": "save",
}


def trainer(app, client, username="giangvien"):
    make_user(app, username, roles=("trainer",), full_name="Giảng viên Lê Thị Hoa")
    login(client, app, username)


def create_module(app, client, **changes):
    return post(client, app, f"{BASE}/new", {**MODULE_FORM, **changes})


def create_lesson(app, client, **changes):
    return post(client, app, f"{BASE}/soan-thao/lessons/new", {**LESSON_FORM, **changes})


def stored_lesson(app, slug="the-thuc") -> Lesson:
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == slug))
        if lesson is not None:
            db.session.expunge(lesson)
        return lesson


def test_a_trainer_creates_a_module_and_a_lesson_each_with_a_revision(app, client):
    trainer(app, client)
    response = create_module(app, client)
    assert response.status_code == 302 and response.headers["Location"] == f"{BASE}/soan-thao/"
    response = create_lesson(app, client, published="y")
    assert response.headers["Location"] == f"{BASE}/soan-thao/lessons/the-thuc/edit"
    with app.app_context():
        module = db.session.scalar(select(Module))
        assert (module.slug, module.order, module.topics) == (
            "soan-thao",
            7,
            ["Văn thư", "Công vụ"],
        )
        assert module.audience == ["department", "commune"] or set(module.audience) == {
            "commune",
            "department",
        }
        assert module.source_path is None and module.published is False
        revision = db.session.scalar(select(LessonRevision))
        assert revision.message == "Tạo bài học" and revision.author.username == "giangvien"
    lesson = stored_lesson(app)
    assert (lesson.position, lesson.minutes, lesson.version) == (1, 12, 1)
    assert '<h2 id="quoc-hieu"' in lesson.body_html and "Quốc hiệu" in lesson.toc_html
    assert count(app, ModuleRevision) == 1 and count(app, SearchChange) == 2
    manage = page_text(client.get(f"{BASE}/soan-thao/"))
    assert "Thể thức văn bản" in manage and "Bản nháp — học viên chưa thấy" in manage


def test_preview_renders_on_the_server_and_writes_nothing(app, client):
    trainer(app, client)
    create_module(app, client)
    create_lesson(app, client)
    before = (count(app, LessonRevision), count(app, SearchChange), count(app, AccessEvent))
    page = post(
        client,
        app,
        f"{BASE}/soan-thao/lessons/the-thuc/edit",
        {
            **LESSON_FORM,
            "action": "preview",
            "body": "## Mục mới\n\nXem [[99/QĐ-KHONG]].\n\n<script>alert(1)</script>",
        },
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Xem trước (chưa lưu)" in html and '<h2 id="muc-moi"' in html
    assert "Dòng 3: liên kết [[99/QĐ-KHONG]] chưa trỏ tới văn bản nào" in page_text(page)
    assert "<script>alert(1)</script>" not in html
    assert (count(app, LessonRevision), count(app, SearchChange), count(app, AccessEvent)) == before
    assert "Mục mới" not in stored_lesson(app).body_md


def test_saving_unchanged_content_makes_no_revision(app, client):
    trainer(app, client)
    create_module(app, client)
    create_lesson(app, client)
    again = post(
        client, app, f"{BASE}/soan-thao/lessons/the-thuc/edit", LESSON_FORM, follow_redirects=True
    )
    assert "Không có thay đổi nào để lưu." in page_text(again)
    assert count(app, LessonRevision) == 1 and stored_lesson(app).version == 1


def test_publishing_shows_the_lesson_to_officials(app, client):
    trainer(app, client)
    create_module(app, client)
    create_lesson(app, client)
    official = app.test_client()
    make_user(app, "hocvien")
    login(official, app, "hocvien")
    assert official.get("/modules/soan-thao/the-thuc").status_code == 404
    post(client, app, f"{BASE}/soan-thao/publish", {"published": "1"})
    assert official.get("/modules/soan-thao/the-thuc").status_code == 200
    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/publish", {"published": "0"})
    assert official.get("/modules/soan-thao/the-thuc").status_code == 404
    with app.app_context():
        messages = [
            r.message
            for r in db.session.scalars(select(ModuleRevision).order_by(ModuleRevision.id))
        ]
        assert messages == ["Tạo chuyên đề", "Công bố chuyên đề"]
    assert stored_lesson(app).version == 2


def test_lessons_are_reordered_with_up_and_down(app, client):
    trainer(app, client)
    create_module(app, client)
    for slug in ("mot", "hai", "ba"):
        create_lesson(app, client, slug=slug, title=f"Bài {slug}")
    post(client, app, f"{BASE}/soan-thao/lessons/ba/move", {"direction": "up"})
    post(client, app, f"{BASE}/soan-thao/lessons/mot/move", {"direction": "up"})  # already first
    with app.app_context():
        order = db.session.scalars(select(Lesson.slug).order_by(Lesson.position)).all()
    assert order == ["mot", "ba", "hai"]
    text = page_text(client.get(f"{BASE}/soan-thao/")).split("Thao tác", 1)[1]
    assert text.index("Bài mot") < text.index("Bài ba") < text.index("Bài hai")
    assert stored_lesson(app, "ba").version == 2 and stored_lesson(app, "mot").version == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * 201}, "Tên bài học: tối đa 200 ký tự."),
        ({"title": "   "}, "Nhập tên bài học."),
        ({"slug": "Bài-Một"}, "Mã bài học: chỉ gồm chữ thường không dấu"),
        ({"slug": "../../etc"}, "Mã bài học: chỉ gồm chữ thường không dấu"),
        ({"slug": "a" * 81}, "Mã bài học: tối đa 80 ký tự."),
        ({"minutes": "mười"}, "Thời lượng phải là một số nguyên (số phút)."),
        ({"minutes": "0"}, "Thời lượng: từ 1 đến 600 phút."),
        ({"minutes": "99999999999999999999"}, "Thời lượng: từ 1 đến 600 phút."),
        ({"body": "x" * 200_001}, "Nội dung: tối đa 200.000 ký tự"),
    ],
)
def test_bad_lesson_input_is_refused_with_a_vietnamese_message(app, client, changes, message):
    trainer(app, client)
    create_module(app, client)
    response = create_lesson(app, client, **changes)
    assert response.status_code == 200
    assert message in page_text(response)
    assert count(app, Lesson) == 0


def test_bad_module_input_is_refused(app, client):
    trainer(app, client)
    for changes, message in [
        ({"slug": "Có Dấu"}, "Mã chuyên đề: chỉ gồm chữ thường không dấu"),
        ({"order": "-1"}, "Thứ tự: từ 0 đến 9999."),
        ({"audience": ["huyen"]}, "Cấp đơn vị không hợp lệ."),
        ({"topics": ",".join(["chủ đề"] * 21)}, "Chủ đề: tối đa 20 chủ đề"),
        ({"summary": ""}, "Nhập tóm tắt chuyên đề."),
    ]:
        response = create_module(app, client, **changes)
        assert message in page_text(response), changes
    create_module(app, client)
    taken = create_module(app, client, title="Khác")
    assert "Mã chuyên đề 'soan-thao' đã được dùng; hãy chọn mã khác." in html.unescape(
        page_text(taken)
    )
    assert count(app, Module) == 1


def test_a_blank_slug_is_made_from_the_title(app, client):
    trainer(app, client)
    create_module(app, client, slug="", title="Đánh giá, xếp loại CCHC")
    assert count(app, Module, Module.slug == "danh-gia-xep-loai-cchc") == 1


def test_hostile_markdown_is_stored_sanitized(app, client):
    trainer(app, client)
    create_module(app, client)
    body = (
        "<script>alert('x')</script>\n\n[bấm](javascript:alert(1))\n\n"
        "<img src=x onerror=alert(1)>\n\n[x](//evil.example/a)\n\n"
        "![a](data:image/png;base64,AA)\n\n\u202e\u0000đặc biệt\n"
    )
    create_lesson(app, client, body=body, title="<b>Tiêu đề</b>\u0000")
    lesson = stored_lesson(app)
    assert lesson.title == "<b>Tiêu đề</b>"
    for bad in ("<script", 'href="javascript', 'href="//evil', 'src="data:'):
        assert bad not in lesson.body_html, bad
    assert not re.search(r"<[^>]*\son\w+\s*=", lesson.body_html)
    assert "\x00" not in lesson.body_md
    page = client.get(f"{BASE}/soan-thao/lessons/the-thuc/edit")
    assert "<b>Tiêu đề</b>" not in page.get_data(as_text=True)


def test_a_200_kb_body_of_stray_brackets_is_saved_as_text(app, client):
    trainer(app, client)
    create_module(app, client)
    body = "[" * 70_000 + "<a" * 35_000 + "&#" * 30_000
    response = create_lesson(app, client, body=body)
    assert response.status_code == 302
    lesson = stored_lesson(app)
    assert len(lesson.body_md) == len(body)
    assert lesson.body_html.count("&lt;a") == 35_000


@pytest.mark.parametrize("action", ["save", "preview"])
def test_a_body_that_is_all_markup_is_refused_and_nothing_is_written(app, client, action):
    trainer(app, client)
    create_module(app, client)
    create_lesson(app, client)
    before = (count(app, Lesson), count(app, LessonRevision), count(app, SearchChange))
    response = post(
        client,
        app,
        f"{BASE}/soan-thao/lessons/the-thuc/edit",
        {**LESSON_FORM, "action": action, "body": "*a_" * 60_000},
    )
    assert response.status_code == 200
    assert "Nội dung có quá nhiều thành phần Markdown" in page_text(response)
    assert "hơn 20.000 thành phần" in page_text(response)
    assert (count(app, Lesson), count(app, LessonRevision), count(app, SearchChange)) == before
    assert stored_lesson(app).body_md == LESSON_FORM["body"]


def test_file_sourced_content_is_read_only_and_names_its_file(app, client):
    write_tree(content_root(app))
    sync(app)
    trainer(app, client)
    page = client.get(f"{BASE}/tong-quan/lessons/cai-cach-la-gi/edit")
    assert page.status_code == 200
    assert (
        "Nội dung này được quản lý bằng tệp content/modules/tong-quan/01-cai-cach-la-gi.md"
        in page_text(page)
    )
    assert "<textarea" not in page.get_data(as_text=True)
    module_page = page_text(client.get(f"{BASE}/tong-quan/edit"))
    assert "Nội dung này được quản lý bằng tệp content/modules/tong-quan/module.md" in module_page
    for url, data in [
        (f"{BASE}/tong-quan/lessons/cai-cach-la-gi/edit", LESSON_FORM),
        (f"{BASE}/tong-quan/edit", MODULE_FORM),
        (f"{BASE}/tong-quan/lessons/new", LESSON_FORM),
        (f"{BASE}/tong-quan/publish", {"published": "0"}),
        (f"{BASE}/tong-quan/lessons/cai-cach-la-gi/move", {"direction": "down"}),
        (f"{BASE}/tong-quan/lessons/cai-cach-la-gi/publish", {"published": "0"}),
    ]:
        response = post(client, app, url, data, follow_redirects=True)
        assert "không sửa được trên trình duyệt" in page_text(response), url
    assert count(app, LessonRevision) == 3 and count(app, ModuleRevision) == 1


def test_officials_cannot_reach_the_authoring_pages(app, client):
    write_tree(content_root(app))
    sync(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    for url in (
        f"{BASE}/",
        f"{BASE}/new",
        f"{BASE}/tong-quan/",
        f"{BASE}/tong-quan/edit",
        f"{BASE}/tong-quan/export",
        f"{BASE}/tong-quan/revisions/",
        f"{BASE}/tong-quan/lessons/cai-cach-la-gi/edit",
        f"{BASE}/tong-quan/lessons/cai-cach-la-gi/revisions/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền truy cập" in page_text(response)
    assert post(client, app, f"{BASE}/new", MODULE_FORM).status_code == 403
    assert count(app, Module) == 1
    assert "Soạn thảo chuyên đề" not in page_text(client.get("/modules/"))
