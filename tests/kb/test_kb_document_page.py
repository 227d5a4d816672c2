"""A document page kept by a worker is shown again only while nothing on it has changed."""

from __future__ import annotations

import io

from helpers import login, make_user, page_text, post
from test_kb_editing import FORM

from cchc_learn import create_app
from cchc_learn.extensions import db

URL = "/kb/12-kh-snv"


def _trainer(app, client):
    make_user(app, "giangvien", roles=["trainer"])
    login(client, app, "giangvien")
    assert post(client, app, "/kb/new", FORM).status_code == 302


def test_edits_and_files_show_at_once_after_the_page_was_kept(app, client):
    _trainer(app, client)
    assert "Bồi dưỡng 95 % cán bộ" in page_text(client.get(URL))
    post(client, app, f"{URL}/edit", dict(FORM, body="Bồi dưỡng 97 % cán bộ.", message="Sửa"))
    assert "Bồi dưỡng 97 % cán bộ" in page_text(client.get(URL))

    upload = {"file": (io.BytesIO(b"%PDF-1.7\n..."), "ke-hoach.pdf"), "title": "Bản ký số"}
    post(client, app, f"{URL}/attachments", upload, content_type="multipart/form-data")
    page = client.get(URL).get_data(as_text=True)
    assert "Bản ký số" in page
    attachment_id = page.split(f"{URL}/files/", 1)[1].split('"', 1)[0]
    post(client, app, f"{URL}/attachments/{attachment_id}/delete")
    assert "Bản ký số" not in client.get(URL).get_data(as_text=True)


def test_another_worker_sees_a_change_made_through_this_one(app, client):
    _trainer(app, client)
    other = create_app(dict(app.config))
    other_client = other.test_client()
    make_user(app, "hocvien")
    login(other_client, other, "hocvien")
    try:
        assert "Bồi dưỡng 95 % cán bộ" in page_text(other_client.get(URL))
        post(client, app, f"{URL}/edit", dict(FORM, summary="Kế hoạch đã sửa", message="Sửa"))
        assert "Kế hoạch đã sửa" in page_text(other_client.get(URL))
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
