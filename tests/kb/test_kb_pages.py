"""Documents synced from files: pages, filters, access events and the sync itself."""

from __future__ import annotations

from pathlib import Path

from helpers import login, make_user, page_text
from sqlalchemy import func, select

from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document, DocumentRevision
from cchc_learn.search.models import SearchChange
from cchc_learn.tracking.models import AccessEvent

DOCS = {
    "4599-qd-ubnd.md": """---
number: 4599/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh An Giang
issued: 2022-12-30
topics: [Đào tạo bồi dưỡng]
summary: Phê duyệt Đề án tăng cường năng lực đội ngũ làm công tác CCHC
---
## Mục tiêu

100 % cán bộ được tiếp cận tài liệu. Xem thêm [[61/2018/NĐ-CP]].
""",
    "61-2018-nd-cp.md": """---
number: 61/2018/NĐ-CP
type: Nghị định
issuer: Chính phủ
issued: 2018-04-23
status: replaced
replaced_by: 118/2025/NĐ-CP
topics: [Một cửa, TTHC]
summary: Về thực hiện cơ chế một cửa, một cửa liên thông
---
Nội dung <script>alert(1)</script> của nghị định.
""",
}


def write_content(app, docs=DOCS) -> Path:
    root = Path(app.config["CONTENT_DIR"])
    folder = root / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for name in folder.glob("*.md"):
        name.unlink()
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def sync(app):
    with app.app_context():
        declare_write()
        tree = load_tree(Path(app.config["CONTENT_DIR"]))
        assert tree.problems == []
        summary = sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))["Văn bản"]
        db.session.commit()
        return summary


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_sync_is_idempotent_and_logs_changes(app):
    write_content(app)
    first = sync(app)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    assert count(app, SearchChange) == 2
    second = sync(app)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    assert count(app, SearchChange) == 2 and count(app, DocumentRevision) == 2


def test_changed_file_is_a_new_version_and_removed_file_is_archived(app):
    write_content(app)
    sync(app)
    changed = dict(DOCS)
    changed["4599-qd-ubnd.md"] = DOCS["4599-qd-ubnd.md"].replace("100 %", "Một trăm phần trăm")
    del changed["61-2018-nd-cp.md"]
    changed["4599-qd-ubnd.md"] = changed["4599-qd-ubnd.md"].replace(
        " Xem thêm [[61/2018/NĐ-CP]].", ""
    )
    write_content(app, changed)
    summary = sync(app)
    assert (summary.updated, summary.archived) == (1, 1)
    with app.app_context():
        doc = db.session.scalar(select(Document).where(Document.slug == "4599-qd-ubnd"))
        assert doc.version == 2 and "Một trăm phần trăm" in doc.body_html
        old = db.session.scalar(select(Document).where(Document.slug == "61-2018-nd-cp"))
        assert old.archived is True


def test_broken_document_link_is_a_content_problem(app):
    docs = dict(DOCS)
    del docs["61-2018-nd-cp.md"]
    root = write_content(app, docs)
    with app.app_context():
        tree = load_tree(root)
    assert any(
        p.endswith(
            "liên kết [[61/2018/NĐ-CP]] không trỏ tới văn bản nào trong cơ sở dữ liệu văn bản"
        )
        and p.startswith("content/documents/4599-qd-ubnd.md:11:")
        for p in tree.problems
    )


def test_document_page_shows_metadata_safe_text_and_links(app, client):
    write_content(app)
    sync(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    page = client.get("/kb/4599-qd-ubnd")
    text = page_text(page)
    assert page.status_code == 200
    assert "Quyết định số 4599/QĐ-UBND" in text and "30/12/2022" in text
    assert 'href="/kb/61-2018-nd-cp"' in page.get_data(as_text=True)
    other = client.get("/kb/61-2018-nd-cp").get_data(as_text=True)
    assert "<script>alert" not in other
    assert "Đã được thay thế" in other and "118/2025/NĐ-CP" in other


def test_browse_filters_by_type_topic_and_year(app, client):
    write_content(app)
    sync(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    text = page_text(client.get("/kb/?type=Nghị định"))
    assert "61/2018/NĐ-CP" in text and "4599/QĐ-UBND" not in text
    text = page_text(client.get("/kb/?topic=Đào tạo bồi dưỡng&year=2022"))
    assert "4599/QĐ-UBND" in text and "Nghị định số 61/2018" not in text
    assert client.get("/kb/?year=abc&page=-5&sort=<x>").status_code == 200


def test_views_by_signed_in_users_are_recorded_once_each(app, client):
    write_content(app)
    sync(app)
    make_user(app, "hocvien")
    assert client.get("/kb/4599-qd-ubnd").status_code == 302  # anonymous: sign in first
    login(client, app, "hocvien")
    client.get("/kb/4599-qd-ubnd")
    client.get("/kb/khong-co-van-ban-nay")
    with app.app_context():
        events = db.session.scalars(select(AccessEvent)).all()
        doc = db.session.scalar(select(Document).where(Document.slug == "4599-qd-ubnd"))
        assert [(e.object_type, e.object_id, e.version, e.action) for e in events] == [
            ("document", doc.id, 1, "view")
        ]


def test_a_replaced_document_links_to_its_successor(app, client):
    docs = dict(DOCS)
    docs["118-2025-nd-cp.md"] = """---
number: 118/2025/NĐ-CP
type: Nghị định
issuer: Chính phủ
issued: 2025-06-09
summary: Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông
---
Nội dung.
"""
    write_content(app, docs)
    sync(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    html = client.get("/kb/61-2018-nd-cp").get_data(as_text=True)
    assert 'thay thế bởi <a href="/kb/118-2025-nd-cp">Nghị định 118/2025/NĐ-CP</a>' in html
    successor = client.get("/kb/118-2025-nd-cp")
    assert "Văn bản liên quan Nghị định 61/2018/NĐ-CP" in page_text(successor)
