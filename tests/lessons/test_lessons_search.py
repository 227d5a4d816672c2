"""Lessons in search and in the "cited by" list of the documents they link to."""

from __future__ import annotations

from helpers import login, make_user, page_text
from lesson_tree import MODULE_MD, MODULES, content_root, sync, write_tree
from sqlalchemy import select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.lessons.models import Module
from cchc_learn.search import indexer
from cchc_learn.search.models import log_change


def setup(app, client, modules=MODULES):
    write_tree(content_root(app), modules)
    sync(app)
    with app.app_context():
        indexer.rebuild()
    make_user(app, "hocvien")
    login(client, app, "hocvien")


def test_published_lessons_are_found_without_diacritics(app, client):
    setup(app, client)
    data = client.get("/api/v1/search?q=cai cach the che&kind=lesson").get_json()
    assert data["results"][0]["kind"] == "lesson"
    assert data["results"][0]["url"] == "/modules/tong-quan/cai-cach-la-gi"
    assert "Bài học" in page_text(client.get("/search?q=sáu nội dung"))


def test_unpublishing_a_module_removes_its_lessons_through_the_change_log(app, client):
    setup(app, client)
    with app.app_context():
        declare_write()
        module = db.session.scalar(select(Module).where(Module.slug == "tong-quan"))
        module.published = False
        log_change("module", module.id)
        db.session.commit()
    data = client.get("/api/v1/search?q=sau noi dung").get_json()
    assert [r for r in data["results"] if r["kind"] == "lesson"] == []


def test_document_page_lists_the_lessons_that_cite_it(app, client):
    setup(app, client)
    page = client.get("/kb/4599-qd-ubnd")
    text = page_text(page)
    assert "Được trích dẫn trong" in text
    assert "Tổng quan cải cách hành chính › Cải cách hành chính là gì" in text
    assert 'href="/modules/tong-quan/cai-cach-la-gi"' in page.get_data(as_text=True)


def test_a_module_only_citing_in_its_intro_is_not_a_lesson_citation(app, client):
    modules = {"tong-quan": {"module.md": MODULE_MD,
                             "01-a.md": "---\ntitle: A\nminutes: 5\nsummary: s\n---\nKhông "
                                        "trích dẫn văn bản nào.\n",
                             "assets/so-do.svg": MODULES["tong-quan"]["assets/so-do.svg"]}}
    setup(app, client, modules)
    assert "Được trích dẫn trong" not in page_text(client.get("/kb/4599-qd-ubnd"))
