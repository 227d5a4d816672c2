"""Answer templates: files under content/qa-templates/, and templates written in the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import login, page_text, post
from qa_world import ask, build, make_document, posts

from cchc_learn.extensions import db
from cchc_learn.qa.models import AnswerTemplate

TEMPLATE = """---
title: Cán bộ làm công tác CCHC
topics: [Công vụ]
---
Theo [[4599/QĐ-UBND]], cán bộ làm công tác CCHC gồm …
"""


@pytest.fixture
def people(app, clock):
    return build(app)


def write(app, name: str, text: str) -> Path:
    folder = Path(app.config["CONTENT_DIR"]) / "qa-templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def documents(app) -> None:
    folder = Path(app.config["CONTENT_DIR"]) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "4599-qd-ubnd.md").write_text(
        "---\nnumber: 4599/QĐ-UBND\ntype: Quyết định\nissuer: UBND tỉnh\nissued: 2022-12-30\n"
        "summary: Đề án tăng cường năng lực\n---\nNội dung\n", encoding="utf-8")


def test_content_sync_loads_templates_and_check_reports_bad_ones(app, runner, people):
    documents(app)
    write(app, "can-bo-cchc.md", TEMPLATE)
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0, result.output
    assert "Mẫu câu trả lời: thêm 1, cập nhật 0, không đổi 0, lưu trữ 0." in result.output
    write(app, "Sai Ten.md", "---\ntitle: x\ntopics: [Không có]\n---\n[[1/KHONG-CO]]\n")
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "qa-templates/Sai Ten.md:1: tên tệp chỉ gồm chữ thường" in result.output
    assert "chủ đề không có trong danh sách chủ đề hỏi đáp: Không có" in result.output
    assert "qa-templates/Sai Ten.md:5: liên kết [[1/KHONG-CO]] không trỏ tới văn bản" in (
        result.output)
    (Path(app.config["CONTENT_DIR"]) / "qa-templates" / "Sai Ten.md").unlink()
    (Path(app.config["CONTENT_DIR"]) / "qa-templates" / "can-bo-cchc.md").unlink()
    result = runner.invoke(args=["content", "sync"])
    assert "Mẫu câu trả lời: thêm 0, cập nhật 0, không đổi 0, lưu trữ 1." in result.output


def test_a_moderator_answers_from_a_file_template_citing_a_document(app, runner, people):
    documents(app)
    write(app, "can-bo-cchc.md", TEMPLATE)
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    qid = ask(app, people["hocvien"], "Ai là cán bộ làm công tác CCHC?", topics=("Công vụ",))
    moderator = app.test_client()
    login(moderator, app, "giaidap")
    page = moderator.get(f"/qa/{qid}?template=can-bo-cchc").get_data(as_text=True)
    assert "Theo [[4599/QĐ-UBND]], cán bộ làm công tác CCHC gồm …</textarea>" in page
    response = post(moderator, app, f"/qa/{qid}/answer",
                    {"body": "Theo [[4599/QĐ-UBND]], cán bộ làm công tác CCHC gồm: A, B.",
                     "template": "can-bo-cchc"})
    assert response.status_code == 302
    html = moderator.get(f"/qa/{qid}").get_data(as_text=True)
    assert 'href="/kb/4599-qd-ubnd"' in html
    assert posts(app, qid)[0][0] == "answer"
    edit = moderator.get("/qa/templates/can-bo-cchc/edit")
    assert "content/qa-templates/can-bo-cchc.md" in page_text(edit)
    refused = post(moderator, app, "/qa/templates/can-bo-cchc/edit",
                   {"title": "Sửa", "body": "x", "action": "save"})
    assert "không sửa được trên trình duyệt" in page_text(refused)
    with app.app_context():
        assert db.session.scalar(db.select(AnswerTemplate.title)) == "Cán bộ làm công tác CCHC"


def test_templates_are_written_and_edited_in_the_browser(app, people):
    make_document(app)
    moderator = app.test_client()
    login(moderator, app, "giaidap")
    preview = post(moderator, app, "/qa/templates/new",
                   {"title": "Mẫu về một cửa", "topics": "Một cửa",
                    "body": "Xem [[4599/QĐ-UBND]].", "action": "preview"})
    assert 'href="/kb/4599-qd-ubnd"' in preview.get_data(as_text=True)
    empty = post(moderator, app, "/qa/templates/new", {"title": "", "body": "x", "action": "save"})
    assert empty.status_code == 400 and "Tên mẫu: hãy nhập" in page_text(empty)
    response = post(moderator, app, "/qa/templates/new",
                    {"title": "Mẫu về một cửa", "topics": "Một cửa", "body": "Bản 1",
                     "action": "save"})
    assert response.status_code == 302
    assert "Mẫu về một cửa" in page_text(moderator.get("/qa/templates"))
    response = post(moderator, app, "/qa/templates/mau-ve-mot-cua/edit",
                    {"title": "Mẫu về một cửa", "body": "Bản 2", "action": "save"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(AnswerTemplate.body_md)) == "Bản 2"
    assert moderator.get("/qa/templates/khong-co/edit").status_code == 404
