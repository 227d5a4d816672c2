"""Revisions (list, read, diff, restore) and export of a module as files sync reads back."""

from __future__ import annotations

import io
import unicodedata
import zipfile

from helpers import login, make_user, page_text, post
from hypothesis import given, settings
from hypothesis import strategies as st
from lesson_tree import MODULES, content_root, count, counts, problems, sync, write_tree
from sqlalchemy import select

from cchc_learn.content.frontmatter import parse_markdown
from cchc_learn.extensions import db
from cchc_learn.lessons import schema
from cchc_learn.lessons.models import Lesson, LessonRevision, Module, ModuleRevision
from cchc_learn.lessons.revisions import front_matter

BASE = "/authoring/modules"
LESSON = {
    "title": "Thể thức văn bản",
    "slug": "the-thuc",
    "minutes": "12",
    "summary": "",
    "published": "y",
    "body": "Dòng một.\nDòng hai.\n",
    "action": "save",
}


def web_module(app, client):
    make_user(app, "giangvien", roles=("trainer",), full_name="Lê Thị Hoa")
    login(client, app, "giangvien")
    post(
        client,
        app,
        f"{BASE}/new",
        {
            "title": "Soạn thảo văn bản",
            "slug": "soan-thao",
            "summary": "Thể thức văn bản.",
            "topics": "Văn thư",
            "order": "3",
            "audience": ["commune"],
            "published": "y",
            "body": "Giới thiệu: [[4599/QĐ-UBND]] chưa có.",
            "action": "save",
        },
    )
    post(client, app, f"{BASE}/soan-thao/lessons/new", LESSON)
    post(
        client,
        app,
        f"{BASE}/soan-thao/lessons/new",
        {**LESSON, "slug": "ky-thuat", "title": "Kỹ thuật trình bày", "published": ""},
    )


def revisions(app, slug="the-thuc") -> list[LessonRevision]:
    with app.app_context():
        rows = db.session.scalars(
            select(LessonRevision)
            .join(Lesson, Lesson.id == LessonRevision.lesson_id)
            .where(Lesson.slug == slug)
            .order_by(LessonRevision.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def lesson(app, slug="the-thuc") -> Lesson:
    with app.app_context():
        found = db.session.scalar(select(Lesson).where(Lesson.slug == slug))
        db.session.expunge(found)
        return found


def edit(app, client, body, message=""):
    return post(
        client,
        app,
        f"{BASE}/soan-thao/lessons/the-thuc/edit",
        {**LESSON, "body": body, "message": message},
    )


def test_each_save_is_a_revision_listed_with_author_time_and_message(app, client, clock):
    web_module(app, client)
    clock.advance(hours=2)
    edit(app, client, "Dòng một.\nDòng hai đã sửa.\n", "Sửa dòng hai")
    rows = revisions(app)
    assert [(r.version, r.message) for r in rows] == [(1, "Tạo bài học"), (2, "Sửa dòng hai")]
    text = page_text(client.get(f"{BASE}/soan-thao/lessons/the-thuc/revisions/"))
    assert "Sửa dòng hai" in text and "Lê Thị Hoa" in text
    assert "10:00 02/03/2026" in text and "08:00 02/03/2026" in text
    one = client.get(f"{BASE}/soan-thao/lessons/the-thuc/revisions/{rows[0].id}")
    assert "Dòng hai." in page_text(one) and "title: Thể thức văn bản" in page_text(one)


def test_the_diff_between_two_revisions_is_shown_escaped(app, client):
    web_module(app, client)
    edit(app, client, "Dòng một.\n<script>alert('x')</script>\n")
    first, second = revisions(app)
    page = client.get(f"{BASE}/soan-thao/lessons/the-thuc/revisions/?a={first.id}&b={second.id}")
    html = page.get_data(as_text=True)
    assert '<span class="lesson-diff-del">-Dòng hai.</span>' in html
    assert (
        '<span class="lesson-diff-add">+&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</span>'
    ) in html
    assert "<script>alert" not in html
    other = client.get(f"{BASE}/soan-thao/lessons/the-thuc/revisions/?a={first.id}&b=999999")
    assert "Hãy chọn hai phiên bản của bài học này để so sánh." in page_text(other)
    ky_thuat = revisions(app, "ky-thuat")[0]
    foreign = client.get(
        f"{BASE}/soan-thao/lessons/the-thuc/revisions/?a={ky_thuat.id}&b={second.id}"
    )
    assert "Hãy chọn hai phiên bản" in page_text(foreign)
    assert (
        client.get(f"{BASE}/soan-thao/lessons/the-thuc/revisions/{ky_thuat.id}").status_code == 404
    )


def test_restoring_a_revision_makes_a_new_revision_with_the_old_content(app, client):
    web_module(app, client)
    edit(app, client, "Nội dung mới hoàn toàn.\n", "Viết lại")
    first = revisions(app)[0]
    response = post(
        client,
        app,
        f"{BASE}/soan-thao/lessons/the-thuc/revisions/{first.id}/restore",
        follow_redirects=True,
    )
    assert "Đã khôi phục nội dung của phiên bản 1." in page_text(response)
    rows = revisions(app)
    assert [(r.version, r.message) for r in rows] == [
        (1, "Tạo bài học"),
        (2, "Viết lại"),
        (3, "Khôi phục phiên bản 1"),
    ]
    assert rows[2].body_md == rows[0].body_md and rows[2].author_id is not None
    restored = lesson(app)
    assert restored.version == 3 and restored.body_md == "Dòng một.\nDòng hai.\n"
    assert "Dòng hai." in restored.body_html
    again = post(
        client,
        app,
        f"{BASE}/soan-thao/lessons/the-thuc/revisions/{first.id}/restore",
        follow_redirects=True,
    )
    assert "Không có thay đổi nào để lưu." in page_text(again)
    assert len(revisions(app)) == 3


def test_restoring_keeps_the_lesson_and_module_published_as_they_are(app, client):
    web_module(app, client)
    draft = {**LESSON, "slug": "ky-thuat", "title": "Kỹ thuật trình bày", "published": ""}
    # ky-thuat: v1 a draft, v2 published with new text. Restoring v1 keeps it published.
    published = {**draft, "published": "y", "body": "Bản mới.\n"}
    post(client, app, f"{BASE}/soan-thao/lessons/ky-thuat/edit", published)
    first = revisions(app, "ky-thuat")[0]
    page = client.get(f"{BASE}/soan-thao/lessons/ky-thuat/revisions/")
    assert "Trạng thái xuất bản giữ nguyên" in page.get_data(as_text=True)
    post(client, app, f"{BASE}/soan-thao/lessons/ky-thuat/revisions/{first.id}/restore")
    restored = lesson(app, "ky-thuat")
    assert (restored.version, restored.published, restored.body_md) == (3, True, LESSON["body"])
    official = app.test_client()
    make_user(app, "hocvien")
    login(official, app, "hocvien")
    module_page = page_text(official.get("/modules/soan-thao/"))
    assert "Kỹ thuật trình bày" in module_page and "2 bài học" in module_page
    assert official.get("/modules/soan-thao/ky-thuat").status_code == 200
    # the-thuc: v1 published, v2 withdrawn. Restoring v1 keeps it a draft.
    withdrawn = {**LESSON, "published": "", "body": "Nháp.\n"}
    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/edit", withdrawn)
    first = revisions(app)[0]
    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/revisions/{first.id}/restore")
    assert (lesson(app).version, lesson(app).published) == (3, False)
    # A module withdrawn after v1 stays withdrawn when v1 is restored.
    hidden = {"title": "Soạn thảo", "summary": "Tóm tắt.", "order": "3", "action": "save"}
    post(client, app, f"{BASE}/soan-thao/edit", hidden)
    with app.app_context():
        first_module = db.session.scalar(select(ModuleRevision.id).order_by(ModuleRevision.id))
    post(client, app, f"{BASE}/soan-thao/revisions/{first_module}/restore")
    with app.app_context():
        module = db.session.scalar(select(Module))
        assert (module.title, module.version, module.published) == ("Soạn thảo văn bản", 3, False)


def test_module_revisions_restore_too(app, client):
    web_module(app, client)
    post(
        client,
        app,
        f"{BASE}/soan-thao/edit",
        {
            "title": "Tên mới",
            "summary": "Tóm tắt mới.",
            "topics": "",
            "order": "4",
            "audience": [],
            "body": "",
            "action": "save",
        },
    )
    with app.app_context():
        first = db.session.scalar(select(ModuleRevision).order_by(ModuleRevision.id))
        first_id = first.id
    diff = page_text(client.get(f"{BASE}/soan-thao/revisions/?a={first_id}&b={first_id + 1}"))
    assert "-title: Soạn thảo văn bản" in diff and "+title: Tên mới" in diff
    post(client, app, f"{BASE}/soan-thao/revisions/{first_id}/restore")
    with app.app_context():
        module = db.session.scalar(select(Module))
        assert (module.title, module.order, module.topics, module.version) == (
            "Soạn thảo văn bản",
            3,
            ["Văn thư"],
            3,
        )
    assert count(app, ModuleRevision) == 3


def test_restore_needs_csrf_and_the_trainer_role(app, client):
    web_module(app, client)
    first = revisions(app)[0]
    url = f"{BASE}/soan-thao/lessons/the-thuc/revisions/{first.id}/restore"
    assert client.post(url).status_code == 400
    official = app.test_client()
    make_user(app, "hocvien")
    login(official, app, "hocvien")
    assert post(official, app, url).status_code == 403
    assert len(revisions(app)) == 1


def unpack(data: bytes, root) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        archive.extractall(root / "modules")
    return names


def test_an_exported_web_module_syncs_back_as_the_same_lessons(app, client, tmp_path):
    web_module(app, client)
    post(client, app, f"{BASE}/soan-thao/lessons/ky-thuat/move", {"direction": "up"})
    before = {
        x.slug: (x.position, x.title, x.minutes, x.summary, x.published, x.body_md)
        for x in (lesson(app, "the-thuc"), lesson(app, "ky-thuat"))
    }
    response = client.get(f"{BASE}/soan-thao/export")
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="soan-thao.zip"'
    root = tmp_path / "content"
    write_tree(root, {}, documents={})
    assert unpack(response.data, root) == [
        "soan-thao/01-ky-thuat.md",
        "soan-thao/02-the-thuc.md",
        "soan-thao/module.md",
    ]
    # The module cites a document that does not exist: check says so, then we add it.
    assert problems(app, root) == [
        "content/modules/soan-thao/module.md:8: liên kết [[4599/QĐ-UBND]] không trỏ tới văn "
        "bản nào trong cơ sở dữ liệu văn bản"
    ]
    write_tree(
        root,
        {},
        documents={
            "4599.md": "---\nnumber: 4599/QĐ-UBND\ntype: Quyết định\n"
            "issuer: UBND tỉnh\nissued: 2022-12-30\n"
            "summary: Đề án\n---\n"
        },
    )
    unpack(response.data, root)
    assert problems(app, root) == []
    ids = {slug: lesson(app, slug).id for slug in before}
    result = sync(app, root)
    assert counts(result["Bài học"]) == (0, 2, 0, 0)
    assert counts(result["Chuyên đề"]) == (0, 1, 0, 0)
    after = {
        x.slug: (x.position, x.title, x.minutes, x.summary, x.published, x.body_md)
        for x in (lesson(app, "the-thuc"), lesson(app, "ky-thuat"))
    }
    assert after == before
    assert {slug: lesson(app, slug).id for slug in before} == ids
    assert lesson(app).source_path == "modules/soan-thao/02-the-thuc.md"
    assert revisions(app)[-1].message == (
        "Chuyển sang quản lý bằng tệp content/modules/soan-thao/02-the-thuc.md"
    )
    assert counts(sync(app, root)["Bài học"]) == (0, 0, 2, 0)


def test_an_exported_file_module_syncs_back_unchanged(app, client, tmp_path):
    write_tree(content_root(app))
    sync(app)
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    data = client.get(f"{BASE}/tong-quan/export").data
    root = write_tree(tmp_path / "ban-xuat" / "content", {})
    names = unpack(data, root)
    assert names == [
        "tong-quan/01-cai-cach-la-gi.md",
        "tong-quan/02-de-an-4599.md",
        "tong-quan/03-kinh-nghiem.md",
        "tong-quan/assets/so-do.svg",
        "tong-quan/module.md",
    ]
    for name, data in MODULES["tong-quan"].items():
        written = (root / "modules/tong-quan" / name).read_bytes()
        assert written == (data if isinstance(data, bytes) else data.encode()), name
    assert problems(app, root) == []
    result = sync(app, root)
    assert counts(result["Chuyên đề"]) == (0, 0, 1, 0)
    assert counts(result["Bài học"]) == (0, 0, 3, 0)


one_line = st.text(max_size=120).map(schema.clean_text)


@settings(max_examples=300, deadline=None)
@given(
    title=one_line.filter(bool),
    summary=one_line,
    topics=st.lists(one_line.filter(bool), max_size=5),
    order=st.integers(0, 9999),
    published=st.booleans(),
    body=st.text(max_size=400).map(schema.clean_body),
)
def test_exported_front_matter_reads_back_exactly(title, summary, topics, order, published, body):
    meta = {
        "title": title,
        "summary": summary,
        "topics": topics,
        "order": order,
        "audience": ["commune"],
        "published": published,
    }
    text = unicodedata.normalize("NFC", front_matter(meta) + body)
    parsed = parse_markdown(text, "module.md")
    assert parsed.meta == meta
    assert parsed.body == unicodedata.normalize("NFC", body)
