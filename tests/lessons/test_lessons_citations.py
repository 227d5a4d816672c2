"""A document page lists the lessons citing it, however a lesson or the document changes."""

from __future__ import annotations

import re

from helpers import login, make_user, post
from lesson_tree import (
    DOCUMENTS,
    LESSON_1,
    LESSON_2,
    MODULE_MD,
    MODULES,
    content_root,
    sync,
    write_tree,
)
from sqlalchemy import select

from cchc_learn.extensions import db
from cchc_learn.kb.models import Document, DocumentCitation, DocumentRevision
from cchc_learn.lessons.models import Lesson, LessonRevision

DOC = "/kb/4599-qd-ubnd"
MODULE = "Tổng quan cải cách hành chính"
FIRST = ("/modules/tong-quan/cai-cach-la-gi", f"{MODULE} › Cải cách hành chính là gì")
SECOND = ("/modules/tong-quan/de-an-4599", f"{MODULE} › Đề án tăng cường năng lực")
BASE = "/authoring/modules"
WEB_LESSON = {
    "title": "Thể thức văn bản",
    "slug": "the-thuc",
    "minutes": "12",
    "summary": "",
    "published": "y",
    "body": "Theo [[4599/QĐ-UBND]].\n",
    "action": "save",
}
WEB_DOC = {
    "number": "12/KH-SNV",
    "doc_type": "Kế hoạch",
    "issuer": "Sở Nội vụ",
    "issued": "2026-01-15",
    "status": "in_force",
    "replaced_by": "",
    "topics": "TTHC",
    "summary": "Kế hoạch bồi dưỡng CCHC năm 2026",
    "body": "Nội dung.",
    "message": "Bản đầu",
}


def cited(client, url: str = DOC) -> list[tuple[str, str]]:
    """The (link, title) pairs under "Được trích dẫn trong" on a document page."""
    page = client.get(url)
    assert page.status_code == 200
    parts = page.get_data(as_text=True).split('id="cite-h"', 1)
    if len(parts) == 1:
        return []
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', parts[1].split("</section>", 1)[0])


def stored(app, slug: str) -> set[str]:
    """The number keys stored for one lesson's links."""
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id).where(Lesson.slug == slug))
        return set(
            db.session.scalars(
                select(DocumentCitation.number_key).where(
                    DocumentCitation.source_kind == "lesson",
                    DocumentCitation.source_id == lesson_id,
                )
            )
        )


def official(app, client):
    make_user(app, "hocvien")
    login(client, app, "hocvien")


def tree(first: str = LESSON_1, second: str = LESSON_2, module: str = MODULE_MD) -> dict:
    files = dict(MODULES["tong-quan"])
    files.update({"module.md": module, "01-cai-cach-la-gi.md": first, "02-de-an-4599.md": second})
    if first is None:
        del files["01-cai-cach-la-gi.md"]
    return {"tong-quan": files}


def test_synced_lessons_are_listed_by_the_links_they_have_now(app, client):
    root = write_tree(content_root(app))
    sync(app)
    official(app, client)
    assert cited(client) == [FIRST]
    assert stored(app, "cai-cach-la-gi") == {"4599/qd-ubnd"}
    # The link moves to the second lesson, typed another way and with a label.
    write_tree(root, tree(first=LESSON_1.replace("[[4599/QĐ-UBND]]", "đề án"),
                          second=LESSON_2 + "\nXem [[4599/qđ-ubnd|đề án]].\n"))  # fmt: skip
    sync(app)
    assert cited(client) == [SECOND]
    assert stored(app, "cai-cach-la-gi") == set()
    assert stored(app, "de-an-4599") == {"4599/qd-ubnd"}


def test_archived_lessons_and_withdrawn_modules_are_not_listed_until_they_return(app, client):
    root = write_tree(content_root(app))
    sync(app)
    official(app, client)
    write_tree(root, tree(first=None))
    sync(app)  # the removed file's lesson is archived
    assert cited(client) == []
    write_tree(root, tree())
    sync(app)
    assert cited(client) == [FIRST]
    write_tree(root, tree(module=MODULE_MD.replace("order: 1", "order: 1\npublished: false")))
    sync(app)
    assert cited(client) == []


def test_lessons_saved_and_restored_in_the_browser_are_listed_by_their_text(app, client):
    write_tree(content_root(app), modules={})
    sync(app)
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    post(client, app, f"{BASE}/new", {"title": "Soạn thảo văn bản", "slug": "soan-thao",
                                      "summary": "Thể thức.", "topics": "", "order": "3",
                                      "audience": ["commune"], "published": "y", "body": "",
                                      "action": "save"})  # fmt: skip
    post(client, app, f"{BASE}/soan-thao/lessons/new", WEB_LESSON)
    web = ("/modules/soan-thao/the-thuc", "Soạn thảo văn bản › Thể thức văn bản")
    assert cited(client) == [web]
    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/edit",
         {**WEB_LESSON, "body": "Không còn liên kết.\n"})  # fmt: skip
    assert cited(client) == []
    with app.app_context():
        first = db.session.scalar(select(LessonRevision.id).order_by(LessonRevision.id))
    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/revisions/{first}/restore")
    assert cited(client) == [web]
    post(client, app, f"{BASE}/soan-thao/lessons/the-thuc/publish", {"published": "0"})
    assert cited(client) == []


def test_a_document_lists_the_lessons_citing_its_number_as_it_is_now(app, client):
    write_tree(content_root(app), modules={}, documents=DOCUMENTS)
    sync(app)
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    assert post(client, app, "/kb/new", WEB_DOC).status_code == 302
    citing = LESSON_2 + "\nTheo [[12/KH-SNV]].\n"
    write_tree(content_root(app), tree(second=citing), documents=DOCUMENTS)
    sync(app)
    assert cited(client, "/kb/12-kh-snv") == [SECOND]
    post(client, app, "/kb/12-kh-snv/edit", {**WEB_DOC, "number": "13/KH-SNV", "message": "Số"})
    assert cited(client, "/kb/12-kh-snv") == []
    with app.app_context():
        first = db.session.scalar(
            select(DocumentRevision.id).join(Document, Document.id == DocumentRevision.document_id)
            .where(Document.slug == "12-kh-snv").order_by(DocumentRevision.version)
        )  # fmt: skip
    post(client, app, f"/kb/12-kh-snv/revisions/{first}/restore")
    assert cited(client, "/kb/12-kh-snv") == [SECOND]
