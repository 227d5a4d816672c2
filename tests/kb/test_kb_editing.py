"""Documents written in the browser: validation, revisions, diff, restore, attachments."""

from __future__ import annotations

import io
import zipfile

from helpers import login, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.extensions import db
from cchc_learn.kb.models import Attachment, Document, DocumentRevision
from cchc_learn.search.models import SearchChange

FORM = {
    "number": "12/KH-SNV",
    "doc_type": "Kế hoạch",
    "issuer": "Sở Nội vụ",
    "issued": "2026-01-15",
    "status": "in_force",
    "replaced_by": "",
    "topics": "Đào tạo bồi dưỡng, TTHC",
    "summary": "Kế hoạch bồi dưỡng CCHC năm 2026",
    "body": "## Mục tiêu\n\nBồi dưỡng 95 % cán bộ.",
    "message": "Bản đầu",
}


def trainer(app, client):
    make_user(app, "giangvien", roles=["trainer"])
    login(client, app, "giangvien")


def documents(app) -> list[Document]:
    with app.app_context():
        docs = db.session.scalars(select(Document)).all()
        for d in docs:
            _ = d.topics, d.attachments
        return docs


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_trainer_creates_document_as_revision_one(app, client):
    trainer(app, client)
    response = post(client, app, "/kb/new", FORM)
    assert response.status_code == 302
    [doc] = documents(app)
    assert (doc.slug, doc.version, doc.topics) == ("12-kh-snv", 1, ["TTHC", "Đào tạo bồi dưỡng"])
    assert "<h2" in doc.body_html and count(app, DocumentRevision) == 1
    assert count(app, SearchChange) == 1
    page = client.get("/kb/12-kh-snv")
    assert "Kế hoạch số 12/KH-SNV" in page_text(page) and "15/01/2026" in page_text(page)


def test_preview_renders_without_writing(app, client):
    trainer(app, client)
    response = post(
        client,
        app,
        "/kb/new",
        dict(FORM, action="preview", body="**đậm** [x](javascript:alert(1))"),
    )
    preview = response.get_data(as_text=True).split('id="preview-h"', 1)[1]
    assert "<strong>đậm</strong>" in preview and 'href="javascript' not in preview
    assert documents(app) == []


def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(app, client):
    trainer(app, client)
    cases = [
        (dict(FORM, number="<script>"), "Số ký hiệu không hợp lệ: &#39;&lt;script&gt;&#39;"),
        (dict(FORM, issued="31/02/2026"), "Nhập ngày ban hành"),
        (dict(FORM, doc_type="Bài báo"), "Loại văn bản không hợp lệ"),
        (dict(FORM, status="replaced"), "phải có &#39;replaced_by&#39;"),
        (dict(FORM, summary="x" * 2001), "Trích yếu: tối đa 2.000 ký tự"),
        (dict(FORM, topics="a" * 61), "&#39;topics&#39; phải là danh sách"),
        (dict(FORM, body="x" * 200_001), "Nội dung: tối đa 200.000 ký tự"),
        (dict(FORM, body="# a\n" * 5_001), "có quá nhiều dòng: 5.001 dòng, tối đa 5.000 dòng"),
        (dict(FORM, body="[a](b " * 20_000), "hơn 20.000 thành phần"),
        (dict(FORM, body="*a_" * 60_000, action="preview"), "hơn 20.000 thành phần"),
    ]
    for data, message in cases:
        response = post(client, app, "/kb/new", data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    assert documents(app) == [] and count(app, DocumentRevision) == 0
    assert count(app, SearchChange) == 0


def test_edit_diff_and_restore(app, client):
    trainer(app, client)
    post(client, app, "/kb/new", FORM)
    post(
        client,
        app,
        "/kb/12-kh-snv/edit",
        dict(FORM, body=FORM["body"] + "\n\nThêm dòng mới.", message="Bổ sung"),
    )
    with app.app_context():
        revs = db.session.scalars(select(DocumentRevision).order_by(DocumentRevision.version)).all()
        first_id, second_id = revs[0].id, revs[1].id
    diff = client.get(f"/kb/12-kh-snv/revisions/{second_id}").get_data(as_text=True)
    assert '<span class="diff-add">+Thêm dòng mới.</span>' in diff
    post(client, app, f"/kb/12-kh-snv/revisions/{first_id}/restore")
    [doc] = documents(app)
    assert doc.version == 3 and "Thêm dòng mới" not in doc.body_md
    history = page_text(client.get("/kb/12-kh-snv/revisions"))
    assert "Khôi phục phiên bản 1" in history


def test_officials_cannot_edit(app, client):
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    assert client.get("/kb/new").status_code == 403
    assert post(client, app, "/kb/new", FORM).status_code == 403
    assert documents(app) == []


def test_file_sourced_document_is_read_only_in_the_browser(app, client):
    trainer(app, client)
    post(client, app, "/kb/new", FORM)
    with app.app_context():
        db.session.execute(db.update(Document).values(source_path="documents/12-kh-snv.md"))
        db.session.commit()
    page = client.get("/kb/12-kh-snv/edit")
    assert "content/documents/12-kh-snv.md" in page_text(page)
    post(client, app, "/kb/12-kh-snv/edit", dict(FORM, summary="Đổi trái phép"))
    [doc] = documents(app)
    assert doc.summary == FORM["summary"] and doc.version == 1


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_attachments_are_checked_by_content(app, client):
    trainer(app, client)
    post(client, app, "/kb/new", FORM)
    url = "/kb/12-kh-snv/attachments"
    ok_pdf = post(
        client,
        app,
        url,
        {
            "file": (io.BytesIO(b"%PDF-1.7\n..."), "/home/hv/Tải về/ke-hoach.pdf"),
            "title": "Bản ký",
        },
        content_type="multipart/form-data",
    )
    assert ok_pdf.status_code == 302
    fake = post(
        client,
        app,
        url,
        {"file": (io.BytesIO(b"MZ\x90\x00binary"), "virus.pdf")},
        content_type="multipart/form-data",
    )
    assert "không phải PDF hoặc DOCX" in page_text(fake)
    zip_only = io.BytesIO()
    with zipfile.ZipFile(zip_only, "w") as z:
        z.writestr("a.txt", "x")
    bad_zip = post(
        client,
        app,
        url,
        {"file": (io.BytesIO(zip_only.getvalue()), "x.docx")},
        content_type="multipart/form-data",
    )
    assert "không phải PDF hoặc DOCX" in page_text(bad_zip)
    good_docx = post(
        client,
        app,
        url,
        {"file": (io.BytesIO(docx_bytes()), "..\\..\\etc\\x.docx")},
        content_type="multipart/form-data",
    )
    assert good_docx.status_code == 302
    [doc] = documents(app)
    assert sorted(a.original_name for a in doc.attachments) == ["ke-hoach.pdf", "x.docx"]
    pdf = next(a for a in doc.attachments if a.original_name == "ke-hoach.pdf")
    download = client.get(f"/kb/12-kh-snv/files/{pdf.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "filename=ke-hoach.pdf" in download.headers["Content-Disposition"]
    download.close()
    post(client, app, f"/kb/12-kh-snv/attachments/{pdf.id}/delete")
    assert count(app, Attachment) == 1
