"""`content check|sync` cover question banks and quizzes with the documents they cite."""

from __future__ import annotations

from pathlib import Path

DOC = """---
number: 4599/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh An Giang
issued: 2022-12-30
summary: Phê duyệt Đề án tăng cường năng lực đội ngũ làm công tác CCHC
---
Nội dung.
"""
BANK = """---
bank: de-an
topic: Đào tạo bồi dưỡng
---
## Đề án đặt mục tiêu bao nhiêu phần trăm cán bộ được tiếp cận tài liệu?
{{id=da-01 difficulty=1 ref=doc:{ref}}}
- [ ] 85 %
- [x] 100 %
> 100 % cán bộ làm công tác CCHC được tiếp cận tài liệu.
"""
QUIZ = """---
title: Kiểm tra Đề án
draw:
  - bank: de-an
    count: 1
time_limit: 5
attempts: 2
pass_mark: 50
review: immediately
shuffle_questions: true
shuffle_options: true
---
Một câu.
"""


def write(app, ref: str = "4599/QĐ-UBND") -> Path:
    root = Path(app.config["CONTENT_DIR"])
    for folder, name, text in (("documents", "4599-qd-ubnd.md", DOC),
                               ("questions", "de-an.md", BANK.format(ref=ref)),
                               ("quizzes", "kiem-tra-de-an.md", QUIZ)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(text, encoding="utf-8")
    return root


def test_sync_imports_banks_and_quizzes_once(app, runner):
    root = write(app)
    first = runner.invoke(args=["content", "sync", str(root)])
    assert first.exit_code == 0, first.output
    assert "Ngân hàng câu hỏi: thêm 1" in first.output
    assert "Bài kiểm tra: thêm 1" in first.output
    second = runner.invoke(args=["content", "sync", str(root)])
    assert "Bài kiểm tra: thêm 0, cập nhật 0, không đổi 1" in second.output
    check = runner.invoke(args=["content", "check", str(root)])
    assert "1 ngân hàng câu hỏi (1 câu), 1 bài kiểm tra" in check.output


def test_a_reference_to_a_missing_document_stops_everything(app, runner):
    root = write(app, ref="9999/QĐ-UBND")
    result = runner.invoke(args=["content", "sync", str(root)])
    assert result.exit_code != 0
    assert "content/questions/de-an.md:5:" in result.output  # the item that refers
    assert "9999/QĐ-UBND" in result.output
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.kb.models import Document

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_texts_past_the_markup_limits_are_reported_per_file_and_stop_the_sync(app, runner):
    root = write(app)
    (root / "documents" / "9-qd-ubnd.md").write_text(
        DOC.replace("4599/QĐ-UBND", "9/QĐ-UBND").replace("Nội dung.\n", "*a_" * 60_000),
        encoding="utf-8",
    )
    lesson_dir = root / "modules" / "de-an"
    lesson_dir.mkdir(parents=True)
    (lesson_dir / "module.md").write_text(
        "---\ntitle: Đề án\nsummary: Tóm tắt.\n---\nGiới thiệu.\n", encoding="utf-8"
    )
    (lesson_dir / "01-muc-tieu.md").write_text(
        "---\ntitle: Mục tiêu\n---\n" + "# a\n" * 6_000, encoding="utf-8"
    )
    result = runner.invoke(args=["content", "sync", str(root)])
    assert result.exit_code != 0
    assert "content/documents/9-qd-ubnd.md:8: Nội dung có quá nhiều thành phần Markdown" in (
        result.output
    )
    assert (
        "content/modules/de-an/01-muc-tieu.md:5004: Nội dung Markdown có quá nhiều dòng: "
        "6.000 dòng, tối đa 5.000 dòng"
    ) in result.output
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.kb.models import Document

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0
