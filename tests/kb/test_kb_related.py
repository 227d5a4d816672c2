"""Replacement links beside a document follow every save, restore and renumbering."""

from __future__ import annotations

import re

from helpers import login, make_user, post
from sqlalchemy import select

from cchc_learn.extensions import db
from cchc_learn.kb.models import Document, DocumentRevision

FORM = {
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
OLD = {
    **FORM,
    "number": "13/KH-SNV",
    "topics": "Công vụ",
    "issued": "2025-01-10",
    "status": "replaced",
    "replaced_by": "12/KH-SNV",
    "summary": "Kế hoạch năm 2025",
}


def related(client, slug: str) -> list[str]:
    """The links under "Văn bản liên quan" on a document page."""
    html = client.get(f"/kb/{slug}").get_data(as_text=True)
    parts = html.split('id="rel-h"', 1)
    if len(parts) == 1:
        return []
    return re.findall(r'<a href="/kb/([^"]+)">', parts[1].split("</section>", 1)[0])


def successor(client, slug: str) -> str | None:
    """Where the "thay thế bởi" link of a document page leads, if it has one."""
    found = re.search(r'thay thế bởi <a href="/kb/([^"]+)">', client.get(f"/kb/{slug}").text)
    return found.group(1) if found else None


def test_replacement_links_follow_saves_restores_and_new_numbers(app, client):
    make_user(app, "giangvien", roles=["trainer"])
    login(client, app, "giangvien")
    assert post(client, app, "/kb/new", FORM).status_code == 302
    assert post(client, app, "/kb/new", OLD).status_code == 302
    assert related(client, "12-kh-snv") == ["13-kh-snv"]
    assert (successor(client, "13-kh-snv"), related(client, "13-kh-snv")) == (
        "12-kh-snv",
        ["12-kh-snv"],
    )
    post(client, app, "/kb/13-kh-snv/edit",
         {**OLD, "status": "in_force", "replaced_by": "", "message": "Còn hiệu lực"})  # fmt: skip
    assert related(client, "12-kh-snv") == []
    assert (successor(client, "13-kh-snv"), related(client, "13-kh-snv")) == (None, [])
    with app.app_context():
        first = db.session.scalar(
            select(DocumentRevision.id).join(Document, Document.id == DocumentRevision.document_id)
            .where(Document.slug == "13-kh-snv").order_by(DocumentRevision.version)
        )  # fmt: skip
    post(client, app, f"/kb/13-kh-snv/revisions/{first}/restore")
    assert related(client, "12-kh-snv") == ["13-kh-snv"]
    post(client, app, "/kb/12-kh-snv/edit", {**FORM, "number": "14/KH-SNV", "message": "Số"})
    assert related(client, "12-kh-snv") == []
    assert (successor(client, "13-kh-snv"), related(client, "13-kh-snv")) == (None, [])
